"""The jury's lists cost the same number of SQL queries for one row and for many."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Review
from tests import factories
from tests.applications.jury.helpers import (
    assign,
    blind_phase,
    declare,
    jury_dossier,
    make_juror,
)
from tests.applications.staff_support import count_queries


@pytest.fixture
def call(db):
    return factories.make_call()


def _give(juror, dossier, n):
    """A mix of steps: not declared, conflict, to review, draft, submitted."""
    step = n % 5
    if step == 0:
        return assign(juror, dossier)
    if step == 1:
        return assign(juror, dossier, declared="financial")
    assignment = assign(juror, dossier, declared="none")
    if step == 3:
        Review.objects.create(assignment=assignment)
    if step == 4:
        Review.objects.create(assignment=assignment, submitted_at=timezone.now())
    return assignment


@pytest.mark.parametrize("blind", [False, True])
def test_the_juror_call_page_costs_the_same_for_1_and_40_dossiers(client, call, staff, blind):
    if blind:
        blind_phase(call)
    juror = make_juror(call)
    _give(juror, jury_dossier(call, staff), 2)
    client.force_login(juror.user)
    url = reverse("applications:juror_call", args=[call.pk])
    client.get(url)  # warm the session and caches
    response, one = count_queries(lambda: client.get(url))
    assert len(response.context["assignments"]) == 1
    for n in range(39):
        _give(juror, jury_dossier(call, staff), n)
    response, forty = count_queries(lambda: client.get(url))
    assert len(response.context["assignments"]) == 40
    assert response.context["counts"]["submitted"] == 7
    assert forty == one


def test_the_juror_home_costs_the_same_for_1_and_many_calls(client, staff):
    user = factories.UserFactory()
    first = factories.make_call()
    _give(make_juror(first, user=user), jury_dossier(first, staff), 2)
    client.force_login(user)
    url = reverse("applications:juror_home")
    client.get(url)
    response, one = count_queries(lambda: client.get(url))
    assert len(response.context["seats"]) == 1
    for n in range(5):
        call = factories.make_call()
        juror = make_juror(call, user=user)
        for m in range(3):
            _give(juror, jury_dossier(call, staff), n + m)
    response, many = count_queries(lambda: client.get(url))
    assert len(response.context["seats"]) == 6
    assert many == one


def test_the_staff_jury_page_costs_the_same_for_1_and_many_jurors(client, call, staff):
    first = make_juror(call, organisation="France Active")
    dossier = jury_dossier(call, staff)
    _give(first, dossier, 1)
    client.force_login(staff)
    url = reverse("applications:staff_jury", args=[call.pk])
    client.get(url)
    response, one = count_queries(lambda: client.get(url))
    assert len(response.context["jurors"]) == 1
    dossiers = [jury_dossier(call, staff) for _ in range(10)]
    for n in range(20):
        juror = make_juror(call, accepted=n % 3 != 0)
        for m, other in enumerate(dossiers[: n % 6]):
            if juror.has_accepted:
                _give(juror, other, n + m)
            else:
                declare(juror, other, "none")  # recorded by staff for an invited juror
    # A suggestion: a juror who is a member of a structure.
    member = dossiers[0].structure.memberships.first().user
    make_juror(call, user=member)
    response, many = count_queries(lambda: client.get(url))
    assert len(response.context["jurors"]) == 22
    assert response.context["suggestions"]
    assert response.context["counts"]["total"] > 20
    assert many == one
