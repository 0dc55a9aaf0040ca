"""The reminder engine: rules declared by the rooms, planned in one query each, sent once.

A rule says three things (see `Rule`): which reminders are due now (`plan`, querysets the engine
turns into one INSERT ... SELECT each, so a scan costs the same few queries for ten items or a
hundred thousand and holds none of them in memory), which of them still have a reason when they
are about to go (`pending`), and what to say (`notice`). The table of reminders has a unique key
(rule, object, recipient, occasion): a scan that runs twice, a beat that restarts or a retried task
inserts nothing new, so nothing goes twice.

Planned reminders are then sent in batches (`send_due`), each batch in one transaction: its
reasons checked again, the recipients' preferences applied, the notifications written and the
e-mails queued in the outbox. A crash rolls the batch back and the next run takes it again; the
outbox's own keys make a second attempt harmless. The outbox asks once more just before sending
(`_still_wanted`), so an e-mail queued while the broker was down is not sent once its reason went.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case, CharField, DateTimeField, F, Value, When
from django.urls import reverse
from django.utils import timezone, translation

from workers import outbox, preferences
from workers.models import (
    Delivery,
    Notification,
    OutboxMessage,
    Reminder,
    ReminderStatus,
)
from workers.preferences import Topic, register_topic, topics  # noqa: F401 (the rooms' API)

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
# Date-based reminders (a milestone due in 7 days) go at this hour, Paris time, on their day.
REMINDER_HOUR = time(9, 0)
BATCH_SIZE = 500
# The aliases every plan's queryset yields: the reminded object, the recipient, the occasion and
# when the reminder is due.
PLAN_ALIASES = ("r_object", "r_recipient", "r_occasion", "r_due")


@dataclass
class Notice:
    """What one reminder says, built in the recipient's language by the rule's `notice`."""

    text: str
    link: str
    template: str
    context: dict = field(default_factory=dict)
    about: str = ""
    within: str = ""


@dataclass(frozen=True)
class Rule:
    """One kind of reminder.

    - `plan(now)`: querysets of the reminders due at `now`, each yielding PLAN_ALIASES (build
      them with `planned()`); an occasion already planned is simply not inserted again.
    - `pending(reminders)`: {reminder pk: context} for the reminders whose reason still holds,
      in a constant number of queries; the others are dropped.
    - `notice(reminder, context)`: the `Notice` to send, called in the recipient's language.
    - `scheduled`: part of the periodic scan; False for a rule that beat runs on its own
      schedule (the staff's weekly digest).
    - `after(reminders)`: optional, called in the batch's transaction once they are sent.
    """

    name: str
    topic: str
    plan: Callable
    pending: Callable
    notice: Callable
    scheduled: bool = True
    after: Callable | None = None


_rules: dict[str, Rule] = {}


def register(rule):
    """Called by the rooms when their app is ready; registering again replaces."""
    if rule.topic not in topics():
        raise ValueError(f"Rule {rule.name} names an unknown topic {rule.topic}")
    _rules[rule.name] = rule
    return rule


def unregister(name):
    """Remove a rule (and its topic when no other rule uses it): for tests' throwaway rules."""
    rule = _rules.pop(name, None)
    if rule and not any(other.topic == rule.topic for other in _rules.values()):
        preferences.unregister_topic(rule.topic)


def rules():
    return dict(_rules)


def topic_of(rule_name):
    return topics()[_rules[rule_name].topic]


# --- time ------------------------------------------------------------------------------------


def paris_time(day, at=REMINDER_HOUR):
    """The aware instant of `at` o'clock in Paris on `day`, summer or winter time alike."""
    return datetime.combine(day, at, tzinfo=PARIS)


def reminder_day(now):
    """The last day whose reminder hour has come: today from 9:00 Paris time, else yesterday."""
    local = timezone.localtime(now, PARIS)
    return local.date() if local.time() >= REMINDER_HOUR else local.date() - timedelta(days=1)


def planned(queryset, *, object_id, recipient_id, occasion, due_at):
    """A plan's queryset: `queryset` reduced to the four values of a reminder. `object_id` and
    `recipient_id` are field paths or expressions; `occasion` a string or an expression (a
    string is taken as it is, not as a field); `due_at` an aware datetime or an expression.
    A plan that groups (one reminder per juror for many assignments) may instead build its own
    `.values()` with the aliases of PLAN_ALIASES."""

    def field(value):
        return F(value) if isinstance(value, str) else value

    def constant(value, output_field):
        return value if hasattr(value, "resolve_expression") else Value(value, output_field)

    return queryset.order_by().values(
        r_object=field(object_id),
        r_recipient=field(recipient_id),
        r_occasion=constant(occasion, CharField()),
        r_due=constant(due_at, DateTimeField()),
    )


# --- planning --------------------------------------------------------------------------------


def scan(now=None, names=None):
    """Plan every due reminder of the scheduled rules (or of the rules `names`), then send them.
    Returns {rule name: reminders newly planned}."""
    now = now or timezone.now()
    chosen = [
        rule
        for rule in _rules.values()
        if (names is None and rule.scheduled) or (names is not None and rule.name in names)
    ]
    counts = {rule.name: plan_rule(rule, now) for rule in chosen}
    send_due(now)
    return counts


def plan_rule(rule, now):
    """Insert the rule's due reminders, one INSERT ... SELECT per queryset of its plan."""
    inserted = 0
    for queryset in rule.plan(now):
        inserted += _insert_from(rule.name, queryset, now)
    return inserted


def _insert_from(rule_name, queryset, now):
    select_sql, params = queryset.query.sql_with_params()
    table = Reminder._meta.db_table
    columns = "rule, object_id, recipient_id, occasion, due_at, status, created_at"
    picked = ", ".join(f"q.{alias}" for alias in PLAN_ALIASES)
    # Constants and the ORM's own compiled SQL: every value goes as a parameter.
    values = f"SELECT %s, {picked}, %s, %s FROM ({select_sql}) q"  # nosec B608 # see above
    created_at = DateTimeField().get_db_prep_value(now, connection)
    params = (rule_name, ReminderStatus.PLANNED, created_at, *params)
    if connection.vendor == "sqlite":
        sql = f"INSERT OR IGNORE INTO {table} ({columns}) {values}"
    else:
        sql = f"INSERT INTO {table} ({columns}) {values} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


# --- sending ---------------------------------------------------------------------------------


def send_due(now=None, batch_size=BATCH_SIZE, max_batches=None):
    """Send the planned reminders that are due, batch after batch. Returns the number sent."""
    now = now or timezone.now()
    sent = batches = 0
    while max_batches is None or batches < max_batches:
        done, count = send_batch(now, batch_size)
        sent += count
        batches += 1
        if done:
            break
    return sent


def send_batch(now, batch_size=BATCH_SIZE):
    """One batch in one transaction. Returns (nothing left, reminders sent)."""
    with transaction.atomic():
        due = Reminder.objects.filter(status=ReminderStatus.PLANNED, due_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        batch = list(due.order_by("due_at", "pk")[:batch_size])
        if not batch:
            return True, 0
        users = get_user_model().objects.in_bulk({r.recipient_id for r in batch})
        for reminder in batch:
            reminder.recipient = users[reminder.recipient_id]
        sent = _send(batch, now)
    return len(batch) < batch_size, sent


def _send(batch, now):
    by_rule = defaultdict(list)
    for reminder in batch:
        by_rule[reminder.rule].append(reminder)
    contexts = {}
    for name, reminders in by_rule.items():
        rule = _rules.get(name)
        if rule is not None:
            contexts.update(rule.pending(reminders))
    choices = preferences.deliveries(
        {(r.recipient_id, _rules[r.rule].topic) for r in batch if r.pk in contexts}
    )
    notifications, emails, outcome = [], [], {}
    for reminder in batch:
        if reminder.pk not in contexts:
            outcome[reminder.pk] = ReminderStatus.DROPPED
            continue
        topic = topic_of(reminder.rule)
        delivery = choices.get((reminder.recipient_id, topic.name), Delivery.IMMEDIATE)
        if delivery == Delivery.OFF and not topic.essential:
            outcome[reminder.pk] = ReminderStatus.MUTED
            continue
        digest = delivery == Delivery.DIGEST and not topic.essential
        notice, email = _prepare(reminder, contexts[reminder.pk], topic, digest)
        notifications.append((reminder, notice, digest))
        if email:
            emails.append(email)
        outcome[reminder.pk] = ReminderStatus.SENT
    email_ids = outbox.queue_many(emails)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=reminder.recipient_id,
                topic=_rules[reminder.rule].topic,
                text=str(notice.text)[:255],
                link=notice.link,
                about=notice.about,
                within=notice.within,
                reminder=reminder,
                email_id=None if digest else email_ids.get(reminder.key),
                in_digest=digest,
                created_at=now,
            )
            for reminder, notice, digest in notifications
        ],
        ignore_conflicts=True,
    )
    for status in set(outcome.values()):
        Reminder.objects.filter(pk__in=[pk for pk, s in outcome.items() if s == status]).update(
            status=status, processed_at=now
        )
    for name, reminders in by_rule.items():
        rule = _rules.get(name)
        done = [r for r in reminders if outcome[r.pk] == ReminderStatus.SENT]
        if rule is not None and rule.after and done:
            rule.after(done)
    return sum(1 for status in outcome.values() if status == ReminderStatus.SENT)


