"""The broker (a Redis of the test's own) stopped: applicants still save and submit, their receipts
and a batch of reminders wait PENDING in the outbox; once it is back, beat's flush delivers every
waiting message exactly once (counted by Message-ID)."""

from collections import Counter

import pytest
from django.core import mail
from django.test import Client

from applications.models import Dossier
from tests.applications.full_form import COMPLETE_ANSWERS, form_post
from tests.test_redis_outage import applicant_dossier, log_in, page
from tests.workers.test_brokers import running_worker, wait_until
from workers import outbox
from workers.idempotency import message_id
from workers.models import OutboxMessage, OutboxStatus
from workers.tasks import flush_outbox

APPLICANTS = 3
REMINDERS = 20


def reminder_batch():
    """Rendered messages as the reminder engine queues them: many at once, one task for all."""
    return [
        {
            "key": f"reminder:fault:{n}:{n}:first",
            "to": f"juror{n}@example.org",
            "language": "fr",
            "subject": "Une évaluation vous attend",
            "body_text": "Bonjour,\nune évaluation vous attend.",
        }
        for n in range(REMINDERS)
    ]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_applicants_submit_while_the_broker_is_down_and_the_flush_sends_each_message_once(
    postgresql, own_redis
):
    # PostgreSQL: the worker's thread and the test's own flush race for the same rows, which
    # SQLite's whole-table lock refuses instead of arbitrating.
    applicants = [
        applicant_dossier(answers={**COMPLETE_ANSWERS, "q-desc": ""}) for _ in range(APPLICANTS)
    ]
    clients = []
    for owner, _dossier in applicants:
        client = Client()
        log_in(client, owner)
        clients.append(client)

    own_redis.stop()
    for client, (_owner, dossier) in zip(clients, applicants, strict=True):
        saved = client.post(page(dossier), form_post(revision=0))
        submitted = client.post(page(dossier), form_post(revision=1, action="submit"))
        assert saved.status_code == submitted.status_code == 302
        assert submitted["Location"] == page(dossier)
    outbox.queue_many(reminder_batch())

    dossiers = Dossier.objects.filter(pk__in=[dossier.pk for _owner, dossier in applicants])
    assert {dossier.state for dossier in dossiers} == {"submitted"}
    waiting = list(OutboxMessage.objects.all())
    # Two receipts per dossier (owner and editor), and the reminders.
    assert len(waiting) == 2 * APPLICANTS + REMINDERS
    assert {message.status for message in waiting} == {OutboxStatus.PENDING}
    assert mail.outbox == []

    own_redis.start()
    with running_worker(own_redis.app):
        # Beat's flush through the broker, twice, racing a flush of the test's own.
        flush_outbox.delay()
        flush_outbox.delay()
        outbox.flush()
        wait_until(
            lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists(),
            "every waiting message to be sent",
        )
        flush_outbox.delay()
        outbox.flush()

    sent = Counter(email.message()["Message-ID"] for email in mail.outbox)
    assert set(sent) == {message_id(message.key) for message in waiting}
    assert set(sent.values()) == {1}
    assert OutboxMessage.objects.filter(attempts=1).count() == len(waiting)
