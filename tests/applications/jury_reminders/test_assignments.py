"""New assignments are told in one grouped notice per juror: by the staff's action when they are
made, else by the rule once a sitting of assigning is over (10 quiet minutes). Never both."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from applications.domain import jury_reminders
from applications.domain.assignment import notify_new_assignments
from applications.models import Assignment
from tests.applications.jury.test_reviews_support import dossier_in_review
from tests.applications.jury_reminders.support import bell, emails, jury, paris, scan, sent, texts
from workers import preferences, reminders
from workers.models import Delivery, OutboxMessage, Reminder, ReminderStatus

pytestmark = pytest.mark.django_db

RULE = "juror_assignments"
START = paris(2027, 3, 10, 10, 0)
ENDS = paris(2027, 4, 30, 17, 0)


def _staff_emails(call):
    return OutboxMessage.objects.filter(key__startswith=f"jury:{call.pk}:assignments:")


def test_a_sitting_is_told_once_ten_minutes_after_its_last_assignment(
    staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as traveller:
        made = jury(staff, ends_at=ENDS, dossiers=1, notified=False, declared=None)
        juror = made.jurors[0]
        traveller.move_to(START + timedelta(minutes=5))
        more = dossier_in_review(made.call, staff)
        Assignment.objects.create(juror=juror, dossier=more)

        traveller.move_to(START + timedelta(minutes=14))
        scan(RULE)
        assert sent(RULE) == []

        traveller.move_to(START + timedelta(minutes=15))
        with django_capture_on_commit_callbacks(execute=True):
            scan(RULE)
        traveller.move_to(START + timedelta(hours=2))
        scan(RULE)

    (reminder,) = sent(RULE)
    assert reminder.occasion == f"upto:{Assignment.objects.get(dossier=more).pk}"
    assert not Assignment.objects.filter(notified_at__isnull=True).exists()
    # Delivered: the outbox's last look does not take the marks just written for a lost reason.
    (message,) = mail.outbox
    assert message.to == [juror.user.email]
    assert message.subject == f"2 new dossiers to review for “{made.call.title}”"
    assert more.reference in message.body and made.dossiers[0].reference in message.body
    assert more.structure.name not in message.body
    assert bell(juror.user)[-1].text == f"2 new dossiers to review for “{made.call.title}”"


def test_the_staff_action_and_the_rule_never_both_tell(staff):
    with time_machine.travel(START, tick=False) as traveller:
        made = jury(staff, ends_at=ENDS, jurors=2, dossiers=2, notified=False, declared=None)
        # The rule planned its reminders, then staff told the jurors before they went.
        traveller.move_to(START + timedelta(minutes=10))
        reminders.plan_rule(jury_reminders.ASSIGNMENTS, timezone.now())
        assert notify_new_assignments(made.call) == 2
        reminders.send_due(timezone.now())
        assert Reminder.objects.filter(rule=RULE, status=ReminderStatus.DROPPED).count() == 2

        # Later assignments told by the rule first: the staff's action then finds nothing.
        third = dossier_in_review(made.call, staff)
        for juror in made.jurors:
            Assignment.objects.create(juror=juror, dossier=third)
        traveller.move_to(START + timedelta(minutes=30))
        scan(RULE)
        assert len(sent(RULE)) == 2
        assert notify_new_assignments(made.call) == 0

    assert _staff_emails(made.call).count() == 2
    assert len(emails(RULE)) == 2
    for message in emails(RULE):
        assert message.subject.startswith("1 new dossier to review")
        assert f"/jury/dossiers/{third.pk}/conflict/" in message.body_text


def test_marks_lost_after_the_staff_action_do_not_tell_twice(staff):
    with time_machine.travel(START, tick=False) as traveller:
        made = jury(staff, ends_at=ENDS, dossiers=2, notified=False, declared=None)
        assert notify_new_assignments(made.call) == 1
        Assignment.objects.update(notified_at=None)
        traveller.move_to(START + timedelta(minutes=10))
        scan(RULE)

    assert emails(RULE) == []
    assert Reminder.objects.get(rule=RULE).status == ReminderStatus.DROPPED
    assert _staff_emails(made.call).count() == 1


def test_the_staff_action_honours_the_jurors_choice(staff):
    with time_machine.travel(START, tick=False):
        made = jury(staff, ends_at=ENDS, jurors=3, dossiers=1, notified=False, blind=True)
        off, digest, immediate = (juror.user for juror in made.jurors)
        preferences.choose(off, "jury_news", Delivery.OFF)
        preferences.choose(digest, "jury_news", Delivery.DIGEST)

        assert notify_new_assignments(made.call) == 1

    assert bell(off) == []
    assert [n.in_digest for n in bell(digest)] == [True]
    (message,) = _staff_emails(made.call)
    assert message.to == immediate.email
    assert bell(immediate)[0].email_id == message.pk
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Blind call: only the count and the link.
    assert made.dossiers[0].reference not in texts(message)
    assert not Assignment.objects.filter(notified_at__isnull=True).exists()
