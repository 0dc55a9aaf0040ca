"""A cohort's reporting schedule: when its structures report on their impact, as staff set it,
or the programme's default."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

from accelerator.models import Accompaniment, ImpactReport, ReportingSchedule


def schedule_of(cohort):
    """The cohort's reporting schedule, or the programme's default one (unsaved)."""
    schedule = ReportingSchedule.objects.filter(cohort=cohort).first()
    return schedule or ReportingSchedule(cohort=cohort)


SCHEDULE_FIELDS = ("every_months", "reports", "last_is_final", "due_within_days")


def save_schedule(cohort, actor, values):
    """Set the cohort's reporting schedule (`values` by SCHEDULE_FIELDS). It applies to the
    reports opened afterwards: those already opened keep their periods and due dates."""
    if not actor.has_perm("accelerator.manage_cohort", cohort):
        raise PermissionDenied
    schedule, _created = ReportingSchedule.objects.update_or_create(
        cohort=cohort, defaults={name: values[name] for name in SCHEDULE_FIELDS}
    )
    return schedule


def opened_reports(cohort):
    """How many of the cohort's structures already have their reports (one query): a new
    schedule leaves them as they are."""
    return (
        Accompaniment.objects.filter(cohort=cohort)
        .filter(Exists(ImpactReport.objects.filter(accompaniment=OuterRef("pk"))))
        .count()
    )
