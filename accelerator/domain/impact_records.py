"""What surrounds one impact report: the comments of the programme staff and the support point,
the evidence files the structure attaches while it may still change the report, and everything
the report's page shows (its values against the plan, its log, its versions), read in a constant
number of queries."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.files import check_upload, delete_with_file, display_name, save_with_file
from accelerator.domain.impact_values import display_value
from accelerator.domain.refusals import Refused
from accelerator.domain.support_points import hidden_names
from accelerator.models import (
    ImpactPlan,
    ImpactReport,
    PlannedIndicator,
    ReportComment,
    ReportEvidence,
    ReportState,
)
from accelerator.permissions import is_accompaniment_member, is_programme_staff

COMMENT_MAX = 4000


# --- comments


def add_comment(report, actor, body):
    """A comment on `report` by the programme staff or the structure's support point, read by
    everyone who sees the report."""
    if not actor.has_perm("accelerator.comment_impact", report.accompaniment):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise Refused({"body": _("The comment is empty.")})
    if len(body) > COMMENT_MAX:
        raise Refused({"body": _("Write at most %(count)s characters.") % {"count": COMMENT_MAX}})
    return ReportComment.objects.create(report=report, author=actor, body=body)


# --- evidence


def _refuse_unless_editable(report_pk):
    """Lock the report's row and refuse when its evidence may no longer change (submitted,
    validated): the row lock keeps a file from slipping in while the report is submitted."""
    locked = ImpactReport.objects.select_for_update().get(pk=report_pk)
    if not locked.is_editable:
        raise Refused(
            _("This report is “%(state)s”: its evidence cannot change now.")
            % {"state": locked.get_state_display()}
        )
    return locked


def add_evidence(report, actor, uploaded):
    """Check and store a file backing the report's figures, while the structure may still change
    the report; Refused in plain words naming the file otherwise."""
    if not actor.has_perm("accelerator.report_impact", report.accompaniment):
        raise PermissionDenied
    content_type, extension = check_upload(uploaded)
    with transaction.atomic():
        _refuse_unless_editable(report.pk)
        evidence = ReportEvidence(
            report=report,
            original_name=display_name(uploaded.name),
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=actor,
        )
        return save_with_file(evidence, uploaded, extension)


def may_remove_evidence(evidence, user):
    """The programme staff, or the person who uploaded it."""
    return is_programme_staff(user) or (
        evidence.uploaded_by_id is not None and evidence.uploaded_by_id == user.pk
    )


def remove_evidence(evidence, actor):
    """Remove a file and its stored copy, while the report may still change."""
    if not may_remove_evidence(evidence, actor):
        raise PermissionDenied
    with transaction.atomic():
        _refuse_unless_editable(evidence.report_id)
        delete_with_file(evidence)


# --- the page


@dataclass
class Row:
    """One indicator of the report: its plan line (None when it left the plan after a value was
    reported), its reported value (None when nothing is saved yet) and their displayed forms."""

    indicator: object
    line: object
    value: object
    shown: str = ""
    baseline: str = ""
    target: str = ""


@dataclass
class ReportPage:
    report: ImpactReport
    plan: ImpactPlan | None
    rows: list
    log: list
    send_back: object  # the log entry of the last request for changes, while it stands
    comments: list
    evidence: list
    versions: list  # every version of this period's report, oldest first
    correction: ImpactReport | None  # the newer version correcting this one
    corrected: ImpactReport | None  # the validated version this one corrects
    late: bool
    can_edit: bool
    can_review: bool
    can_comment: bool
    can_correct: bool
    permissions: dict = field(default_factory=dict)
    updated_by_name: str = ""

    @property
    def plan_agreed(self):
        return self.plan is not None and self.plan.is_agreed


def report_rows(report):
    """The report's rows: each indicator of the plan in its order, then the values reported for
    indicators the plan no longer holds. Two queries."""
    lines = list(
        PlannedIndicator.objects.filter(plan__accompaniment_id=report.accompaniment_id)
        .select_related("indicator")
        .order_by("position", "pk")
    )
    values = {value.indicator_id: value for value in report.values.select_related("indicator")}
    rows = [Row(line.indicator, line, values.pop(line.indicator_id, None)) for line in lines]
    rows += [Row(value.indicator, None, value) for value in values.values()]
    for row in rows:
        if row.value is not None and not row.value.not_measured:
            row.shown = display_value(row.indicator, row.value.value, row.value.text)
        if row.line is not None:
            row.baseline = display_value(
                row.indicator, row.line.baseline_value, row.line.baseline_text
            )
            row.target = display_value(row.indicator, row.line.target_value, row.line.target_text)
    return rows


def _names(user, accompaniment, people):
    """{person pk: the name `user` reads}: a support point reads, of the structure's people,
    only its contacts' names; the others are "a member of the structure". One query at most."""
    people = {person.pk: person for person in people if person is not None}
    hidden = set()
    if not (is_programme_staff(user) or is_accompaniment_member(user, accompaniment)):
        hidden = hidden_names(people.values(), accompaniment.structure)
    return {
        pk: _("a member of the structure") if pk in hidden else person.display_name
        for pk, person in people.items()
    }


def report_page(report, user, today=None):
    """Everything the page of `report` shows to `user`, in a constant number of queries whatever
    the number of values, comments, files and versions. `report` comes with its accompaniment,
    structure and cohort."""
    accompaniment = report.accompaniment
    plan = ImpactPlan.objects.filter(accompaniment_id=accompaniment.pk).first()
    log = list(report.transitions.select_related("actor").order_by("at", "pk"))
    send_back = None
    if report.state == ReportState.CHANGES_REQUESTED:
        send_back = next(
            (entry for entry in reversed(log) if entry.name == "request_changes"), None
        )
    evidence = list(report.evidence.select_related("uploaded_by"))
    for item in evidence:
        item.removable = report.is_editable and may_remove_evidence(item, user)
    versions = list(
        ImpactReport.objects.filter(
            accompaniment_id=accompaniment.pk, number=report.number
        ).order_by("version")
    )
    comments = list(report.comments.select_related("author"))
    names = _names(
        user,
        accompaniment,
        [report.updated_by]
        + [entry.actor for entry in log]
        + [item.uploaded_by for item in evidence]
        + [item.author for item in comments],
    )
    for entry in log:
        entry.actor_name = names.get(entry.actor_id, "")
    for item in evidence:
        item.uploader_name = names.get(item.uploaded_by_id, "")
    for item in comments:
        item.author_name = names.get(item.author_id, "")
    by_pk = {version.pk: version for version in versions}
    correction = next((v for v in versions if v.corrects_id == report.pk), None)
    may_report = user.has_perm("accelerator.report_impact", accompaniment)
    may_validate = user.has_perm("accelerator.validate_impact", accompaniment)
    return ReportPage(
        report=report,
        plan=plan,
        rows=report_rows(report),
        log=log,
        send_back=send_back,
        comments=comments,
        evidence=evidence,
        versions=versions,
        correction=correction,
        corrected=by_pk.get(report.corrects_id),
        late=report.is_late(today or timezone.localdate()),
        can_edit=may_report and report.is_editable,
        can_review=may_validate and report.state == ReportState.SUBMITTED,
        can_comment=user.has_perm("accelerator.comment_impact", accompaniment),
        can_correct=(
            may_report
            and report.state == ReportState.VALIDATED
            and report.superseded_at is None
            and correction is None
        ),
        permissions={"report": may_report, "validate": may_validate},
        updated_by_name=names.get(report.updated_by_id, ""),
    )
