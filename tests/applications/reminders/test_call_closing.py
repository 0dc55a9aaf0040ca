"""Reminders of a call closing: 7 and 2 days before, and at 9:00 on the closing day, to the members
who act for a structure whose dossier is still a draft; per-call offsets, personal deadlines,
daylight saving time, and a reason checked again until the e-mail leaves."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications.domain.dossiers import change_state
from applications.domain.extensions import grant_extension
from tests import factories
from tests.applications.reminders.conftest import paris, scan_at, sent
from workers import outbox, reminders
from workers.models import (
    Notification,
    OutboxMessage,
    OutboxStatus,
    Reminder,
    ReminderStatus,
)

pytestmark = pytest.mark.django_db
RULE = "call_closing"
MINUTE = timedelta(minutes=1)
STAMP = "2027-02-10T17:00+01:00"


def test_each_offset_reminds_each_acting_member_once(closing_call, structure, team):
    owner, editor, viewer = team
    dossier = factories.make_dossier(call=closing_call, structure=structure)
    acting = {owner.pk, editor.pk}

    for moment, occasion in [
        (paris(2027, 2, 3, 17), f"7d@{STAMP}"),
        (paris(2027, 2, 8, 17), f"2d@{STAMP}"),
        (paris(2027, 2, 10, 9), f"day@{STAMP}"),
    ]:
        assert scan_at(moment - MINUTE, RULE) == 0
        assert scan_at(moment, RULE) == 2
        assert scan_at(moment, RULE) == 0
        assert scan_at(moment + timedelta(hours=1), RULE) == 0
        assert {r for o, r in sent(RULE) if o == occasion} == acting

    assert scan_at(paris(2027, 2, 10, 17), RULE) == 0
    assert len(sent(RULE)) == 6
    assert not Reminder.objects.filter(recipient=viewer).exists()
    assert not OutboxMessage.objects.filter(to=viewer.email).exists()
    bell = Notification.objects.filter(topic="dossier_deadlines")
    assert bell.count() == 6
    assert set(bell.values_list("about", "within", "link")) == {
        (
            f"dossier:{dossier.pk}",
            f"structure:{structure.pk}",
            reverse("applications:dossier", args=[dossier.pk]),
        )
    }


def test_the_reminder_says_when_the_call_closes_and_links_to_the_dossier(
    closing_call, structure, team
):
    owner, _editor, _viewer = team
    dossier = factories.make_dossier(call=closing_call, structure=structure)

    scan_at(paris(2027, 2, 8, 17), RULE)

    message = OutboxMessage.objects.get(to=owner.email)
    assert message.subject == f"Dossier {dossier.reference}: the call closes in 2 days"
    assert "10 February 2027 at 17:00 (Paris time)" in message.body_text
    link = outbox.absolute_url(reverse("applications:dossier", args=[dossier.pk]))
    assert link in message.body_text
    assert f'href="{link}"' in message.body_html
    # Essential: no one-click unsubscribe for one's own deadline.
    assert "List-Unsubscribe" not in message.headers
    bell = Notification.objects.get(recipient=owner)
    assert bell.text == (
        f"The dossier {dossier.reference} for “{closing_call.title}” closes in 2 days"
    )
    assert bell.email_id == message.pk

    scan_at(paris(2027, 2, 10, 9), RULE)
    today = Notification.objects.filter(recipient=owner).order_by("-pk").first()
    assert today.text.endswith("closes today at 17:00")


def test_the_e_mail_is_written_in_the_recipient_s_language(closing_call, structure, owner):
    owner.language = "fr"
    owner.save()
    factories.make_dossier(call=closing_call, structure=structure)

    scan_at(paris(2027, 2, 8, 17), RULE)

    message = OutboxMessage.objects.get(to=owner.email)
    assert message.language == "fr"
    assert "10 février 2027" in message.body_text


def test_after_a_pause_only_the_latest_occasion_goes(closing_call, structure, team):
    owner, editor, _viewer = team
    factories.make_dossier(call=closing_call, structure=structure)

    # The scan did not run from before the 7-day mark until after the 2-day one.
    assert scan_at(paris(2027, 2, 9, 12), RULE) == 2
    assert sent(RULE) == {(f"2d@{STAMP}", owner.pk), (f"2d@{STAMP}", editor.pk)}
    assert scan_at(paris(2027, 2, 10, 8, 59), RULE) == 0


def test_a_late_seven_day_reminder_is_dropped_once_the_two_day_one_is_due(
    closing_call, structure, owner
):
    factories.make_dossier(call=closing_call, structure=structure)
    with time_machine.travel(paris(2027, 2, 3, 17), tick=False):
        reminders.plan_rule(reminders.rules()[RULE], reminders.timezone.now())
    # The batch that should have sent it only runs after the 2-day mark.
    with time_machine.travel(paris(2027, 2, 8, 17), tick=False):
        reminders.send_due()
    assert Reminder.objects.get(occasion=f"7d@{STAMP}").status == ReminderStatus.DROPPED
    assert scan_at(paris(2027, 2, 8, 17), RULE) == 1
    assert sent(RULE) == {(f"2d@{STAMP}", owner.pk)}


@pytest.mark.parametrize(
    ("closes_at", "week_before_utc", "nine_utc"),
    [
        # Summer time starts on Sunday 28 March 2027: 9:00 Paris is 07:00 UTC that day, while
        # a week before (winter) 17:00 Paris is 16:00 UTC.
        (
            paris(2027, 3, 28, 17),
            datetime(2027, 3, 21, 16, tzinfo=UTC),
            datetime(2027, 3, 28, 7, tzinfo=UTC),
        ),
        # Winter time starts on Sunday 25 October 2026: 9:00 Paris is 08:00 UTC that day, while
        # a week before (summer) 17:00 Paris is 15:00 UTC.
        (
            paris(2026, 10, 25, 17),
            datetime(2026, 10, 18, 15, tzinfo=UTC),
            datetime(2026, 10, 25, 8, tzinfo=UTC),
        ),
    ],
    ids=["to-summer-time", "to-winter-time"],
)
def test_reminders_keep_paris_time_across_a_change_of_clocks(
    structure, owner, closes_at, week_before_utc, nine_utc
):
    call = factories.make_call(opens_at=closes_at - timedelta(days=40), closes_at=closes_at)
    factories.make_dossier(call=call, structure=structure)

    assert scan_at(week_before_utc - MINUTE, RULE) == 0
    assert scan_at(week_before_utc, RULE) == 1
    assert scan_at(closes_at - timedelta(days=1), RULE) == 1  # the 2-day reminder
    # 08:59 Paris time on the closing day: nothing yet.
    assert scan_at(nine_utc - MINUTE, RULE) == 0
    assert scan_at(nine_utc, RULE) == 1
    day_of = Reminder.objects.get(occasion__startswith="day@")
    assert day_of.due_at == nine_utc
    assert day_of.status == ReminderStatus.SENT


def test_a_call_sets_its_own_offsets(structure, owner):
    call = factories.make_call(
        opens_at=paris(2027, 1, 4, 9),
        closes_at=paris(2027, 2, 10, 17),
        remind_closing_first_days=10,
        remind_closing_second_days=0,
    )
    factories.make_dossier(call=call, structure=structure)

    assert scan_at(paris(2027, 1, 31, 16, 59), RULE) == 0
    assert scan_at(paris(2027, 1, 31, 17), RULE) == 1
    assert scan_at(paris(2027, 2, 3, 17), RULE) == 0
    assert scan_at(paris(2027, 2, 8, 17), RULE) == 0
    assert scan_at(paris(2027, 2, 10, 9), RULE) == 1
    assert {o for o, _r in sent(RULE)} == {f"10d@{STAMP}", f"day@{STAMP}"}


def test_a_call_without_a_closing_day_reminder(structure, owner):
    call = factories.make_call(
        opens_at=paris(2027, 1, 4, 9),
        closes_at=paris(2027, 2, 10, 17),
        remind_closing_day_hour=None,
    )
    factories.make_dossier(call=call, structure=structure)
    scan_at(paris(2027, 2, 8, 17), RULE)

    assert scan_at(paris(2027, 2, 10, 12), RULE) == 0
    assert {o for o, _r in sent(RULE)} == {f"2d@{STAMP}"}


def test_a_personal_extension_moves_the_reminders(closing_call, structure, owner, staff):
    other = factories.StructureFactory()
    other_owner = factories.MembershipFactory(structure=other, role="owner").user
    on_time = factories.make_dossier(call=closing_call, structure=other)
    extended = factories.make_dossier(call=closing_call, structure=structure)
    scan_at(paris(2027, 2, 3, 17), RULE)  # both get the 7-day reminder of the call's deadline
    with time_machine.travel(paris(2027, 2, 5, 10), tick=False):
        grant_extension(extended, paris(2027, 2, 15, 17), staff, "A fire in the office.")
    new = "2027-02-15T17:00+01:00"

    # The call's 2-day mark and its closing day: only the dossier that keeps its deadline.
    assert scan_at(paris(2027, 2, 8, 17), RULE) == 2
    assert scan_at(paris(2027, 2, 10, 9), RULE) == 1
    assert {
        (r.object_id, r.occasion) for r in Reminder.objects.filter(due_at__gt=paris(2027, 2, 5))
    } >= {
        (on_time.pk, f"2d@{STAMP}"),
        (on_time.pk, f"day@{STAMP}"),
        (extended.pk, f"7d@{new}"),
    }
    # After the call closed, the extended dossier's own deadline.
    assert scan_at(paris(2027, 2, 13, 16, 59), RULE) == 0
    assert scan_at(paris(2027, 2, 13, 17), RULE) == 1
    assert scan_at(paris(2027, 2, 15, 9), RULE) == 1
    assert scan_at(paris(2027, 2, 15, 17), RULE) == 0
    assert {o for o, r in sent(RULE) if r == owner.pk} == {
        f"7d@{STAMP}",
        f"7d@{new}",
        f"2d@{new}",
        f"day@{new}",
    }
    assert {o for o, r in sent(RULE) if r == other_owner.pk} == {
        f"7d@{STAMP}",
        f"2d@{STAMP}",
        f"day@{STAMP}",
    }


def test_a_draft_submitted_before_its_reminder_went_gets_none(closing_call, structure, team):
    owner, _editor, _viewer = team
    dossier = factories.make_dossier(call=closing_call, structure=structure)
    with time_machine.travel(paris(2027, 2, 3, 17), tick=False):
        reminders.plan_rule(reminders.rules()[RULE], reminders.timezone.now())
        assert Reminder.objects.filter(status=ReminderStatus.PLANNED).count() == 2
        change_state(dossier, "submit", owner)

        assert reminders.send_due() == 0

    assert Reminder.objects.filter(status=ReminderStatus.DROPPED).count() == 2
    assert not OutboxMessage.objects.filter(key__startswith="reminder:").exists()
    assert not Notification.objects.filter(topic="dossier_deadlines").exists()
    assert scan_at(paris(2027, 2, 8, 17), RULE) == 0


def test_an_e_mail_waiting_in_the_outbox_is_cancelled_once_the_draft_is_submitted(
    closing_call, structure, owner
):
    dossier = factories.make_dossier(call=closing_call, structure=structure)
    moment = paris(2027, 2, 3, 17)
    scan_at(moment, RULE)
    # The broker was down: the reminder's e-mail still waits in the outbox.
    message = OutboxMessage.objects.get(key__startswith="reminder:call_closing:")
    assert message.status == OutboxStatus.PENDING
    with time_machine.travel(moment + timedelta(minutes=5), tick=False):
        change_state(dossier, "submit", owner)
        mail.outbox.clear()

        assert outbox.deliver(message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboxStatus.CANCELLED
    assert mail.outbox == []
    assert Reminder.objects.get().status == ReminderStatus.DROPPED


def test_a_member_who_left_or_became_a_viewer_is_not_reminded(closing_call, structure, team):
    owner, editor, _viewer = team
    factories.make_dossier(call=closing_call, structure=structure)
    with time_machine.travel(paris(2027, 2, 3, 17), tick=False):
        reminders.plan_rule(reminders.rules()[RULE], reminders.timezone.now())
    editor.memberships.update(role="viewer")

    scan_at(paris(2027, 2, 3, 17, 1), RULE)

    assert sent(RULE) == {(f"7d@{STAMP}", owner.pk)}
    assert Reminder.objects.get(recipient=editor).status == ReminderStatus.DROPPED


@pytest.mark.parametrize("count", [1, 20])
def test_the_scan_costs_the_same_queries_for_one_dossier_or_twenty(
    closing_call, count, django_assert_num_queries
):
    for _n in range(count):
        structure = factories.StructureFactory()
        factories.MembershipFactory(structure=structure, role="owner")
        factories.MembershipFactory(structure=structure, role="editor")
        factories.make_dossier(call=closing_call, structure=structure)
    # A dossier with a personal deadline: its own query, whatever the number of dossiers.
    extended = factories.make_dossier(
        call=closing_call, deadline_extended_to=paris(2027, 2, 12, 17)
    )
    factories.MembershipFactory(structure=extended.structure, role="owner")

    with time_machine.travel(paris(2027, 2, 5, 17), tick=False), django_assert_num_queries(16):
        assert reminders.scan(names={RULE}) == {RULE: 2 * count + 1}

    assert len(sent(RULE)) == 2 * count + 1
