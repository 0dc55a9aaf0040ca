"""With REDIS_URL set and Redis down: a reminder queued meanwhile whose reason goes before the
broker returns is not sent when it does; one whose reason stays is sent once."""

import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.workers.test_brokers import running_worker, wait_until
from workers import outbox, reminders
from workers.idempotency import message_id
from workers.models import OutboxMessage, OutboxStatus, Reminder, ReminderStatus
from workers.reminders import Notice, Rule, Topic, planned
from workers.tasks import flush_outbox


@pytest.fixture
def waiting_rule(django_user_model):
    """A throwaway rule: it reminds every active person whose last name starts with "Waiting"
    (the reason); renaming the person takes the reason away."""

    def reason(queryset):
        return queryset.filter(is_active=True, last_name__startswith="Waiting")

    def plan(now):
        people = reason(django_user_model.objects.all())
        return [planned(people, object_id="pk", recipient_id="pk", occasion="once", due_at=now)]

    def pending(batch):
        still = set(
            reason(
                django_user_model.objects.filter(pk__in=[r.object_id for r in batch])
            ).values_list("pk", flat=True)
        )
        return {r.pk: {"name": r.recipient.last_name} for r in batch if r.object_id in still}

    def notice(reminder, context):
        return Notice(
            text=f"Still waiting: {context['name']}",
            link="/notifications/",
            template="workers/email/digest",
            context={"items": [{"text": context["name"], "link": "/"}]},
        )

    reminders.register_topic(Topic("fault_topic", "Fault", essential=True))
    yield reminders.register(Rule("fault_waiting", "fault_topic", plan, pending, notice))
    reminders.unregister("fault_waiting")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_reminder_whose_reason_went_while_redis_was_down_is_not_sent(own_redis, waiting_rule):
    stays = UserFactory(last_name="Waiting-stays")
    goes = UserFactory(last_name="Waiting-goes")

    own_redis.stop()
    assert reminders.scan(names={"fault_waiting"}) == {"fault_waiting": 2}
    queued = {message.to: message for message in OutboxMessage.objects.all()}
    assert {message.status for message in queued.values()} == {OutboxStatus.PENDING}
    # The reason goes while the e-mail waits for the broker (the draft was submitted...).
    goes.last_name = "Done"
    goes.save()

    own_redis.start()
    with running_worker(own_redis.app):
        flush_outbox.delay()
        wait_until(
            lambda: not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists(),
            "the flush to take every waiting message",
        )
    outbox.flush()

    cancelled, sent = queued[goes.email], queued[stays.email]
    cancelled.refresh_from_db()
    sent.refresh_from_db()
    assert cancelled.status == OutboxStatus.CANCELLED
    assert "reason" in cancelled.last_error
    assert sent.status == OutboxStatus.SENT
    assert [email.message()["Message-ID"] for email in mail.outbox] == [message_id(sent.key)]
    assert Reminder.objects.get(recipient=goes).status == ReminderStatus.DROPPED
