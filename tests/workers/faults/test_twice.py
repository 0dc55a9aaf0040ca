"""A delivery task executed twice, one after the other or at the same instant in two threads on
PostgreSQL: one e-mail."""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from workers.idempotency import message_id
from workers.models import OutboxMessage, OutboxStatus
from workers.tasks import deliver_message, deliver_messages

MESSAGES = 20


def make_messages(count):
    return [
        OutboxMessage.objects.create(
            key=f"dossier:{n}:receipt",
            to=f"applicant{n}@example.org",
            language="en",
            subject="Your dossier was submitted",
            body_text="We received your dossier.",
        )
        for n in range(count)
    ]


def sent_by_message_id():
    return Counter(email.message()["Message-ID"] for email in mail.outbox)


@pytest.mark.django_db
def test_the_delivery_task_executed_twice_sends_one_email():
    (message,) = make_messages(1)

    # As a worker runs a task (a retry, or a redelivery after a lost acknowledgement).
    first = deliver_message.apply(args=(message.pk,))
    second = deliver_message.apply(args=(message.pk,))

    assert (first.get(), second.get()) == (True, False)
    assert sent_by_message_id() == {message_id(message.key): 1}
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


@pytest.mark.django_db
def test_a_batch_task_executed_twice_sends_each_email_once():
    messages = make_messages(5)
    ids = [message.pk for message in messages]

    assert deliver_messages.apply(args=(ids,)).get() == 5
    assert deliver_messages.apply(args=(ids,)).get() == 0

    assert sent_by_message_id() == {message_id(message.key): 1 for message in messages}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_same_delivery_in_two_threads_at_the_same_instant_sends_one_email(postgresql):
    messages = make_messages(MESSAGES)
    start_together = threading.Barrier(2)
    results = {0: [], 1: []}

    def worker(number):
        try:
            for message in messages:
                start_together.wait(timeout=30)
                results[number].append(deliver_message(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert connection.vendor == "postgresql"
    assert [len(results[0]), len(results[1])] == [MESSAGES, MESSAGES]
    # For each message, exactly one of the two threads sent it.
    assert all(a != b for a, b in zip(results[0], results[1], strict=True))
    assert sent_by_message_id() == {message_id(message.key): 1 for message in messages}
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}