def _prepare(reminder, context, topic, digest):
    """The notice in the recipient's language, and its e-mail unless it waits for the digest."""
    recipient = reminder.recipient
    rule = _rules[reminder.rule]
    with translation.override(recipient.language):
        notice = rule.notice(reminder, context)
        notice.text = str(notice.text)
        if digest:
            return notice, None
        return notice, email_for(recipient, notice, topic, reminder.key)


def email_for(recipient, notice, topic, key):
    """The e-mail of `notice` to `recipient`, rendered in their language, as `queue_many` and
    `outbox.queue_rendered` take it: a link to the exact page and to the preferences, and for a
    routine topic the one-click unsubscribe link (sealed: the recipient's own) and its headers."""
    context = {
        **notice.context,
        "recipient": recipient,
        "link": absolute(notice.link),
        "preferences_url": absolute(reverse("workers:preferences")),
    }
    headers, secrets = {}, ()
    if not topic.essential:
        unsubscribe = absolute(preferences.unsubscribe_path(recipient, topic.name))
        context["unsubscribe_url"] = unsubscribe
        headers = preferences.unsubscribe_headers(unsubscribe)
        secrets = ("unsubscribe_url",)
    rendered = outbox.render_email(notice.template, context, recipient.language, secrets=secrets)
    return {"key": key, "to": recipient.email, "headers": headers, **rendered}


