"""Impact reports: the schedule that opens them when a structure enters impact measurement, the
report's machine declared for the one runner (`accelerator.domain.transitions`) with its
conditions and notices, and what the structure and staff do with a report (save a draft, submit,
validate, send back, correct a validated report with a new version). Also the journey's last
condition: no alumni before a validated report."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.impact_progress import on_track
from accelerator.domain.impact_schedule import schedule_of
from accelerator.domain.impact_values import parse_value
from accelerator.domain.members import acting_members
from accelerator.domain.refusals import Refused
from accelerator.domain.reminders import DEADLINES, FOLLOWUP
from accelerator.domain.transitions import Machine, run
from accelerator.models import (
    REPORT_TRANSITIONS,
    ImpactPlan,
    ImpactReport,
    ImpactReportTransition,
    PlannedIndicator,
    ReportState,
    ReportValue,
    User,
)
from workers.outbox import absolute_url, queue_email
from workers.reminders import notify

# --- the schedule


def schedule_reports(accompaniment, starts_on=None):
    """Open the accompaniment's reports as its cohort's schedule says, periods counted from
    `starts_on` (the day it entered impact measurement). Does nothing when it has reports
    already, so entering the stage again after a pause opens none twice."""
    if ImpactReport.objects.filter(accompaniment=accompaniment).exists():
        return []
    schedule = schedule_of(accompaniment.cohort)
    start = starts_on or timezone.localdate(accompaniment.stage_entered_at)
    step = relativedelta(months=schedule.every_months)
    reports = []
    for number in range(1, schedule.reports + 1):
        period_start = start + step * (number - 1)
        period_end = start + step * number - datetime.timedelta(days=1)
        reports.append(
            ImpactReport(
                accompaniment=accompaniment,
                number=number,
                is_final=schedule.last_is_final and number == schedule.reports,
                period_start=period_start,
                period_end=period_end,
                due_on=period_end + datetime.timedelta(days=schedule.due_within_days),
            )
        )
    return ImpactReport.objects.bulk_create(reports)


# --- the machine's conditions: each returns the reasons to refuse (empty when it may happen)


def comment_given(report, actor, comment, data):
    if comment.strip():
        return []
    return [_("Please say what the structure should change: your comment is sent to it.")]


def plan_agreed(report, actor, comment, data):
    plan = ImpactPlan.objects.filter(accompaniment_id=report.accompaniment_id).first()
    if plan is not None and plan.is_agreed:
        return []
    return [_("The impact plan must be agreed by the structure and the programme first.")]


def values_complete(report, actor, comment, data):
    """Every indicator of the plan has a value, or is marked not measured with a reason."""
    planned = PlannedIndicator.objects.filter(
        plan__accompaniment_id=report.accompaniment_id
    ).select_related("indicator")
    given = {value.indicator_id: value for value in report.values.all()}
    reasons = []
    for line in planned:
        value = given.get(line.indicator_id)
        if value is None or (value.value is None and not value.text and not value.not_measured):
            reasons.append(
                _(
                    "“%(indicator)s” has no value: enter it, or mark it “not measured this "
                    "period” and say why."
                )
                % {"indicator": line.indicator}
            )
        elif value.not_measured and not value.not_measured_reason.strip():
            reasons.append(
                _("Say why “%(indicator)s” was not measured this period.")
                % {"indicator": line.indicator}
            )
    return reasons


def _validated(report, log):
    """Once validated, the report's figures are read against the plan, become the structure's
    latest where their period is, and a corrected version gives way to this one."""
    if log.target != ReportState.VALIDATED:
        return
    if report.corrects_id:
        corrected = ImpactReport.objects.select_for_update().get(pk=report.corrects_id)
        corrected.superseded_at = timezone.now()
        corrected.save(update_fields=["superseded_at"])
        # The structure's consent to publish a figure follows its correction.
        public = set(
            ReportValue.objects.filter(report=corrected, public=True).values_list(
                "indicator_id", flat=True
            )
        )
        ReportValue.objects.filter(report=report, indicator_id__in=public).update(public=True)
    lines = {
        line.indicator_id: line
        for line in PlannedIndicator.objects.filter(
            plan__accompaniment_id=report.accompaniment_id
        ).select_related("indicator")
    }
    values = list(report.values.all())
    for value in values:
        value.on_track = on_track(lines.get(value.indicator_id), value.value, report.period_end)
    ReportValue.objects.bulk_update(values, ["on_track"])
    mark_latest(report.accompaniment_id)


def mark_latest(accompaniment_id):
    """Flag, per indicator, the accompaniment's most recent validated figure (the dashboards add
    these up): the measured value of the latest period of a report still in force."""
    current = ReportValue.objects.filter(
        report__accompaniment_id=accompaniment_id,
        report__state=ReportState.VALIDATED,
        report__superseded_at__isnull=True,
        not_measured=False,
    ).order_by("indicator_id", "-report__period_end", "-report__version")
    latest, seen = [], set()
    for pk, indicator_id in current.values_list("pk", "indicator_id"):
        if indicator_id not in seen:
            seen.add(indicator_id)
            latest.append(pk)
    values = ReportValue.objects.filter(report__accompaniment_id=accompaniment_id)
    values.exclude(pk__in=latest).filter(is_latest=True).update(is_latest=False)
    values.filter(pk__in=latest).update(is_latest=True)


def _recipients(report, log):
    """Who hears of a move: the structure's owners and editors when staff decide; its référent
    (else the programme's managers) when it submits. Never the person who moved it."""
    accompaniment = report.accompaniment
    if log.target == ReportState.SUBMITTED:
        if accompaniment.referent_id:
            people = [accompaniment.referent]
        else:
            people = list(
                User.objects.filter(
                    managed_programmes=accompaniment.cohort.programme_id, is_active=True
                )
            )
    elif log.target in (ReportState.VALIDATED, ReportState.CHANGES_REQUESTED):
        people = acting_members(accompaniment.structure_id)
    else:
        people = []
    return [user for user in people if user.pk != log.actor_id and user.is_active and user.email]


def _notify(report, log):
    """One e-mail per recipient, in their language, queued in the move's transaction; its key
    names the move and the recipient, so a retried move never sends twice."""
    structure = report.accompaniment.structure
    url = reverse("accelerator:impact_report", kwargs={"pk": report.pk})
    for user in _recipients(report, log):
        with translation.override(user.language):
            target_label = str(ReportState(log.target).label)
            text = _("%(name)s: impact report %(number)s is now “%(state)s”") % {
                "name": structure.name,
                "number": report.number,
                "state": target_label,
            }
        message = queue_email(
            key=f"impact-report-moved:{log.pk}:{user.pk}",
            to=user.email,
            template="accelerator/email/impact_report_moved",
            context={
                "structure": report.accompaniment.structure,
                "cohort": report.accompaniment.cohort,
                "number": report.number,
                "period_start": report.period_start,
                "period_end": report.period_end,
                "target": log.target,
                "target_label": target_label,
                "comment": log.comment,
                "action_url": absolute_url(url),
                "action_label": gettext_lazy("See the report"),
            },
            language=user.language,
        )
        notify(
            user,
            # Staff hear of a submitted report as followers; the structure, of its decisions.
            topic=FOLLOWUP.name if log.target == ReportState.SUBMITTED else DEADLINES.name,
            text=text,
            link=url,
            about=f"impact_report:{report.pk}",
            within=f"structure:{structure.pk}",
            email=message,
        )


def _after(report, log):
    _validated(report, log)


REPORT = Machine(
    model=ImpactReport,
    log_model=ImpactReportTransition,
    permission="accelerator.{name}_impact_report",
    permission_on="accompaniment",
    select_related=("accompaniment__cohort", "accompaniment__structure"),
    # Sending a report back tells the structure what to change.
    requirements={"request_changes": [comment_given]},
    conditions={"submit": [plan_agreed, values_complete]},
    after=_after,
    notify=_notify,
    refused_message=gettext_lazy("This report is “%(state)s”: it cannot be moved this way now."),
    concurrent_message=gettext_lazy(
        "Someone else changed this report at the same moment. Reload the page and try again."
    ),
)
assert set(REPORT.transitions) == set(REPORT_TRANSITIONS)


def change_report_state(report, name, actor, comment=""):
    """Run transition `name` (start, submit, request_changes, validate) on `report` for `actor`.
    Raises PermissionDenied or TransitionRefused (with the reasons, in the user's words)."""
    return run(REPORT, report, name, actor, (comment or "").strip())


# --- what the structure writes


def save_report(report, actor, entries, narrative=None):
    """Save the structure's draft: `entries` maps an indicator to (typed value, not measured,
    reason). A value outside the indicator's type or unit is refused, field by field
    ("value-<indicator pk>"), and nothing is saved; the caller keeps what was typed. A due
    report becomes a draft. Returns the report as saved."""
    if not actor.has_perm("accelerator.report_impact", report.accompaniment):
        raise PermissionDenied
    if not report.is_editable:
        raise Refused(
            _("This report is “%(state)s”: it cannot be changed now.")
            % {"state": report.get_state_display()}
        )
    parsed, errors = {}, {}
    for indicator, (raw, not_measured, reason) in entries.items():
        try:
            parsed[indicator] = (*parse_value(indicator, raw), bool(not_measured), reason or "")
        except Refused as refusal:
            errors[f"value-{indicator.pk}"] = refusal.messages[0]
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        if report.state == ReportState.DUE:
            report = change_report_state(report, "start", actor)
        # Two writes whatever the number of indicators: the new values, the changed ones.
        existing = {value.indicator_id: value for value in report.values.all()}
        new, changed = [], []
        for indicator, (number, text, not_measured, reason) in parsed.items():
            fields = {
                "value": None if not_measured else number,
                "text": "" if not_measured else text,
                "not_measured": not_measured,
                "not_measured_reason": reason.strip() if not_measured else "",
            }
            value = existing.get(indicator.pk)
            if value is None:
                new.append(ReportValue(report=report, indicator=indicator, **fields))
                continue
            for name, given in fields.items():
                setattr(value, name, given)
            changed.append(value)
        ReportValue.objects.bulk_create(new)
        ReportValue.objects.bulk_update(
            changed, ["value", "text", "not_measured", "not_measured_reason"]
        )
        fields = ["updated_at", "updated_by"]
        if narrative is not None:
            report.narrative = narrative.strip()
            fields.append("narrative")
        report.updated_at, report.updated_by = timezone.now(), actor
        ImpactReport.objects.filter(pk=report.pk).update(
            **{field: getattr(report, field) for field in fields}
        )
    return report


def start_correction(report, actor, reason):
    """Open a new version of a validated report, to correct it: its values and narrative are
    copied, the validated version stays as it was (and in force) until the correction is
    validated. Refuses a report that is not validated, already corrected or superseded."""
    if not actor.has_perm("accelerator.report_impact", report.accompaniment):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise Refused({"reason": _("Say why the validated report needs a correction.")})
    with transaction.atomic():
        locked = ImpactReport.objects.select_for_update().get(pk=report.pk)
        if locked.state != ReportState.VALIDATED or locked.superseded_at is not None:
            raise Refused(_("Only the validated version in force can be corrected."))
        if ImpactReport.objects.filter(corrects=locked).exists():
            raise Refused(_("A correction of this report is already under way."))
        schedule = schedule_of(report.accompaniment.cohort)
        latest = (
            ImpactReport.objects.filter(accompaniment=locked.accompaniment, number=locked.number)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        correction = ImpactReport.objects.create(
            accompaniment=locked.accompaniment,
            number=locked.number,
            version=latest + 1,
            is_final=locked.is_final,
            period_start=locked.period_start,
            period_end=locked.period_end,
            due_on=timezone.localdate() + datetime.timedelta(days=schedule.due_within_days),
            narrative=locked.narrative,
            corrects=locked,
            correction_reason=reason,
            updated_by=actor,
        )
        ReportValue.objects.bulk_create(
            ReportValue(
                report=correction,
                indicator_id=value.indicator_id,
                value=value.value,
                text=value.text,
                not_measured=value.not_measured,
                not_measured_reason=value.not_measured_reason,
            )
            for value in locked.values.all()
        )
        return change_report_state(correction, "start", actor, reason)


# --- the journey's last step


def impact_report_validated(accompaniment, actor, comment, data):
    """A structure becomes alumni once a report is validated: the final one, when the cohort's
    schedule has a final report."""
    reports = ImpactReport.objects.filter(accompaniment=accompaniment, state=ReportState.VALIDATED)
    has_final = ImpactReport.objects.filter(accompaniment=accompaniment, is_final=True).exists()
    if has_final:
        if reports.filter(is_final=True).exists():
            return []
        return [_("The final impact report must be validated before the structure becomes alumni.")]
    if reports.exists():
        return []
    return [_("An impact report must be validated before the structure becomes alumni.")]


def late_reports(accompaniments, today=None):
    """The late reports of `accompaniments` (a queryset or ids), oldest due first."""
    today = today or timezone.localdate()
    return ImpactReport.objects.filter(
        ImpactReport.late_q(today), accompaniment__in=accompaniments
    ).order_by("due_on", "pk")


def current_reports_q(prefix=""):
    """The reports in force: a validated version no newer version has replaced."""
    return Q(**{f"{prefix}state": ReportState.VALIDATED, f"{prefix}superseded_at__isnull": True})
