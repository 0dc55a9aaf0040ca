"""The deliberation's summary numbers narrow rows to find the first dossiers of each state, then
reads only those, without their answers: the same rows as the whole call sorted state by state."""

import pytest
from django.urls import reverse

from applications.domain import deliberation
from applications.domain.ranking import DEFAULT_SORT, ordering
from applications.domain.reviews import save_review
from tests.applications.jury.helpers import make_juror
from tests.applications.jury.test_reviews_support import (
    Scene,
    assign,
    complete_data,
    criteria_of,
    dossier_in_review,
)
from tests.applications.staff_support import count_queries

pytestmark = pytest.mark.django_db


def _scored(call, staff, juror, value):
    dossier = dossier_in_review(call, staff)
    if value is not None:
        data = complete_data(call)
        data["scores"][criteria_of(call)[0].pk] = {"value": value}
        save_review(assign(juror, dossier), data, juror.user, submit=True)
    return dossier


def test_the_first_of_each_state_are_those_of_the_whole_call_sorted(staff):
    scene = Scene(staff)
    call = scene.call
    juror = make_juror(call)
    dossiers = [_scored(call, staff, juror, v) for v in (1, 5, None, 3, 4, 0, 2, None)]
    for dossier in dossiers[:3]:
        deliberation.shortlist(dossier, staff)
    queryset, _numbers = deliberation.deliberation_dossiers(call)

    first, queries = count_queries(
        lambda: list(deliberation.first_of_each_state(queryset, 2).order_by(*ordering("-mean")))
    )

    expected = []
    for state in deliberation.DELIBERATION_STATES:
        expected += list(queryset.filter(state=state).order_by(*ordering(DEFAULT_SORT))[:2])
    assert sorted(d.pk for d in first) == sorted(d.pk for d in expected)
    assert {d.state for d in first} == {"under_review", "shortlisted"}
    assert queries <= 3  # the window, the rows, their log


def test_the_summary_reads_neither_the_answers_nor_more_than_its_rows(client, staff):
    scene = Scene(staff)
    call = scene.call
    juror = make_juror(call)
    url = reverse("applications:staff_deliberation", args=[call.pk])
    client.force_login(staff)
    client.get(url)
    _response, one = count_queries(lambda: client.get(url))
    for value in range(15):
        _scored(call, staff, juror, value % 6)

    response, many = count_queries(lambda: client.get(url))

    under = next(s for s in response.context["sections"] if s["state"] == "under_review")
    assert under["count"] == 16 and len(under["dossiers"]) == 10
    assert "answers" in under["dossiers"][0].get_deferred_fields()
    assert many == one
