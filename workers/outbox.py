"""Queue and deliver e-mails through the outbox. Imports no domain code: callers pass templates."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from workers.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A row claimed longer ago than this belongs to a worker that died mid-send: try it again.
CLAIM_TIMEOUT = timedelta(minutes=15)


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def queue_email(*, key, to, template, context, language=None, send_after=None, hold=False):
    """Write one message to the outbox inside the caller's transaction and return it.

    `template` names a trio under templates/: `<template>_subject.txt`, `<template>.txt` and
    `<template>.html`. They are rendered now, in the recipient's language, so a later change of
    template or data never alters a queued message. Queuing the same `key` twice returns the first
    message unchanged. Delivery is dispatched when the caller's transaction commits.
    """
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing:
        return existing
    language = language or settings.LANGUAGE_CODE
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    return queue_rendered(
        key=key,
        to=to,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        send_after=send_after,
        hold=hold,
    )


def queue_rendered(*, key, to, language, subject, body_text, body_html="", send_after=None, hold=False):
    """Write an already rendered message to the outbox (see `queue_email`)."""
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key,
                to=to,
                language=language,
                subject=subject[:255],
                body_text=body_text,
                body_html=body_html,
                status=OutboxStatus.DRAFT if hold else OutboxStatus.PENDING,
                send_after=send_after or timezone.now(),
            )
    except IntegrityError:
        # The same occasion was queued before, perhaps by a concurrent transaction.
        return OutboxMessage.objects.get(key=key)
    if not hold:
        transaction.on_commit(lambda: _dispatch(message.pk))
    return message


def _dispatch(message_id):
    from workers.tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception:  # noqa: BLE001 - the broker being down must not break the request
        logger.warning("Broker unreachable; message %s waits for the periodic flush", message_id)


def claim(message_id):
    """Mark a due message as being sent and return it, or None if it is not ours to send."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            OutboxMessage.objects.filter(pk=message_id, send_after__lte=now)
            .filter(_pending_or_stale(now))
            .update(status=OutboxStatus.SENDING, claimed_at=now)
        )
    if not claimed:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def _pending_or_stale(now):
    return Q(status=OutboxStatus.PENDING) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )


def deliver(message_id):
    """Send one message. The row is claimed first (an atomic UPDATE), so two workers, or a retry
    racing the periodic flush, can never both send it. Returns True when it was sent now; a failure
    is recorded and retried later by the periodic flush, with a growing delay."""
    message = claim(message_id)
    if message is None:
        return False
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"X-Essor-Key": message.key[:200]},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except Exception as error:
        attempts = message.attempts + 1
        backoff = timedelta(minutes=min(2**attempts, 240))
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.FAILED if attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING,
            attempts=attempts,
            last_error=repr(error)[:2000],
            send_after=timezone.now() + backoff,
            claimed_at=None,
        )
        logger.warning("Sending message %s failed (attempt %s): %r", message.pk, attempts, error)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=message.attempts + 1
    )
    return True


def due_message_ids(limit=200):
    now = timezone.now()
    return list(
        OutboxMessage.objects.filter(send_after__lte=now)
        .filter(_pending_or_stale(now))
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def release(message_ids, send_after=None):
    """Turn held drafts into pending messages, to be sent at `send_after` (now by default)."""
    return OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.DRAFT).update(
        status=OutboxStatus.PENDING, send_after=send_after or timezone.now()
    )
