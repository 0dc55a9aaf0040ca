"""An accompaniment's impact plan: the indicators it commits to, each with a baseline and a target,
proposed by the structure or its référent and agreed by both. A change after agreement asks both
sides to agree again; agreeing reads the validated figures against the new plan."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.impact_progress import on_track
from accelerator.domain.impact_values import parse_value
from accelerator.domain.refusals import Refused
from accelerator.models import ImpactPlan, Indicator, PlannedIndicator, ReportValue, ValueType
from accelerator.permissions import can_steer


def plan_of(accompaniment):
    """The accompaniment's plan with its lines and their indicators, or None."""
    plan = (
        ImpactPlan.objects.filter(accompaniment=accompaniment)
        .select_related("structure_agreed_by", "staff_agreed_by", "proposed_by")
        .first()
    )
    if plan is not None:
        plan.line_list = list(plan.lines.select_related("indicator"))
    return plan


def offered_indicators(plan=None):
    """The catalogue's indicators a plan may add: the active ones it does not hold yet."""
    indicators = Indicator.objects.filter(active=True)
    if plan is not None:
        indicators = indicators.exclude(planned__plan=plan)
    return indicators


def _check(actor, accompaniment):
    if not actor.has_perm("accelerator.plan_impact", accompaniment):
        raise PermissionDenied


def _day(raw, field, errors):
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date):
        return raw
    errors[field] = _("Enter a date as dd/mm/yyyy.")
    return None


def save_line(accompaniment, actor, indicator, *, baseline="", baseline_on=None, target="",
              target_on=None):  # fmt: skip
    """Add `indicator` to the plan, or change its line: the baseline and the target as typed
    ("12,5", "oui", "1 250 €"), with their dates. Refuses, field by field and saving nothing, a
    value outside the indicator's type or unit and a target dated before its baseline. Both
    sides must then agree to the plan again."""
    _check(actor, accompaniment)
    errors, values = {}, {}
    for field, raw in (("baseline", baseline), ("target", target)):
        try:
            values[field] = parse_value(indicator, raw)
        except Refused as refusal:
            errors[field] = refusal.messages[0]
    baseline_on = _day(baseline_on, "baseline_on", errors)
    target_on = _day(target_on, "target_on", errors)
    if baseline_on and target_on and target_on <= baseline_on:
        errors["target_on"] = _("The target date must come after the baseline date.")
    if errors:
        raise Refused(errors)
    (baseline_value, baseline_text), (target_value, target_text) = (
        values["baseline"],
        values["target"],
    )
    with transaction.atomic():
        plan, _created = ImpactPlan.objects.select_for_update().get_or_create(
            accompaniment=accompaniment, defaults={"proposed_by": actor}
        )
        fields = {
            "baseline_value": baseline_value,
            "baseline_text": baseline_text,
            "baseline_on": baseline_on,
            "target_value": target_value,
            "target_text": target_text,
            "target_on": target_on,
        }
        line, _created = PlannedIndicator.objects.update_or_create(
            plan=plan,
            indicator=indicator,
            defaults=fields,
            create_defaults={**fields, "position": plan.lines.count()},
        )
        _changed(plan, actor)
    return line


def remove_line(line, actor):
    """Take an indicator out of the plan; the values already reported for it are kept."""
    plan = line.plan
    _check(actor, plan.accompaniment)
    with transaction.atomic():
        line.delete()
        _changed(plan, actor)


def _changed(plan, actor):
    plan.proposed_by = actor
    plan.updated_at = timezone.now()
    plan.structure_agreed_by = plan.structure_agreed_at = None
    plan.staff_agreed_by = plan.staff_agreed_at = None
    plan.save()


def missing_for_agreement(plan):
    """What the plan lacks before it can be agreed, in the user's words (empty when nothing)."""
    lines = getattr(plan, "line_list", None) or list(plan.lines.select_related("indicator"))
    if not lines:
        return [_("Choose at least one indicator.")]
    missing = []
    for line in lines:
        if line.indicator.value_type == ValueType.TEXT:
            continue
        if line.baseline_value is None or line.baseline_on is None:
            missing.append(
                _("“%(indicator)s” needs a baseline and its date.") % {"indicator": line.indicator}
            )
        if line.target_value is None or line.target_on is None:
            missing.append(
                _("“%(indicator)s” needs a target and its date.") % {"indicator": line.indicator}
            )
    return missing


def agree(plan, actor):
    """Record `actor`'s agreement to the plan as it stands: for the programme when they steer the
    accompaniment (its référent, a manager), else for the structure. Once both sides agree, the
    validated figures are read again against this plan."""
    accompaniment = plan.accompaniment
    _check(actor, accompaniment)
    missing = missing_for_agreement(plan)
    if missing:
        raise Refused(missing)
    now = timezone.now()
    with transaction.atomic():
        if can_steer(actor, accompaniment):
            plan.staff_agreed_by, plan.staff_agreed_at = actor, now
        else:
            plan.structure_agreed_by, plan.structure_agreed_at = actor, now
        plan.save()
        if plan.is_agreed:
            refresh_progress(plan)
    return plan


def refresh_progress(plan):
    """Read every validated figure of the accompaniment again against `plan`'s lines."""
    lines = {line.indicator_id: line for line in plan.lines.select_related("indicator")}
    values = ReportValue.objects.filter(
        report__accompaniment_id=plan.accompaniment_id, report__validated_at__isnull=False
    ).select_related("report")
    changed = []
    for value in values:
        track = on_track(lines.get(value.indicator_id), value.value, value.report.period_end)
        if track != value.on_track:
            value.on_track = track
            changed.append(value)
    ReportValue.objects.bulk_update(changed, ["on_track"])
