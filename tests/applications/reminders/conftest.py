"""Helpers of the dossier reminders' tests: Paris moments, scans at a moment, what was sent."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from workers import reminders
from workers.models import Reminder, ReminderStatus

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def scan_at(moment, rule):
    """Run the rule's scan at `moment`; returns the number of reminders it planned."""
    with time_machine.travel(moment, tick=False):
        return reminders.scan(names={rule})[rule]


def sent(rule, **filters):
    """{(occasion, recipient id)} of the rule's reminders sent."""
    return set(
        Reminder.objects.filter(rule=rule, status=ReminderStatus.SENT, **filters).values_list(
            "occasion", "recipient_id"
        )
    )


@pytest.fixture
def team(structure, owner, editor, viewer):
    """The structure's owner, editor and viewer: the first two act for it."""
    return owner, editor, viewer


@pytest.fixture
def closing_call(db):
    """A call closing on Wednesday 10 February 2027 at 17:00, Paris time (winter)."""
    return factories.make_call(opens_at=paris(2027, 1, 4, 9), closes_at=paris(2027, 2, 10, 17))
