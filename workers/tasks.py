"""Celery tasks: thin wrappers that load by id and call the outbox."""

from celery import shared_task

from workers import outbox


@shared_task
def deliver_message(message_id):
    return outbox.deliver(message_id)


@shared_task
def flush_outbox():
    """Beat's safety net: send what was queued while the broker was down, and due retries."""
    sent = 0
    for message_id in outbox.due_message_ids():
        sent += outbox.deliver(message_id)
    return sent
