"""Celery tasks: thin wrappers that load by id and call the outbox."""

from celery import shared_task

from workers import outbox


@shared_task
def deliver_message(message_id):
    """Send one outbox message; a no-op when it was already sent or is being sent."""
    return outbox.deliver(message_id)


@shared_task
def flush_outbox():
    """Beat's safety net, every minute: what was queued while the broker was down, and retries."""
    return outbox.flush()


@shared_task
def clear_expired_sessions():
    """Daily: sessions live in the database, where Django leaves the expired ones."""
    from django.core.management import call_command

    call_command("clearsessions")
