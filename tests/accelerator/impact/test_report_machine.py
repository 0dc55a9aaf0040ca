"""The impact report's machine, run through the one runner: every transition, every refusal
(state, permission per role, the submit conditions, the send-back comment, a stale copy), the
log, and one e-mail per recipient per move, even when the move is tried again."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accelerator.domain.impact_plans import save_line
from accelerator.domain.impact_reports import REPORT, change_report_state, save_report
from accelerator.domain.refusals import Refused
from accelerator.domain.transitions import TransitionRefused
from accelerator.models import ImpactReport, ImpactReportTransition, ReportValue
from tests import factories
from tests.accelerator.impact.world import (
    BASELINE_ON,
    TARGET_ON,
    agreed_plan,
    first_report,
    in_impact_measurement,
    indicator,
    submitted,
)
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db
VALUES = {"jobs-fte": "3,5", "people-reached": "180"}


def entries(values):
    """`save_report`'s entries from {code: typed} or {code: (typed, not measured, reason)}."""
    return {
        indicator(code): value if isinstance(value, tuple) else (value, False, "")
        for code, value in values.items()
    }


def people_around(accompaniment):
    """Everyone who may or may not move a report of `accompaniment`, by role."""
    structure = accompaniment.structure
    support_point = factories.UserFactory()
    factories.SupportPointFactory(department=structure.department).members.add(support_point)
    return {
        "owner": accompaniment.owner,
        "editor": accompaniment.editor,
        "viewer": factories.MembershipFactory(structure=structure, role="viewer").user,
        "outsider": factories.MembershipFactory().user,
        "support_point": support_point,
        "staff": factories.StaffFactory(),
        "referent": accompaniment.referent,
        "manager": factories.ManagerFactory(),
        "superuser": factories.StaffFactory(is_superuser=True),
    }


def test_the_structure_saves_submits_and_its_referent_validates_each_move_logged():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    report = first_report(accompaniment)
    assert report.state == "due"
    report = save_report(report, accompaniment.editor, entries(VALUES), "Un semestre riche.")
    assert report.state == "draft"
    report = change_report_state(report, "submit", accompaniment.owner)
    assert report.state == "submitted" and report.submitted_at is not None
    report = change_report_state(report, "validate", accompaniment.referent, "Bravo.")
    assert report.state == "validated" and report.validated_at is not None
    log = list(report.transitions.order_by("pk"))
    assert [(e.name, e.source, e.target, e.actor) for e in log] == [
        ("start", "due", "draft", accompaniment.editor),
        ("submit", "draft", "submitted", accompaniment.owner),
        ("validate", "submitted", "validated", accompaniment.referent),
    ]
    assert log[-1].comment == "Bravo."
    # Validated: each figure is read against the plan, and becomes the structure's latest.
    values = {v.indicator.code: v for v in ReportValue.objects.filter(report=report)}
    assert all(value.is_latest for value in values.values())
    assert values["jobs-fte"].on_track is not None


def test_who_may_move_a_report_each_role_asked_before_the_state():
    accompaniment = in_impact_measurement()
    report = first_report(accompaniment)
    people = people_around(accompaniment)
    # A superuser holds every permission (Django's rule), the structure's too.
    allowed = {
        "start": {"owner", "editor", "superuser"},
        "submit": {"owner", "editor", "superuser"},
        "request_changes": {"referent", "manager", "superuser"},
        "validate": {"referent", "manager", "superuser"},
    }
    for name, may in allowed.items():
        for role, user in people.items():
            if role in may:
                if name == "start":
                    continue  # starting is tried for real below
                # Allowed: then the state refuses (a due report is neither submitted nor filled).
                with pytest.raises(TransitionRefused):
                    change_report_state(report, name, user, "Un commentaire.")
            else:
                with pytest.raises(PermissionDenied):
                    change_report_state(report, name, user, "Un commentaire.")
    assert ImpactReport.objects.get(pk=report.pk).state == "due"
    assert change_report_state(report, "start", people["owner"]).state == "draft"


def test_submit_is_refused_until_the_plan_is_agreed_and_nothing_moves():
    accompaniment = in_impact_measurement()
    for code in ("jobs-fte", "people-reached"):
        save_line(
            accompaniment,
            accompaniment.editor,
            indicator(code),
            baseline="1",
            baseline_on=BASELINE_ON,
            target="9",
            target_on=TARGET_ON,
        )
    report = save_report(first_report(accompaniment), accompaniment.editor, entries(VALUES))
    with pytest.raises(TransitionRefused) as refused:
        change_report_state(report, "submit", accompaniment.editor)
    assert refused.value.messages == [
        "The impact plan must be agreed by the structure and the programme first."
    ]
    assert ImpactReport.objects.get(pk=report.pk).state == "draft"


def test_submit_needs_every_indicator_or_not_measured_with_a_reason():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    report = save_report(
        first_report(accompaniment), accompaniment.editor, entries({"jobs-fte": "3"})
    )
    with pytest.raises(TransitionRefused) as refused:
        change_report_state(report, "submit", accompaniment.editor)
    people_reached = str(indicator("people-reached"))
    assert refused.value.messages == [
        f"“{people_reached}” has no value: enter it, or mark it “not measured this period” "
        "and say why."
    ]
    report = save_report(
        report, accompaniment.editor, entries({"people-reached": ("", True, "  ")})
    )
    with pytest.raises(TransitionRefused) as refused:
        change_report_state(report, "submit", accompaniment.editor)
    assert refused.value.messages == [f"Say why “{people_reached}” was not measured this period."]
    report = save_report(
        report,
        accompaniment.editor,
        entries({"people-reached": ("120", True, "Le logiciel de suivi était en panne.")}),
    )
    assert change_report_state(report, "submit", accompaniment.editor).state == "submitted"
    value = ReportValue.objects.get(report=report, indicator=indicator("people-reached"))
    # Not measured: the number typed next to the box is not kept.
    assert (value.not_measured, value.value) == (True, None)
    assert value.not_measured_reason == "Le logiciel de suivi était en panne."


