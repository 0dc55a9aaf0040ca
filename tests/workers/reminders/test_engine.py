"""The reminder engine: one INSERT ... SELECT per plan, a unique key per reminder, batches that
resume after a crash, reasons checked again at send, and the recipients' preferences."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tests.factories import UserFactory
from workers import outbox, preferences, reminders
from workers.models import (
    Delivery,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Reminder,
    ReminderStatus,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def people(count, last_name="Due"):
    return [UserFactory(last_name=f"{last_name}{n}") for n in range(count)]


def test_a_scan_plans_one_reminder_per_person_and_a_second_scan_nothing(probe):
    due = people(3)
    UserFactory(last_name="Other")

    assert reminders.scan(names={"probe"}) == {"probe": 3}
    assert reminders.scan(names={"probe"}) == {"probe": 0}

    sent = Reminder.objects.filter(rule="probe", status=ReminderStatus.SENT)
    assert sorted(sent.values_list("recipient_id", flat=True)) == sorted(p.pk for p in due)
    assert OutboxMessage.objects.filter(key__startswith="reminder:probe:").count() == 3
    assert Notification.objects.filter(topic="probe_topic").count() == 3


def test_a_new_occasion_is_a_new_reminder(probe):
    people(2)
    reminders.scan(names={"probe"})
    probe.occasion = "second"

    assert reminders.scan(names={"probe"}) == {"probe": 2}
    assert Reminder.objects.filter(rule="probe").count() == 4


def test_the_database_refuses_a_second_reminder_with_the_same_key(probe):
    from django.db import IntegrityError, transaction

    person = people(1)[0]
    reminders.scan(names={"probe"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            rule="probe",
            object_id=person.pk,
            recipient=person,
            occasion="first",
            due_at=datetime(2026, 12, 1, tzinfo=PARIS),
        )


@pytest.mark.parametrize("count", [1, 25])
def test_planning_costs_the_same_queries_whatever_the_number(
    probe, count, django_assert_num_queries
):
    people(count)
    rule = reminders.rules()["probe"]
    with django_assert_num_queries(1):
        assert reminders.plan_rule(rule, reminders.timezone.now()) == count


@pytest.mark.parametrize("count", [1, 25])
def test_a_batch_costs_the_same_queries_whatever_its_size(probe, count, django_assert_num_queries):
    people(count)
    reminders.plan_rule(reminders.rules()["probe"], reminders.timezone.now())
    # Claim, recipients, reasons, preferences, outbox (3), notifications, statuses; then the
    # empty look that ends the run: the same at 1 and at 25.
    with django_assert_num_queries(11):
        assert reminders.send_due(batch_size=100) == count


def test_batches_take_the_due_reminders_in_turn(probe):
    people(7)
    reminders.plan_rule(reminders.rules()["probe"], reminders.timezone.now())

    assert reminders.send_due(batch_size=3) == 7
    assert not Reminder.objects.filter(status=ReminderStatus.PLANNED).exists()


def test_a_batch_that_crashes_is_taken_again_and_sends_once(probe):
    people(4)
    probe.fail_on_notice = True
    with pytest.raises(RuntimeError):
        reminders.scan(names={"probe"})
    # The crash rolled the batch back: planned, nothing queued, nothing in the bell.
    assert Reminder.objects.filter(status=ReminderStatus.PLANNED).count() == 4
    assert not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()

    probe.fail_on_notice = False
    reminders.scan(names={"probe"})
    reminders.scan(names={"probe"})

    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 4
    assert OutboxMessage.objects.count() == 4
    assert Notification.objects.count() == 4


def test_a_reminder_whose_reason_went_before_the_batch_is_dropped(probe):
    stays, goes = people(2)
    reminders.plan_rule(reminders.rules()["probe"], reminders.timezone.now())
    goes.last_name = "Done"
    goes.save()

    reminders.send_due()

    assert Reminder.objects.get(recipient=goes).status == ReminderStatus.DROPPED
    assert Reminder.objects.get(recipient=stays).status == ReminderStatus.SENT
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [stays.email]


def test_an_email_queued_before_its_reason_went_is_cancelled_at_delivery(probe):
    person = people(1)[0]
    reminders.scan(names={"probe"})
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING  # the broker never took it

    person.last_name = "Done"
    person.save()
    assert outbox.deliver(message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboxStatus.CANCELLED
    assert mail.outbox == []
    assert Reminder.objects.get().status == ReminderStatus.DROPPED


def test_a_reminder_still_wanted_is_delivered_once_with_its_unsubscribe_headers(probe):
    person = people(1)[0]
    reminders.scan(names={"probe"})
    message = OutboxMessage.objects.get()

    assert outbox.deliver(message.pk) is True
    assert outbox.deliver(message.pk) is False

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [person.email]
    unsubscribe = sent.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/notifications/unsubscribe/" in unsubscribe
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The link is the recipient's: the stored row never held it.
    message.refresh_from_db()
    token = unsubscribe.strip("<>").rstrip("/").rsplit("/", 1)[-1]
    assert token not in message.body_text + message.body_html + str(message.headers)
    assert preferences.read_unsubscribe_token(token) == (person.pk, "probe_topic")


def test_a_topic_turned_off_is_muted_and_an_essential_one_never(probe):
    person = people(1)[0]
    preferences.choose(person, "probe_topic", Delivery.OFF)
    preferences.choose(person, "probe_essential", Delivery.OFF)

    reminders.scan(names={"probe", "probe_essential"})

    assert Reminder.objects.get(rule="probe").status == ReminderStatus.MUTED
    assert Reminder.objects.get(rule="probe_essential").status == ReminderStatus.SENT
    essential = OutboxMessage.objects.get()
    assert essential.key.startswith("reminder:probe_essential:")
    # Essential reminders carry no unsubscribe link: one's own deadlines stay on.
    assert "List-Unsubscribe" not in essential.headers


def test_a_digest_gathers_the_day_once(probe):
    person, other = people(2)
    preferences.choose(person, "probe_topic", Delivery.DIGEST)
    reminders.scan(names={"probe"})
    probe.occasion = "second"
    reminders.scan(names={"probe"})

    # The bell has both at once; the e-mail waits for the digest.
    assert Notification.objects.filter(recipient=person, in_digest=True).count() == 2
    assert not OutboxMessage.objects.filter(to=person.email).exists()
    assert OutboxMessage.objects.filter(to=other.email).count() == 2

    morning = datetime(2026, 12, 7, 8, 0, tzinfo=PARIS)
    assert reminders.send_digests(now=morning) == 1
    assert reminders.send_digests(now=morning + timedelta(minutes=5)) == 0

    digest = OutboxMessage.objects.get(to=person.email)
    assert digest.key == f"digest:{person.pk}:2026-12-07"
    assert "Probe for Due0" in digest.body_text
    assert set(
        Notification.objects.filter(recipient=person).values_list("email_id", flat=True)
    ) == {digest.pk}


def test_the_reminder_hour_is_nine_in_paris_in_summer_and_in_winter():
    winter = reminders.paris_time(datetime(2027, 3, 27).date())
    summer = reminders.paris_time(datetime(2027, 3, 28).date())
    assert winter.utcoffset() == timedelta(hours=1) and winter.hour == 9
    assert summer.utcoffset() == timedelta(hours=2) and summer.hour == 9
    assert reminders.reminder_day(datetime(2027, 3, 28, 6, 59, tzinfo=ZoneInfo("UTC"))) == (
        datetime(2027, 3, 27).date()
    )
    assert reminders.reminder_day(datetime(2027, 3, 28, 7, 0, tzinfo=ZoneInfo("UTC"))) == (
        datetime(2027, 3, 28).date()
    )