def absolute(path):
    return outbox.absolute_url(path)


# --- the last look before sending --------------------------------------------------------------


def _still_wanted(message):
    """The outbox's veto: a reminder's e-mail whose reason went while it waited is cancelled."""
    if not message.key.startswith("reminder:"):
        return ""
    try:
        _, rule_name, object_id, recipient_id, occasion = message.key.split(":", 4)
    except ValueError:
        return ""
    rule = _rules.get(rule_name)
    reminder = Reminder.objects.filter(
        rule=rule_name, object_id=object_id, recipient_id=recipient_id, occasion=occasion
    ).first()
    if rule is None or reminder is None:
        return ""
    reminder.recipient = get_user_model().objects.get(pk=reminder.recipient_id)
    if rule.pending([reminder]):
        return ""
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.DROPPED)
    return "The reason for this reminder went before it was sent."


outbox.register_veto(_still_wanted)


# --- notices that are not reminders ----------------------------------------------------------


def notify(recipient, *, topic, text, link, about="", within="", email=None):
    """Put a notice in `recipient`'s bell beside the e-mail (`email`, an OutboxMessage) that a
    transition queued: the bell is fed by the same events as the e-mails."""
    return Notification.objects.create(
        recipient=recipient,
        topic=topic,
        text=str(text)[:255],
        link=link,
        about=about,
        within=within,
        email=email if isinstance(email, OutboxMessage) else None,
    )


# --- the daily digest ------------------------------------------------------------------------


def send_digests(now=None, batch_size=BATCH_SIZE):
    """One e-mail per person gathering the notifications they asked to receive once a day.
    Keyed by person and day: a second run the same day sends nothing more."""
    now = now or timezone.now()
    day = timezone.localtime(now, PARIS).date()
    sent = 0
    while True:
        with transaction.atomic():
            recipients = list(
                Notification.objects.filter(in_digest=True)
                .order_by("recipient_id")
                .values_list("recipient_id", flat=True)
                .distinct()[:batch_size]
            )
            if not recipients:
                return sent
            waiting = list(
                Notification.objects.filter(in_digest=True, recipient_id__in=recipients)
                .select_related("recipient")
                .order_by("recipient_id", "created_at", "pk")
            )
            by_recipient = defaultdict(list)
            for notification in waiting:
                by_recipient[notification.recipient].append(notification)
            emails = []
            for recipient, items in by_recipient.items():
                with translation.override(recipient.language):
                    rendered = outbox.render_email(
                        "workers/email/digest",
                        {
                            "recipient": recipient,
                            "items": [
                                {"text": item.text, "link": absolute(item.link)} for item in items
                            ],
                            "preferences_url": absolute(reverse("workers:preferences")),
                        },
                        recipient.language,
                    )
                key = f"digest:{recipient.pk}:{day.isoformat()}"
                emails.append({"key": key, "to": recipient.email, **rendered})
            ids = outbox.queue_many(emails)
            Notification.objects.filter(pk__in=[item.pk for item in waiting]).update(
                in_digest=False,
                email_id=Case(
                    *(
                        When(recipient_id=recipient.pk, then=Value(ids.get(email["key"])))
                        for recipient, email in zip(by_recipient, emails, strict=True)
                    ),
                    default=None,
                ),
            )
            sent += len(emails)
