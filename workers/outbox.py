"""Queue and deliver e-mails through the outbox. Imports no domain code: callers pass templates.

The life of a message: `queue_email` writes a PENDING row inside the caller's transaction and asks
for delivery once that transaction commits (a rolled-back change sends nothing). `deliver` claims
the row with one conditional UPDATE, so two workers, or a retry racing the periodic flush, never
both send it. A failed send goes back to PENDING with a growing delay and is picked up by
`flush_outbox` (Celery beat, every minute), which also sends what was queued while the broker was
down; after MAX_ATTEMPTS the message is FAILED and waits for staff.

A worker killed while it holds a claim leaves the row SENDING; once CLAIM_TIMEOUT (2 minutes) has
passed the flush sends it again. A live worker never holds a claim that long (see CLAIM_TIMEOUT),
so only a dead one's claim expires. Every attempt carries the same Message-ID, and the same
idempotency key where the provider takes one (`workers.idempotency`), so a second copy is
recognisable as the first, or dropped by the provider.

The one window that remains: the mail server has accepted the message and the worker dies before
the SENT mark is written. The connection is opened first and closed only after that mark, so the
window is one database write (plus the server's reply on its way back); the QUIT round trip and
the connection's closing are outside it. A message caught in it is sent twice, with the same
Message-ID, by the first flush after CLAIM_TIMEOUT.
"""

import contextlib
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from workers import idempotency, sealing
from workers.backoff import Backoff
from workers.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A row claimed longer ago than this belongs to a worker that died mid-send: try it again.
# Invariant (tested in tests/workers/test_delivery.py): a live worker never holds a claim this
# long. Every task that claims messages is killed at its hard time limit (workers/tasks.py
# DELIVERY_LIMITS: 60 s), below this; a batch stops claiming after BATCH_SECONDS; one call to the
# mail server gives up after EMAIL_TIMEOUT (20 s). Settings: ESSOR_OUTBOX_CLAIM_SECONDS (120).
CLAIM_TIMEOUT = timedelta(seconds=settings.ESSOR_OUTBOX_CLAIM_SECONDS)
# A task delivering several messages claims no new one after this many seconds: the last one then
# has EMAIL_TIMEOUT and more before the soft time limit. The rest goes to a new task or the flush.
BATCH_SECONDS = 20
# The longest wait between two attempts.
MAX_RETRY_DELAY = timedelta(hours=4)
# After a failed publish, the seconds during which dispatch leaves that broker to the flush.
BROKER_PAUSE_SECONDS = 10.0
# Per broker (by URL), in this process.
_broker_backoff = Backoff(BROKER_PAUSE_SECONDS)


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed attempt: 2, 4, 8... minutes, capped."""
    return min(timedelta(minutes=2**attempts), MAX_RETRY_DELAY)


def queue_email(
    *,
    key,
    to,
    template,
    context,
    language=None,
    send_after=None,
    hold=False,
    secrets=(),
    headers=None,
):
    """Write one message to the outbox inside the caller's transaction and return it.

    `template` names a trio found by the template loaders: `<template>_subject.txt`,
    `<template>.txt` and `<template>.html` (the last two usually extend `workers/email/base.txt`
    and `workers/email/base.html`). They are rendered now, in the recipient's language, so a later
    change of template or data never alters a queued message. Queuing the same `key` twice returns
    the first message unchanged. Delivery is dispatched when the caller's transaction commits.
    `hold=True` keeps the message as a draft until `release` is called. `secrets` names the
    context entries that only the recipient may read (an invitation link): they are sealed, never
    stored readable (see `workers.sealing`).
    """
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing:
        return existing
    language = language or settings.LANGUAGE_CODE
    return queue_rendered(
        key=key,
        to=to,
        send_after=send_after,
        hold=hold,
        headers=headers,
        **render_email(template, context, language, secrets=secrets),
    )


def render_email(template, context, language, secrets=()):
    """The subject and bodies of `template` in `language`, and the secret values they carry: the
    keyword arguments of `queue_rendered` but the key, the recipient and the timing."""
    context = {
        "site_url": settings.SITE_URL,
        "programme_name": settings.ESSOR_PROGRAMME_NAME,
        **context,
    }
    with translation.override(language):
        subject = " ".join(_render_plain(f"{template}_subject.txt", context).split())
        context["subject"] = subject
        body_text = _render_plain(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    return {
        "language": language,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
        "secrets": [str(context[name]) for name in secrets if context.get(name)],
    }


def _render_plain(template_name, context):
    """Render a plain-text template without HTML escaping ("L'Atelier", not "L&#x27;Atelier")."""
    template = get_template(template_name)
    return template.template.render(Context(context, autoescape=False))


def queue_rendered(
    *,
    key,
    to,
    language,
    subject,
    body_text,
    body_html="",
    send_after=None,
    hold=False,
    secrets=(),
    headers=None,
):
    """Write an already rendered message to the outbox (see `queue_email`); `secrets` are the
    values (links, codes) found in the bodies or the headers that only the recipient may read."""
    body_text, body_html, headers, sealed = sealing.redact(
        body_text, body_html, secrets, headers=headers or {}
    )
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key,
                to=to,
                language=language,
                subject=subject[:255],
                body_text=body_text,
                body_html=body_html,
                sealed_secrets=sealed,
                headers=headers,
                status=OutboxStatus.DRAFT if hold else OutboxStatus.PENDING,
                send_after=send_after or timezone.now(),
            )
    except IntegrityError:
        # The same occasion was queued before, perhaps by a concurrent transaction.
        return OutboxMessage.objects.get(key=key)
    if not hold:
        _dispatch_on_commit(message.pk)
    return message


def queue_many(messages):
    """Write many rendered messages at once (each a dict of `queue_rendered`'s arguments) and
    return {key: message id}. Three queries whatever the number; a key already queued keeps its
    first message. One task delivers them all once the caller's transaction commits."""
    if not messages:
        return {}
    rows = []
    for message in messages:
        body_text, body_html, headers, sealed = sealing.redact(
            message["body_text"],
            message.get("body_html", ""),
            message.get("secrets", ()),
            headers=message.get("headers") or {},
        )
        rows.append(
            OutboxMessage(
                key=message["key"],
                to=message["to"],
                language=message["language"],
                subject=message["subject"][:255],
                body_text=body_text,
                body_html=body_html,
                sealed_secrets=sealed,
                headers=headers,
                status=OutboxStatus.PENDING,
                send_after=message.get("send_after") or timezone.now(),
            )
        )
    keys = [row.key for row in rows]
    fresh = set(keys) - set(
        OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True)
    )
    OutboxMessage.objects.bulk_create(
        [row for row in rows if row.key in fresh], ignore_conflicts=True
    )
    ids = dict(OutboxMessage.objects.filter(key__in=keys).values_list("key", "pk"))
    fresh_ids = [ids[key] for key in fresh if key in ids]
    if fresh_ids:
        transaction.on_commit(lambda: dispatch_many(fresh_ids))
    return ids


