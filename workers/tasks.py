"""Celery tasks: thin wrappers that load by id and call the outbox or the reminder engine.

Routes (settings.CELERY_TASK_ROUTES): deliveries on the `mail` queue, scans and digests on the
`scans` queue, so that a long scan never holds a receipt back and a mail server that hangs never
delays a scan.
"""

from celery import shared_task

from workers import outbox, reminders

# Every task that claims outbox messages: its hard limit stays below the claim's timeout
# (outbox.CLAIM_TIMEOUT, 2 minutes), so a live worker never holds a claim that expires; a batch
# stops claiming after outbox.BATCH_SECONDS, and one mail call gives up after EMAIL_TIMEOUT (20 s).
DELIVERY_LIMITS = {"soft_time_limit": 45, "time_limit": 60}


@shared_task(**DELIVERY_LIMITS)
def deliver_message(message_id):
    """Send one outbox message; a no-op when it was already sent or is being sent."""
    return outbox.deliver(message_id)


@shared_task(**DELIVERY_LIMITS)
def deliver_messages(message_ids):
    """Send a batch of outbox messages (the reminders of one batch), one claim each; what its
    time does not cover goes on in a new task."""
    return outbox.deliver_batch(message_ids)


@shared_task(**DELIVERY_LIMITS)
def flush_outbox():
    """Beat's safety net, every minute: what was queued while the broker was down, and retries."""
    return outbox.flush()


@shared_task(soft_time_limit=540, time_limit=600)
def scan_reminders(*rule_names):
    """Plan and send the reminders that are due: every scheduled rule, or the rules named."""
    return reminders.scan(names=set(rule_names) or None)


@shared_task(soft_time_limit=540, time_limit=600)
def send_digests():
    """Daily: one e-mail per person who chose a digest, gathering the day's notifications."""
    return reminders.send_digests()


@shared_task
def clear_expired_sessions():
    """Daily: sessions live in the database, where Django leaves the expired ones."""
    from django.core.management import call_command

    call_command("clearsessions")
