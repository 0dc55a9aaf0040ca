"""Reviews still owed are recalled `remind_reviews_before_days` before the review phase closes:
one grouped reminder per juror and per phase, never twice, never for a review that went in."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from applications.domain import jury_reminders
from applications.models import JurorRole, ReviewPhase
from tests.applications.jury.helpers import declare
from tests.applications.jury_reminders.support import (
    bell,
    emails,
    jury,
    paris,
    scan,
    sent,
    submit,
    texts,
)
from workers import reminders
from workers.models import Reminder, ReminderStatus

pytestmark = pytest.mark.django_db

RULE = "juror_reviews_due"
# The phase closes on Friday 26 March 2027 at 17:00, Paris time (winter time, UTC+1).
ENDS = paris(2027, 3, 26, 17, 0)
DUE = paris(2027, 3, 23, 17, 0)


def test_one_grouped_reminder_three_days_before_the_phase_closes(staff):
    with time_machine.travel(paris(2027, 3, 10, 10, 0), tick=False) as traveller:
        made = jury(staff, ends_at=ENDS, jurors=2, dossiers=3)

        traveller.move_to(DUE - timedelta(minutes=1))
        scan()
        assert sent(RULE) == []

        traveller.move_to(DUE)
        scan()
        reminded = sent(RULE)
        assert sorted(r.recipient_id for r in reminded) == sorted(j.user_id for j in made.jurors)
        assert {r.object_id for r in reminded} == {j.pk for j in made.jurors}
        assert len(emails(RULE)) == 2

        traveller.move_to(DUE + timedelta(hours=5))
        scan()
        assert len(sent(RULE)) == 2
        assert len(emails(RULE)) == 2

    message = next(m for m in emails(RULE) if m.to == made.jurors[0].user.email)
    assert message.subject == f"3 reviews to finish by 26 March 2027 for “{made.call.title}”"
    assert "closes on 26 March 2027 at 17:00 (Paris time)" in message.body_text
    for dossier in made.dossiers:
        assert dossier.reference in message.body_text
        assert dossier.structure.name not in texts(message)
    assert f"/jury/calls/{made.call.pk}/" in message.body_text
    # Essential: no one-click unsubscribe, the juror's own deadline stays on.
    assert "List-Unsubscribe" not in message.headers
    notice = bell(made.jurors[0].user)[-1]
    assert notice.text == f"3 reviews to finish by 26 March 2027 (“{made.call.title}”)"
    assert notice.link == f"/jury/calls/{made.call.pk}/"
    assert (notice.about, notice.within) == (f"call:{made.call.pk}", f"call:{made.call.pk}")


def test_the_offset_is_the_calls(staff):
    with time_machine.travel(paris(2027, 3, 10, 10, 0), tick=False) as traveller:
        made = jury(staff, ends_at=ENDS, remind_reviews_before_days=5)
        traveller.move_to(DUE - timedelta(days=2, minutes=1))
        scan()
        assert sent(RULE) == []
        traveller.move_to(DUE - timedelta(days=2))
        scan()
        assert len(sent(RULE)) == 1

        made.call.remind_reviews_before_days = 0
        made.call.save(update_fields=["remind_reviews_before_days"])
        Reminder.objects.all().delete()
        scan()
        assert sent(RULE) == []


def test_a_review_submitted_after_planning_is_dropped_and_the_rest_still_told(staff):
    with time_machine.travel(DUE, tick=False):
        made = jury(staff, ends_at=ENDS, jurors=2, dossiers=2)
        first, second = made.jurors
        reminders.plan_rule(jury_reminders.REVIEWS_DUE, timezone.now())
        assert Reminder.objects.filter(rule=RULE, status=ReminderStatus.PLANNED).count() == 2
        # Meanwhile, the first juror submits both reviews, the second one of two.
        for dossier in made.dossiers:
            submit(made.assignments[first.pk, dossier.pk])
        submit(made.assignments[second.pk, made.dossiers[0].pk])

        reminders.send_due(timezone.now())

    statuses = dict(Reminder.objects.filter(rule=RULE).values_list("recipient_id", "status"))
    assert statuses == {first.user_id: ReminderStatus.DROPPED, second.user_id: ReminderStatus.SENT}
    (message,) = emails(RULE)
    assert message.to == second.user.email
    assert message.subject.startswith("1 review to finish")
    remaining = made.dossiers[1]
    assert remaining.reference in message.body_text
    assert made.dossiers[0].reference not in message.body_text
    # One dossier: the link goes straight to its review form.
    assert f"/jury/dossiers/{remaining.pk}/review/" in message.body_text
    notice = bell(second.user)[-1]
    assert (notice.link, notice.about) == (
        f"/jury/dossiers/{remaining.pk}/review/",
        f"dossier:{remaining.pk}",
    )


def test_conflicts_and_withdrawn_seats_are_not_reminded(staff):
    with time_machine.travel(DUE, tick=False):
        made = jury(staff, ends_at=ENDS, jurors=3, dossiers=1)
        conflicted, gone, owing = made.jurors
        declare(conflicted, made.dossiers[0], "member")
        reminders.plan_rule(jury_reminders.REVIEWS_DUE, timezone.now())
        # The seat changes hands after planning: the reminder is not for the new person.
        gone.user = owing.user.__class__.objects.create_user(email="other@jury.example.net")
        gone.email = "other@jury.example.net"
        gone.save()
        reminders.send_due(timezone.now())

    assert [r.recipient_id for r in sent(RULE)] == [owing.user_id]
    assert Reminder.objects.filter(rule=RULE, status=ReminderStatus.DROPPED).count() == 1


def test_declarations_still_to_make_are_recalled_in_the_same_email(staff):
    with time_machine.travel(DUE, tick=False):
        made = jury(staff, ends_at=ENDS, dossiers=2, declared=None)
        declare(made.jurors[0], made.dossiers[0], "none")
        scan()

    (message,) = emails(RULE)
    assert "2 reviews to finish" in message.subject
    assert "1 of them still awaits your conflict-of-interest declaration" in message.body_text
    # The declarations of this moment ride on this essential reminder, not on a second e-mail.
    assert emails("juror_conflicts") == []


def test_a_phase_for_presidents_only_reminds_only_presidents(staff):
    with time_machine.travel(DUE, tick=False):
        made = jury(staff, ends_at=ENDS, jurors=2, dossiers=1)
        ReviewPhase.objects.filter(pk=made.phase.pk).update(presidents_only=True)
        president = made.jurors[1]
        president.role = JurorRole.PRESIDENT
        president.save()
        scan()

    assert [r.recipient_id for r in sent(RULE)] == [president.user_id]


def test_moving_the_end_plans_a_reminder_for_the_new_end_and_drops_the_old(staff):
    with time_machine.travel(DUE, tick=False) as traveller:
        made = jury(staff, ends_at=ENDS)
        reminders.plan_rule(jury_reminders.REVIEWS_DUE, timezone.now())
        later = ENDS + timedelta(days=7)
        ReviewPhase.objects.filter(pk=made.phase.pk).update(ends_at=later)
        reminders.send_due(timezone.now())
        assert sent(RULE) == []
        assert Reminder.objects.get(rule=RULE).status == ReminderStatus.DROPPED

        traveller.move_to(later - timedelta(days=3))
        scan()
    (reminder,) = sent(RULE)
    assert reminder.occasion.startswith(f"due:{made.phase.pk}:")
    assert "2 April 2027" in emails(RULE)[0].subject


@pytest.mark.parametrize("blind", [True, False])
def test_a_blind_call_s_reminder_names_no_dossier(staff, blind):
    with time_machine.travel(DUE, tick=False):
        made = jury(staff, ends_at=ENDS, dossiers=2, blind=blind)
        scan()

    (message,) = emails(RULE)
    seen = texts(message) + bell(made.jurors[0].user)[-1].text
    for dossier in made.dossiers:
        assert dossier.structure.name not in seen
        assert (dossier.reference in seen) is not blind
    assert "2 reviews to finish" in message.subject


def test_three_days_before_is_the_same_paris_time_across_the_change_to_summer_time(staff):
    # Closing on Tuesday 30 March 2027 at 17:00 summer time: the reminder goes on Saturday 27 at
    # 17:00 winter time (16:00 UTC), not 72 hours before (15:00 UTC).
    ends = paris(2027, 3, 30, 17, 0)
    with time_machine.travel(paris(2027, 3, 10, 10, 0), tick=False) as traveller:
        jury(staff, ends_at=ends)
        traveller.move_to(datetime(2027, 3, 27, 15, 59, tzinfo=UTC))
        scan()
        assert sent(RULE) == []
        traveller.move_to(datetime(2027, 3, 27, 16, 0, tzinfo=UTC))
        scan()
    (reminder,) = sent(RULE)
    assert reminder.due_at == datetime(2027, 3, 27, 16, 0, tzinfo=UTC)
