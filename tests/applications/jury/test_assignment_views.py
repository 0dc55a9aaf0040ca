"""The staff's assignment pages: who may open them, assigning from either side, the automatic
run and its report, and a constant number of queries."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.domain.assignment import assign
from applications.models import Assignment, Review
from tests import factories
from tests.applications.jury.test_assignment_support import (
    declare,
    eligible_dossier,
    eligible_dossiers,
    make_juror,
    make_jurors,
)
from tests.applications.staff_support import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return factories.make_call()


@pytest.fixture
def setting(call, staff):
    """A call with one eligible dossier and one accepted juror."""
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    return call, dossier, juror


def urls(call, dossier, juror):
    return [
        reverse("applications:staff_assignments", args=[call.pk]),
        reverse("applications:staff_assignments_juror", args=[call.pk, juror.pk]),
        reverse("applications:staff_assignments_dossier", args=[call.pk, dossier.pk]),
    ]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- who may enter ---------------------------------------------------------------------------


def test_urls_are_the_ones_the_call_tabs_expect(setting):
    call, dossier, juror = setting
    assert urls(call, dossier, juror) == [
        f"/staff/calls/{call.pk}/assignments/",
        f"/staff/calls/{call.pk}/assignments/jurors/{juror.pk}/",
        f"/staff/calls/{call.pk}/assignments/dossiers/{dossier.pk}/",
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, setting):
    for url in urls(*setting):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url
        assert client.post(url, {"action": "add"}).status_code == 302


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "outsider", "juror"])
def test_applicants_and_jurors_are_refused(client, setting, who, outsider):
    call, dossier, juror = setting
    if who in ("owner", "editor", "viewer"):
        user = factories.MembershipFactory(structure=dossier.structure, role=who).user
    else:
        user = outsider if who == "outsider" else juror.user
    client.force_login(user)
    for url in urls(*setting):
        assert client.get(url).status_code == 403
    posted = client.post(urls(*setting)[1], {"action": "add", "picked": [dossier.pk]})
    assert posted.status_code == 403
    assert client.post(urls(*setting)[0], {"per_dossier": 3}).status_code == 403
    assert not Assignment.objects.exists()


def test_staff_open_every_page(client, staff, setting):
    client.force_login(staff)
    for url in urls(*setting):
        assert client.get(url).status_code == 200


def test_a_juror_or_dossier_of_another_call_is_not_found(client, staff, setting):
    call, dossier, juror = setting
    other = factories.make_call()
    client.force_login(staff)
    assert (
        client.get(
            reverse("applications:staff_assignments_juror", args=[other.pk, juror.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("applications:staff_assignments_dossier", args=[other.pk, dossier.pk])
        ).status_code
        == 404
    )


# --- the overview and the automatic run ------------------------------------------------------


def test_the_overview_shows_both_sides(client, staff, setting):
    call, dossier, juror = setting
    assign(juror, dossier, staff, notify=False)
    client.force_login(staff)

    response = client.get(urls(*setting)[0])

    html = response.content.decode()
    assert juror.user.display_name in html
    assert dossier.reference in html and dossier.structure.name in html
    assert urls(*setting)[1] in html and urls(*setting)[2] in html
    assert "never one with a declared conflict" in html


def test_the_automatic_run_from_the_page_shows_its_report(
    client, staff, call, django_capture_on_commit_callbacks
):
    dossiers = eligible_dossiers(call, staff, 2)
    jurors = make_jurors(call, 3)
    declare(jurors[0], dossiers[0], "member")
    client.force_login(staff)
    url = reverse("applications:staff_assignments", args=[call.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"per_dossier": 3, "cap": ""}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert messages_of(response) == [
        "5 assignments created.",
        "1 dossier has 2 jurors: not enough jurors without conflict.",
    ]
    assert Assignment.objects.count() == 5
    assert len(mail.outbox) == 3


def test_a_wrong_automatic_form_keeps_what_was_typed(client, staff, setting):
    call = setting[0]
    client.force_login(staff)

    response = client.post(urls(*setting)[0], {"per_dossier": "0", "cap": "12"})

    assert response.status_code == 200
    form = response.context["form"]
    assert "per_dossier" in form.errors
    assert 'value="12"' in response.content.decode()
    assert not Assignment.objects.filter(dossier__call=call).exists()


def test_the_missing_filter_lists_dossiers_short_of_jurors(client, staff, call):
    full, short = eligible_dossiers(call, staff, 2)
    for juror in make_jurors(call, 3):
        assign(juror, full, staff, notify=False)
    client.force_login(staff)

    response = client.get(reverse("applications:staff_assignments", args=[call.pk]), {"missing": 1})

    listed = [row["dossier"].pk for row in response.context["dossier_rows"]]
    assert listed == [short.pk]
    assert response.context["short_count"] == 1


# --- from the juror's side -------------------------------------------------------------------


def test_staff_add_several_dossiers_to_a_juror_at_once(
    client, staff, call, django_capture_on_commit_callbacks
):
    dossiers = eligible_dossiers(call, staff, 3)
    juror = make_juror(call)
    url = reverse("applications:staff_assignments_juror", args=[call.pk, juror.pk])
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "add", "picked": [dossiers[0].pk, dossiers[2].pk]})

    assert response.status_code == 302 and response.url == url
    assert set(Assignment.objects.values_list("dossier_id", flat=True)) == {
        dossiers[0].pk,
        dossiers[2].pk,
    }
    assert len(mail.outbox) == 1


def test_a_declared_conflict_is_shown_and_cannot_be_ticked(client, staff, call):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    declare(juror, dossier, "personal")
    url = reverse("applications:staff_assignments_juror", args=[call.pk, juror.pk])
    client.force_login(staff)

    page = client.get(url).content.decode()
    assert "Declared conflict: Personal or family tie" in page
    assert f'value="{dossier.pk}" id="pick-{dossier.pk}" disabled' in page

    response = client.post(url, {"action": "add", "picked": [dossier.pk]})
    assert response.status_code == 200
    assert "can no longer be chosen" in response.content.decode()
    assert not Assignment.objects.exists()


def test_suggested_conflicts_and_the_same_department_are_flagged_but_allowed(client, staff, call):
    loiret = factories.department("45", "Loiret")
    dossier = eligible_dossier(call, staff, structure=factories.StructureFactory(department=loiret))
    juror = make_juror(call, department=loiret)
    factories.MembershipFactory(structure=dossier.structure, user=juror.user, role="viewer")
    assign(make_juror(call), dossier, staff, notify=False)
    url = reverse("applications:staff_assignments_juror", args=[call.pk, juror.pk])
    client.force_login(staff)

    response = client.get(url)
    page = response.content.decode()
    assert [row["dossier"].juror_count for row in response.context["rows"]] == [1]
    assert "Suggested conflict: The juror is a member of the structure" in page
    assert "Same département" in page

    client.post(url, {"action": "add", "picked": [dossier.pk]})
    assert Assignment.objects.filter(juror=juror, dossier=dossier).exists()


def test_a_refusal_adds_nothing_and_keeps_the_ticks(client, staff, call):
    dossiers = eligible_dossiers(call, staff, 2)
    invited = make_juror(call, accepted=False)
    url = reverse("applications:staff_assignments_juror", args=[call.pk, invited.pk])
    client.force_login(staff)

    response = client.post(url, {"action": "add", "picked": [dossiers[1].pk]})

    assert response.status_code == 200
    assert "has not accepted the invitation to the jury yet" in response.content.decode()
    assert [row["dossier"].pk for row in response.context["rows"] if row["picked"]] == [
        dossiers[1].pk
    ]
    assert not Assignment.objects.exists()


def test_staff_remove_a_dossier_from_a_juror(client, staff, setting):
    call, dossier, juror = setting
    assign(juror, dossier, staff, notify=False)
    client.force_login(staff)

    response = client.post(
        urls(*setting)[1], {"action": "remove", "dossier": dossier.pk}, follow=True
    )

    assert not Assignment.objects.exists()
    assert messages_of(response) == [
        f"{juror.user.display_name} no longer has the dossier {dossier.reference}."
    ]


def test_a_submitted_review_keeps_its_assignment(client, staff, setting):
    call, dossier, juror = setting
    assignment = assign(juror, dossier, staff, notify=False)
    Review.objects.create(assignment=assignment, recommendation="no", submitted_at=timezone.now())
    client.force_login(staff)

    page = client.get(urls(*setting)[1]).content.decode()
    assert "Kept: the review is submitted." in page
    response = client.post(
        urls(*setting)[1], {"action": "remove", "dossier": dossier.pk}, follow=True
    )

    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert "already submitted a review" in messages_of(response)[0]


# --- from the dossier's side -----------------------------------------------------------------


def test_staff_add_jurors_to_a_dossier(client, staff, call, django_capture_on_commit_callbacks):
    dossier = eligible_dossier(call, staff)
    jurors = make_jurors(call, 3)
    url = reverse("applications:staff_assignments_dossier", args=[call.pk, dossier.pk])
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "add", "picked": [j.pk for j in jurors[:2]]})

    assert response.status_code == 302
    assert set(Assignment.objects.values_list("juror_id", flat=True)) == {
        jurors[0].pk,
        jurors[1].pk,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(j.user.email for j in jurors[:2])
    dossier.refresh_from_db()
    assert dossier.state == "under_review"


def test_nothing_ticked_is_explained(client, staff, setting):
    client.force_login(staff)

    response = client.post(urls(*setting)[2], {"action": "add"})

    assert response.status_code == 200
    assert "Tick at least one line." in response.content.decode()


def test_staff_remove_a_juror_from_a_dossier(client, staff, setting):
    call, dossier, juror = setting
    assign(juror, dossier, staff, notify=False)
    client.force_login(staff)

    response = client.post(urls(*setting)[2], {"action": "remove", "juror": juror.pk})

    assert response.status_code == 302
    assert not Assignment.objects.exists()


def test_a_dossier_not_open_to_jurors_offers_no_juror(client, staff, call):
    from tests.applications.staff_support import submitted_dossier

    dossier = submitted_dossier(call)
    make_juror(call)
    client.force_login(staff)

    response = client.get(
        reverse("applications:staff_assignments_dossier", args=[call.pk, dossier.pk])
    )

    assert response.context["rows"] == []
    assert "only eligible dossiers and dossiers under review take jurors" in (
        response.content.decode()
    )


# --- constant queries ------------------------------------------------------------------------


def _fill(call, staff, dossiers, jurors):
    made_dossiers = eligible_dossiers(call, staff, dossiers)
    made_jurors = make_jurors(call, jurors)
    make_juror(call, accepted=False)
    for i, dossier in enumerate(made_dossiers):
        assign(made_jurors[i % jurors], dossier, staff, notify=False)
        declare(made_jurors[(i + 1) % jurors], dossier, "none")
    return made_dossiers, made_jurors


def test_the_overview_runs_as_many_queries_for_1_and_40_dossiers(client, staff):
    small, large = factories.make_call(), factories.make_call()
    _fill(small, staff, 1, 1)
    _fill(large, staff, 40, 8)
    client.force_login(staff)

    def page(call):
        return lambda: client.get(reverse("applications:staff_assignments", args=[call.pk]))

    page(small)()  # warm caches (content types, site)
    response_small, queries_small = count_queries(page(small))
    response_large, queries_large = count_queries(page(large))

    assert len(response_large.context["dossier_rows"]) == 40
    assert queries_small == queries_large


def test_a_jurors_and_a_dossiers_pages_run_constant_queries(client, staff):
    small, large = factories.make_call(), factories.make_call()
    small_dossiers, small_jurors = _fill(small, staff, 1, 1)
    large_dossiers, large_jurors = _fill(large, staff, 40, 8)
    client.force_login(staff)

    def juror_page(call, juror):
        url = reverse("applications:staff_assignments_juror", args=[call.pk, juror.pk])
        return lambda: client.get(url)

    def dossier_page(call, dossier):
        url = reverse("applications:staff_assignments_dossier", args=[call.pk, dossier.pk])
        return lambda: client.get(url)

    juror_page(small, small_jurors[0])()
    _, juror_small = count_queries(juror_page(small, small_jurors[0]))
    _, juror_large = count_queries(juror_page(large, large_jurors[0]))
    _, dossier_small = count_queries(dossier_page(small, small_dossiers[0]))
    _, dossier_large = count_queries(dossier_page(large, large_dossiers[0]))

    assert juror_small == juror_large
    assert dossier_small == dossier_large