def _dispatch_on_commit(message_id):
    transaction.on_commit(lambda: dispatch(message_id))


def dispatch_many(message_ids):
    """One task for a batch of messages; the flush sends them if the broker is down."""
    from workers.tasks import deliver_messages

    _publish(deliver_messages, list(message_ids), f"{len(message_ids)} outbox messages")


def dispatch(message_id):
    """Ask a worker to deliver the message now. The broker being down must not break the caller:
    the message stays PENDING and the periodic flush sends it.

    After a failed publish this process leaves that broker alone for BROKER_PAUSE_SECONDS: a hung
    Redis costs one socket timeout to the first message, not one to each message of a request.
    """
    from workers.tasks import deliver_message

    _publish(deliver_message, message_id, f"outbox message {message_id}")


def _publish(task, argument, what):
    broker = task.app.conf.broker_url
    if _broker_backoff.waiting(broker):
        logger.info("Broker unavailable: %s waits for the flush", what)
        return
    try:
        # No publish retries: a request must not hang on a dead broker; the flush is the retry.
        task.apply_async((argument,), retry=False)
    except Exception:
        _broker_backoff.failed(broker)
        logger.warning(
            "Could not dispatch %s; the periodic flush will send it", what, exc_info=True
        )


def _claimable(now):
    """PENDING and due, or SENDING for longer than CLAIM_TIMEOUT (its worker died mid-send)."""
    return Q(status=OutboxStatus.PENDING, send_after__lte=now) | Q(
        status=OutboxStatus.SENDING,
        claimed_at__lt=now - CLAIM_TIMEOUT,
        attempts__lt=MAX_ATTEMPTS,
    )


def claim(message_id):
    """Take a due message for sending and return it, or None if it is not ours to send.

    One conditional UPDATE: of two workers racing for the same row, exactly one sees a row
    updated. The attempt is counted at claim time, so a worker that dies mid-send still uses
    one of the MAX_ATTEMPTS. `claimed_at` doubles as the claim's token for the final update.
    """
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=message_id)
        .filter(_claimable(now))
        .update(status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def deliver(message_id):
    """Send one message if it is due and not already taken. Returns True when it was sent now.

    A failure never raises to the caller: it is recorded on the row (attempts, last error) and the
    message goes back to PENDING with a growing delay, or to FAILED after MAX_ATTEMPTS.
    """
    message = claim(message_id)
    if message is None:
        return False
    ours = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.SENDING, claimed_at=message.claimed_at
    )
    reason = _vetoed(message)
    if reason:
        ours.update(status=OutboxStatus.CANCELLED, last_error=reason, claimed_at=None)
        return False
    connection = get_connection()
    try:
        # Opened here, so the backend leaves it open after sending (Django's backends close only
        # what they opened): the SENT mark below is written before the QUIT round trip.
        connection.open()
        if not connection.send_messages([_build_email(message)]):
            raise RuntimeError("The mail backend sent nothing")
    except Exception as error:
        _close(connection)
        failed = message.attempts >= MAX_ATTEMPTS
        ours.update(
            status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
            last_error=repr(error)[:2000],
            send_after=timezone.now() + retry_delay(message.attempts),
            claimed_at=None,
        )
        logger.warning(
            "Sending outbox message %s failed (attempt %s of %s): %r",
            message.pk,
            message.attempts,
            MAX_ATTEMPTS,
            error,
        )
        return False
    # The server has the message: from here to this one UPDATE is the only window in which a
    # crash sends it twice. Sent: the recipient has the secret; the outbox keeps the redacted text.
    ours.update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", sealed_secrets="")
    _close(connection)
    return True