def test_sending_back_needs_a_comment_then_the_structure_submits_again():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    report = submitted(first_report(accompaniment), accompaniment, VALUES)
    with pytest.raises(TransitionRefused) as refused:
        change_report_state(report, "request_changes", accompaniment.referent, "   ")
    assert refused.value.messages == [
        "Please say what the structure should change: your comment is sent to it."
    ]
    assert ImpactReport.objects.get(pk=report.pk).state == "submitted"
    report = change_report_state(
        report, "request_changes", accompaniment.referent, "Précisez les ETP."
    )
    assert report.state == "changes_requested"
    assert report.transitions.get(name="request_changes").comment == "Précisez les ETP."
    # Sent back, the report is editable again and goes back through submit.
    report = save_report(report, accompaniment.editor, entries({"jobs-fte": "3,25"}))
    assert report.state == "changes_requested"
    report = change_report_state(report, "submit", accompaniment.editor)
    assert report.state == "submitted"
    report = change_report_state(report, "validate", accompaniment.referent)
    assert report.state == "validated"
    assert [e.target for e in report.transitions.order_by("pk")] == [
        "draft",
        "submitted",
        "changes_requested",
        "submitted",
        "validated",
    ]


def test_a_validated_report_refuses_every_move_and_every_change():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    report = submitted(first_report(accompaniment), accompaniment, VALUES)
    # Only a submitted report is reviewed: a draft is neither validated nor sent back.
    report = change_report_state(report, "validate", accompaniment.referent)
    for name, actor in (
        ("submit", accompaniment.editor),
        ("start", accompaniment.editor),
        ("validate", accompaniment.referent),
        ("request_changes", accompaniment.referent),
    ):
        with pytest.raises(TransitionRefused) as refused:
            change_report_state(report, name, actor, "Encore ?")
        assert refused.value.messages == [
            "This report is “Validated”: it cannot be moved this way now."
        ]
    with pytest.raises(Refused) as refused:
        save_report(report, accompaniment.editor, entries({"jobs-fte": "99"}))
    assert refused.value.messages == ["This report is “Validated”: it cannot be changed now."]
    value = ReportValue.objects.get(report=report, indicator=indicator("jobs-fte"))
    assert str(value.value.normalize()) == "3.5"
    assert ImpactReportTransition.objects.filter(report=report).count() == 3


def test_a_draft_is_not_reviewed():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    report = save_report(first_report(accompaniment), accompaniment.editor, entries(VALUES))
    for name in ("validate", "request_changes"):
        with pytest.raises(TransitionRefused):
            change_report_state(report, name, accompaniment.referent, "Non.")
    assert ImpactReport.objects.get(pk=report.pk).state == "draft"


def test_a_move_chosen_on_a_stale_copy_is_refused():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    draft = save_report(first_report(accompaniment), accompaniment.editor, entries(VALUES))
    # Another tab reads the draft; meanwhile the report is submitted and sent back.
    stale = ImpactReport.objects.get(pk=draft.pk)
    moved = change_report_state(draft, "submit", accompaniment.editor)
    change_report_state(moved, "request_changes", accompaniment.referent, "Revoyez.")
    with pytest.raises(TransitionRefused) as refused:
        change_report_state(stale, "submit", accompaniment.owner)
    assert refused.value.messages == [
        "This report is “Changes requested”: it cannot be moved this way now."
    ]
    # The caller's own copy is not stale for the next move: the runner remembers its move.
    assert change_report_state(draft, "submit", accompaniment.editor).state == "submitted"


def test_a_late_report_keeps_its_draft_and_can_still_be_submitted():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    report = first_report(accompaniment)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ImpactReport.objects.filter(pk=report.pk).update(due_on=yesterday)
    report.refresh_from_db()
    assert report.is_late()
    report = save_report(report, accompaniment.editor, entries(VALUES))
    assert report.is_late() and report.state == "draft"
    report = change_report_state(report, "submit", accompaniment.editor)
    assert report.state == "submitted" and not report.is_late()


def test_one_email_per_recipient_per_move_even_when_the_move_is_tried_again():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    OutboxMessage.objects.all().delete()
    report = submitted(first_report(accompaniment), accompaniment, VALUES)
    # Submitted: the référent hears of it, not the editor who submitted it.
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [
        accompaniment.referent.email
    ]
    with pytest.raises(TransitionRefused):
        change_report_state(report, "submit", accompaniment.editor)
    OutboxMessage.objects.all().delete()
    report = change_report_state(
        report, "request_changes", accompaniment.referent, "Ajoutez les justificatifs."
    )
    recipients = sorted(OutboxMessage.objects.values_list("to", flat=True))
    assert recipients == sorted([accompaniment.owner.email, accompaniment.editor.email])
    assert "Ajoutez les justificatifs." in OutboxMessage.objects.first().body_text
    # The same move tried again is refused and sends nothing; its notices queued again (a
    # retried task) find their keys taken.
    with pytest.raises(TransitionRefused):
        change_report_state(report, "request_changes", accompaniment.referent, "Encore.")
    log = report.transitions.get(name="request_changes")
    REPORT.notify(report, log)
    assert OutboxMessage.objects.count() == 2
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == recipients
