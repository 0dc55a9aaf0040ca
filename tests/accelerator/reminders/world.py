"""Structures followed by the programme, their milestones and reports, and a clock in Paris: the
helpers of the reminder tests."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine

from accelerator.models import ImpactReport, Milestone, MilestoneOwner, Stage
from tests import factories
from tests.accelerator.cohorts import accompany, make_cohort
from workers import reminders
from workers.models import OutboxMessage, Reminder, ReminderStatus

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC


def paris(day, hour=9, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


@dataclass
class Followed:
    """An accompaniment, the people of its structure and its référent (None when it has none)."""

    accompaniment: object
    owner: object
    editor: object
    viewer: object
    referent: object


def followed(cohort=None, referent=True, entered_at=None):
    """A structure accompanied in `cohort` with an owner, an editor and a viewer, and a référent
    unless told otherwise; its stage entered at `entered_at` (default: now)."""
    cohort = cohort or make_cohort()
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    editor = factories.MembershipFactory(structure=structure, role="editor").user
    viewer = factories.MembershipFactory(structure=structure, role="viewer").user
    referent = factories.StaffFactory() if referent else None
    accompaniment = accompany(cohort, structure, referent=referent)
    if entered_at is not None:
        type(accompaniment).objects.filter(pk=accompaniment.pk).update(stage_entered_at=entered_at)
        accompaniment.refresh_from_db()
    return Followed(accompaniment, owner, editor, viewer, referent)


def milestone(accompaniment, due_on, owner=MilestoneOwner.STRUCTURE, title="Diagnostic"):
    return Milestone.objects.create(
        accompaniment=accompaniment,
        stage=Stage.SOURCING,
        title=title,
        due_on=due_on,
        owner=owner,
    )


def report(accompaniment, due_on, number=1):
    """A report as the schedule opens it (due)."""
    return ImpactReport.objects.create(
        accompaniment=accompaniment,
        number=number,
        period_start=due_on - datetime.timedelta(days=200),
        period_end=due_on - datetime.timedelta(days=30),
        due_on=due_on,
    )


def scan_at(moment, *names):
    """Run the periodic scan of the rules `names` at `moment`, as beat would."""
    with time_machine.travel(moment, tick=False):
        return reminders.scan(names=set(names))


def sent(rule):
    """(object id, recipient id) of the reminders of `rule` that went."""
    return sorted(
        Reminder.objects.filter(rule=rule, status=ReminderStatus.SENT).values_list(
            "object_id", "recipient_id"
        )
    )


def mails(rule):
    return OutboxMessage.objects.filter(key__startswith=f"reminder:{rule}:").order_by("to")