def _close(connection):
    # The message is marked already: a server that drops the line at QUIT changes nothing.
    with contextlib.suppress(Exception):
        connection.close()


def deliver_many(message_ids, seconds=None):
    """Deliver messages one claim each, taking no new one after `seconds` (BATCH_SECONDS), so
    that the task stays far below its time limit. Returns (sent now, the ids not tried)."""
    seconds = BATCH_SECONDS if seconds is None else seconds
    message_ids = list(message_ids)
    started = time.monotonic()
    sent = 0
    for index, message_id in enumerate(message_ids):
        if time.monotonic() - started > seconds:
            return sent, message_ids[index:]
        sent += deliver(message_id)
    return sent, []


def deliver_batch(message_ids):
    """A batch task's work (the reminders of one batch): what its time does not cover goes to a
    new task, or to the flush if the broker is down. Returns the number sent."""
    sent, left = deliver_many(message_ids)
    if left:
        dispatch_many(left)
    return sent


# Functions asked, just before sending, whether a message is still wanted: each returns a reason
# to cancel it, or "" (the reminder engine registers one: a reminder whose reason went).
_vetoes = []


def register_veto(veto):
    if veto not in _vetoes:
        _vetoes.append(veto)


def _vetoed(message):
    for veto in _vetoes:
        reason = veto(message)
        if reason:
            return reason
    return ""


def recipient_bodies(message):
    """(text, html) as the recipient receives them, secrets filled in. For delivery only."""
    return sealing.reveal(message.body_text, message.body_html, message.sealed_secrets)


def _build_email(message):
    body_text, body_html = recipient_bodies(message)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={
            "X-Essor-Key": message.key[:200],
            **sealing.reveal_headers(message.headers, message.sealed_secrets),
            # The same Message-ID (and idempotency key) at every attempt.
            **idempotency.headers(message.key),
        },
    )
    if body_html:
        email.attach_alternative(body_html, "text/html")
    return email


def due_message_ids(limit=200):
    now = timezone.now()
    return list(
        OutboxMessage.objects.filter(_claimable(now))
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def fail_abandoned():
    """Give up on messages whose last allowed attempt died mid-send (never claimable again)."""
    return OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING,
        claimed_at__lt=timezone.now() - CLAIM_TIMEOUT,
        attempts__gte=MAX_ATTEMPTS,
    ).update(
        status=OutboxStatus.FAILED,
        claimed_at=None,
        last_error="The worker stopped while sending; it may or may not have been sent.",
    )


RESTORED_WHILE_SENDING = "Restored from backup: may have been sent; check before retrying."


def fail_sends_caught_by_a_backup():
    """After a restore: a message SENDING when the backup was taken may have reached its
    recipient, so sending it again could send it twice; it waits for staff as FAILED. PENDING
    messages had not been sent then: they go out as usual."""
    return OutboxMessage.objects.filter(status=OutboxStatus.SENDING).update(
        status=OutboxStatus.FAILED, claimed_at=None, last_error=RESTORED_WHILE_SENDING
    )


def flush(limit=200):
    """Send the due messages (queued while the broker was down, waiting for a retry, or claimed by
    a worker that died), as many as BATCH_SECONDS allows; the next flush takes the rest."""
    fail_abandoned()
    sent, _left = deliver_many(due_message_ids(limit))
    return sent


def release(message_ids, send_after=None):
    """Turn held drafts into pending messages, to be sent at `send_after` (now by default)."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=message_ids, status=OutboxStatus.DRAFT)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.PENDING, send_after=send_after or timezone.now()
        )
        if send_after is None:
            for message_id in ids:
                _dispatch_on_commit(message_id)
    return len(ids)


def retry_failed(message_ids):
    """Give FAILED messages a fresh set of attempts (staff, once the mail problem is fixed)."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=message_ids, status=OutboxStatus.FAILED)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.PENDING, attempts=0, send_after=timezone.now(), claimed_at=None
        )
        for message_id in ids:
            _dispatch_on_commit(message_id)
    return len(ids)
