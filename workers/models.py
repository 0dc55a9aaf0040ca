"""The notification outbox: every e-mail is a row written with the change that causes it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # prepared, held until staff release it
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # A reminder whose reason went while it waited (the draft was submitted): never sent.
    CANCELLED = "cancelled", _("No longer needed")


class OutboxMessage(models.Model):
    """One e-mail to one recipient. `key` makes queuing idempotent: the same occasion is never
    queued twice, and delivery claims the row before sending so a retry never sends twice."""

    key = models.CharField(max_length=255, unique=True)
    to = models.EmailField(_("recipient"))
    language = models.CharField(max_length=8)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Secrets the bodies carry (links, codes), sealed; the bodies hold placeholders in their place.
    # Erased once the message is sent (see workers.sealing).
    sealed_secrets = models.TextField(blank=True, editable=False)
    # Extra headers (List-Unsubscribe...); a secret in them is sealed like one in the bodies.
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    send_after = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at", "pk"]
        # Following deliveries (recipient, subject, status) is not reading what was written.
        permissions = [("view_outboxmessage_body", _("Can read the bodies of e-mails"))]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class Delivery(models.TextChoices):
    """How a person receives the reminders of one topic."""

    IMMEDIATE = "immediate", _("By e-mail, as they come")
    DIGEST = "digest", _("In one e-mail a day")
    OFF = "off", _("Not at all")


class ReminderStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SENT = "sent", _("Sent")
    # The reason went before the reminder did (the draft was submitted, the review done).
    DROPPED = "dropped", _("No longer needed")
    # The recipient turned this topic off.
    MUTED = "muted", _("Turned off by the recipient")


class Reminder(models.Model):
    """One occasion to remind one person of one thing. The unique key (rule, object, recipient,
    occasion) is what makes a reminder happen once, whatever scans, beats and retries do."""

    rule = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    occasion = models.CharField(max_length=60)
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PLANNED
    )
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_id", "recipient", "occasion"], name="reminder_once"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_status_due")]

    def __str__(self):
        return self.key

    @property
    def key(self):
        return f"reminder:{self.rule}:{self.object_id}:{self.recipient_id}:{self.occasion}"


class Notification(models.Model):
    """What one person is told: shown in the bell, and sent by e-mail as their preferences say.

    `about` and `within` name what it concerns ("dossier:12", "structure:5") so that staff find
    every message sent about a dossier, a structure or a person."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    topic = models.CharField(max_length=60)
    text = models.CharField(_("text"), max_length=255)
    link = models.CharField(max_length=500)
    about = models.CharField(max_length=60, blank=True, db_index=True)
    within = models.CharField(max_length=60, blank=True, db_index=True)
    email = models.ForeignKey(
        OutboxMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    reminder = models.OneToOneField(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    # Waiting for the recipient's daily digest.
    in_digest = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_latest"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(in_digest=True),
                name="notification_digest",
            ),
        ]

    def __str__(self):
        return self.text


class Preference(models.Model):
    """A person's choice for one topic of reminders; without one, e-mails go as they come."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    topic = models.CharField(max_length=60)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="preference_one_per_topic")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.topic} {self.delivery}"
