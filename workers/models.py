"""The notification outbox: every e-mail is a row written with the change that causes it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # prepared, held until staff release it
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


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
