"""Declarations still to make are recalled two days after the juror was told of the dossiers:
one reminder per juror and per announcement, listing everything left to declare."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from applications.domain import jury_reminders
from applications.models import Assignment
from tests.applications.jury.helpers import declare
from tests.applications.jury.test_reviews_support import dossier_in_review
from tests.applications.jury_reminders.support import bell, emails, jury, paris, scan, sent, texts
from workers import reminders

pytestmark = pytest.mark.django_db

RULE = "juror_conflicts"
TOLD = paris(2027, 3, 10, 10, 0)
ENDS = paris(2027, 4, 30, 17, 0)


def test_two_days_after_the_announcement_one_grouped_reminder(staff):
    with time_machine.travel(TOLD, tick=False) as traveller:
        made = jury(staff, ends_at=ENDS, jurors=2, dossiers=3, declared=None)
        declare(made.jurors[1], made.dossiers[0], "none")

        traveller.move_to(TOLD + timedelta(days=2) - timedelta(minutes=1))
        scan(RULE)
        assert sent(RULE) == []

        traveller.move_to(TOLD + timedelta(days=2))
        scan(RULE)
        assert sorted(r.object_id for r in sent(RULE)) == sorted(j.pk for j in made.jurors)

        traveller.move_to(TOLD + timedelta(days=3))
        scan(RULE)
        assert len(sent(RULE)) == 2

    first = next(m for m in emails(RULE) if m.to == made.jurors[0].user.email)
    second = next(m for m in emails(RULE) if m.to == made.jurors[1].user.email)
    assert first.subject == f"3 conflict-of-interest declarations to make for “{made.call.title}”"
    assert second.subject.startswith("2 conflict-of-interest declarations")
    assert made.dossiers[0].reference not in second.body_text
    assert made.dossiers[1].reference in second.body_text
    for dossier in made.dossiers:
        assert dossier.structure.name not in texts(first)
    # Routine: the juror may stop these in one click.
    assert first.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert bell(made.jurors[0].user)[-1].link == f"/jury/calls/{made.call.pk}/"


def test_nothing_once_declared_and_a_later_announcement_gets_its_own_reminder(staff):
    with time_machine.travel(TOLD, tick=False) as traveller:
        made = jury(staff, ends_at=ENDS, dossiers=1, declared=None)
        juror, (dossier,) = made.jurors[0], made.dossiers
        declare(juror, dossier, "none")
        traveller.move_to(TOLD + timedelta(days=2))
        scan(RULE)
        assert sent(RULE) == []

        later = dossier_in_review(made.call, staff)
        Assignment.objects.create(juror=juror, dossier=later, notified_at=timezone.now())
        traveller.move_to(TOLD + timedelta(days=4) - timedelta(minutes=1))
        scan(RULE)
        assert sent(RULE) == []
        traveller.move_to(TOLD + timedelta(days=4))
        scan(RULE)

    (reminder,) = sent(RULE)
    assert reminder.occasion == f"declare:{Assignment.objects.get(dossier=later).pk}"
    (message,) = emails(RULE)
    assert message.subject.startswith("1 conflict-of-interest declaration to make")
    # One dossier: the link goes to its declaration.
    assert f"/jury/dossiers/{later.pk}/conflict/" in message.body_text


def test_a_declaration_made_after_planning_drops_the_reminder(staff):
    with time_machine.travel(TOLD, tick=False) as traveller:
        made = jury(staff, ends_at=ENDS, dossiers=1, declared=None, blind=True)
        traveller.move_to(TOLD + timedelta(days=2))
        reminders.plan_rule(jury_reminders.CONFLICTS, timezone.now())
        declare(made.jurors[0], made.dossiers[0], "partner")
        reminders.send_due(timezone.now())

    assert sent(RULE) == []
    assert emails(RULE) == []
