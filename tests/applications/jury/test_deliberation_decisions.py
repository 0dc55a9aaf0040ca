"""Deliberation: shortlist with an audition, decisions with their rationale, the log of who
decided, and the staff's page with the jury's numbers in a constant number of queries."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.domain import deliberation
from applications.domain.dossiers import TransitionRefused, change_state
from applications.models import Dossier, DossierTransition
from tests import factories
from tests.applications.jury.test_deliberation_support import (
    named_juror,
    submitted_review,
    under_review,
)
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def page_url(call):
    return reverse("applications:staff_deliberation", args=[call.pk])


def decision_url(dossier):
    return reverse("applications:staff_decision", args=[dossier.call_id, dossier.pk])


@pytest.fixture
def call(db):
    return factories.make_call()


# --- the domain -------------------------------------------------------------------------------


def test_shortlisting_stores_the_audition_with_the_state_in_one_change(call, staff):
    dossier = under_review(call, staff)
    audition = datetime(2026, 11, 30, 14, 30, tzinfo=PARIS)
    shortlisted = deliberation.shortlist(
        dossier, staff, audition_at=audition, notes="  Room B, 20 minutes.  "
    )
    stored = Dossier.objects.get(pk=dossier.pk)
    assert shortlisted.state == stored.state == "shortlisted"
    assert stored.audition_at == audition
    assert stored.shortlist_notes == "Room B, 20 minutes."
    log = DossierTransition.objects.get(dossier=dossier, name="shortlist")
    assert (log.actor, log.source, log.target) == (staff, "under_review", "shortlisted")


def test_a_refused_shortlist_leaves_no_audition_behind(call, staff):
    dossier = under_review(call, staff)
    deliberation.decide(dossier, "reject", staff, "Out of scope.")
    with pytest.raises(TransitionRefused):
        deliberation.shortlist(
            dossier, staff, audition_at=datetime(2026, 12, 1, 9, tzinfo=PARIS), notes="Room A"
        )
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.audition_at is None and stored.shortlist_notes == ""


def test_change_state_refuses_fields_that_do_not_belong_to_the_transition(call, staff):
    dossier = under_review(call, staff)
    with pytest.raises(ValueError):
        change_state(dossier, "reject", staff, "No.", changes={"audition_at": None})
    with pytest.raises(ValueError):
        change_state(dossier, "shortlist", staff, changes={"answers": {}})
    assert Dossier.objects.get(pk=dossier.pk).state == "under_review"


@pytest.mark.parametrize("decision", ["select", "waitlist", "reject"])
def test_every_decision_needs_a_rationale(call, staff, decision):
    dossier = deliberation.shortlist(under_review(call, staff), staff)
    with pytest.raises(TransitionRefused) as refusal:
        deliberation.decide(dossier, decision, staff, "   ")
    assert "rationale" in refusal.value.messages[0]
    assert Dossier.objects.get(pk=dossier.pk).state == "shortlisted"
    decided = deliberation.decide(dossier, decision, staff, "  Strong local anchoring.  ")
    assert decided.state == deliberation.DECISIONS[decision]
    log = DossierTransition.objects.get(dossier=dossier, name=decision)
    assert log.comment == "Strong local anchoring." and log.actor == staff


def test_a_waitlisted_dossier_can_later_be_selected_and_the_log_says_who_decided(call, staff):
    other_staff = factories.StaffFactory(first_name="Aline", last_name="Decideuse")
    dossier = deliberation.shortlist(under_review(call, staff), staff)
    deliberation.decide(dossier, "waitlist", staff, "Next in line.")
    selected = deliberation.decide(dossier, "select", other_staff, "A place became free.")
    assert selected.state == "selected"
    log = list(
        DossierTransition.objects.filter(dossier=dossier, name__in=["waitlist", "select"])
        .order_by("at", "pk")
        .values_list("name", "source", "target", "actor", "comment")
    )
    assert log == [
        ("waitlist", "shortlisted", "waitlisted", staff.pk, "Next in line."),
        ("select", "waitlisted", "selected", other_staff.pk, "A place became free."),
    ]
    assert deliberation.last_decision(selected).actor == other_staff


def test_a_dossier_can_be_rejected_straight_from_review_and_rejected_is_final(call, staff):
    dossier = deliberation.decide(under_review(call, staff), "reject", staff, "Out of scope.")
    assert dossier.state == "rejected"
    for name in ("select", "waitlist", "shortlist", "reject"):
        with pytest.raises(TransitionRefused):
            change_state(dossier, name, staff, "Second thoughts.")
    assert Dossier.objects.get(pk=dossier.pk).state == "rejected"


def test_selected_is_final_and_a_waitlisted_dossier_cannot_be_rejected(call, staff):
    waitlisted = deliberation.shortlist(under_review(call, staff), staff)
    waitlisted = deliberation.decide(waitlisted, "waitlist", staff, "Next in line.")
    with pytest.raises(TransitionRefused):
        deliberation.decide(waitlisted, "reject", staff, "No room after all.")
    selected = deliberation.decide(waitlisted, "select", staff, "A place became free.")
    for name in ("waitlist", "reject"):
        with pytest.raises(TransitionRefused):
            deliberation.decide(selected, name, staff, "Second thoughts.")


def test_only_staff_decide(call, staff, owner):
    dossier = deliberation.shortlist(under_review(call, staff), staff)
    juror = named_juror(call)
    for person in (owner, juror.user):
        with pytest.raises(PermissionDenied):
            deliberation.decide(dossier, "select", person, "I like it.")
        with pytest.raises(PermissionDenied):
            deliberation.plan_audition(dossier, person, audition_at=None, notes="")
    assert Dossier.objects.get(pk=dossier.pk).state == "shortlisted"


def test_decisions_send_no_email_to_the_structure(call, staff, django_capture_on_commit_callbacks):
    dossier = under_review(call, staff)
    before = OutboxMessage.objects.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = deliberation.shortlist(dossier, staff)
        dossier = deliberation.decide(dossier, "waitlist", staff, "Next in line.")
        dossier = deliberation.decide(dossier, "select", staff, "A place became free.")
        rejected = deliberation.decide(
            deliberation.shortlist(under_review(call, staff), staff), "reject", staff, "No."
        )
    assert (dossier.state, rejected.state) == ("selected", "rejected")
    keys = OutboxMessage.objects.values_list("key", flat=True)[before:]
    logs = DossierTransition.objects.filter(name__in=["shortlist", "select", "waitlist", "reject"])
    assert not [key for key in keys if any(f":transition:{log.pk}:" in key for log in logs)]
    assert not [m for m in mail.outbox if "selected" in m.subject.lower()]
    # The second dossier's submission and eligibility were e-mailed; no decision was.
    assert mail.outbox and not [m for m in mail.outbox if dossier.reference in m.body]


def test_planning_the_audition_of_a_shortlisted_dossier(call, staff):
    dossier = deliberation.shortlist(under_review(call, staff), staff)
    moment = datetime(2026, 12, 2, 10, tzinfo=PARIS)
    deliberation.plan_audition(dossier, staff, audition_at=moment, notes="Visio")
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.audition_at, stored.shortlist_notes, stored.state) == (
        moment,
        "Visio",
        "shortlisted",
    )
    decided = deliberation.decide(stored, "select", staff, "Convincing audition.")
    with pytest.raises(TransitionRefused):
        deliberation.plan_audition(decided, staff, audition_at=None, notes="")


# --- the page ---------------------------------------------------------------------------------


def test_the_page_groups_dossiers_by_state_with_the_jury_numbers(client, call, staff):
    juror_a, juror_b = named_juror(call), named_juror(call)
    high = under_review(call, staff)
    submitted_review(juror_a, high, [5, 4], recommendation="yes")
    submitted_review(juror_b, high, [3, 2], recommendation="maybe")
    low = deliberation.shortlist(under_review(call, staff), staff)
    submitted_review(juror_a, low, [1, 1], recommendation="no")
    rejected = deliberation.decide(under_review(call, staff), "reject", staff, "Out of scope.")
    client.force_login(staff)
    response = client.get(page_url(call))
    assert response.status_code == 200
    assert response.context["has_numbers"] is True
    sections = {s["state"]: s["dossiers"] for s in response.context["sections"]}
    assert [d.pk for d in sections["under_review"]] == [high.pk]
    assert [d.pk for d in sections["shortlisted"]] == [low.pk]
    assert [d.pk for d in sections["rejected"]] == [rejected.pk]
    shown = sections["under_review"][0]
    assert (shown.weighted_mean, shown.median, shown.review_count) == (3.5, 3.5, 2)
    assert (shown.yes_count, shown.maybe_count, shown.no_count) == (1, 1, 0)
    html = response.content.decode()
    assert "3.50" in html and high.structure.name in html
    assert sections["rejected"][0].decision.actor == staff
    assert staff.display_name in html


def test_the_decision_page_records_a_shortlist_with_an_audition_in_paris_time(client, call, staff):
    dossier = under_review(call, staff)
    client.force_login(staff)
    response = client.post(
        decision_url(dossier),
        {
            "action": "shortlist",
            "shortlist-audition_at": "2026-11-30T14:30",
            "shortlist-notes": "Room B",
        },
    )
    assert response.status_code == 302
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == "shortlisted"
    assert stored.audition_at == datetime(2026, 11, 30, 14, 30, tzinfo=PARIS)
    page = client.get(page_url(call)).content.decode()
    assert "30 November 2026 at 14:30 (Paris time)" in page


def test_a_decision_without_rationale_is_refused_and_the_form_kept(client, call, staff):
    dossier = deliberation.shortlist(under_review(call, staff), staff)
    client.force_login(staff)
    response = client.post(decision_url(dossier), {"action": "select", "select-rationale": " "})
    assert response.status_code == 400
    assert "rationale" in response.context["decision_actions"][1]["form"].errors["rationale"][0]
    assert Dossier.objects.get(pk=dossier.pk).state == "shortlisted"
    response = client.post(
        decision_url(dossier), {"action": "waitlist", "waitlist-rationale": "Next in line."}
    )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == "waitlisted"
    page = client.get(decision_url(dossier))
    assert [a["name"] for a in page.context["decision_actions"]] == ["select"]
    assert "Next in line." in page.content.decode()


def test_a_stale_decision_keeps_the_typed_rationale(client, call, staff):
    dossier = deliberation.shortlist(under_review(call, staff), staff)
    deliberation.decide(dossier, "reject", staff, "Someone else was quicker.")
    client.force_login(staff)
    response = client.post(
        decision_url(dossier), {"action": "select", "select-rationale": "My long rationale."}
    )
    assert response.status_code == 400
    assert "My long rationale." in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == "rejected"


def test_the_quick_shortlist_from_the_list(client, call, staff):
    dossier = under_review(call, staff)
    client.force_login(staff)
    url = reverse("applications:staff_quick_shortlist", args=[call.pk, dossier.pk])
    assert client.post(url).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == "shortlisted"
    response = client.post(url, follow=True)  # twice: refused, with a message
    assert "cannot be changed this way now" in response.content.decode()


def test_a_dossier_of_another_call_is_not_found_under_this_call(client, call, staff):
    dossier = under_review(factories.make_call(), staff)
    client.force_login(staff)
    url = reverse("applications:staff_decision", args=[call.pk, dossier.pk])
    assert client.get(url).status_code == 404


def test_the_page_runs_the_same_queries_for_1_and_40_dossiers(client, call, staff):
    juror = named_juror(call)
    client.force_login(staff)

    def add(count):
        for i in range(count):
            dossier = under_review(call, staff)
            submitted_review(juror, dossier, [i % 6, 3])
            if i % 4 == 1:
                dossier = deliberation.shortlist(dossier, staff)
            elif i % 4 == 2:
                dossier = deliberation.decide(dossier, "reject", staff, "Out of scope.")
            elif i % 4 == 3:
                dossier = deliberation.shortlist(dossier, staff)
                deliberation.decide(dossier, "waitlist", staff, "Next in line.")

    def queries():
        client.get(page_url(call))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page_url(call))
        assert response.status_code == 200
        return len(captured), response.context["total"]

    add(1)
    one = queries()
    add(39)
    forty = queries()
    assert (one[1], forty[1]) == (1, 40)
    assert one[0] == forty[0]
