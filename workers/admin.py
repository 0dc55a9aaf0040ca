"""The outbox, the reminders and the notifications as staff see them in the Django admin: read-only
lists to follow what was planned and sent.

Staff follow deliveries (recipient, subject, status, attempts, times); reading what a message says
takes the separate permission `workers.view_outboxmessage_body`, which programme staff do not have
by default. Even then a secret (reset, confirmation or invitation link) shows as a neutral mark:
it is sealed in the row and only the recipient's copy carries it (workers.sealing).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from workers import outbox, sealing
from workers.models import Notification, OutboxMessage, OutboxStatus, Reminder

BODY_PERMISSION = "workers.view_outboxmessage_body"


class ReadOnlyForStaff(admin.ModelAdmin):
    """Written by the product only (the outbox, the reminder engine): staff read, nobody adds,
    changes or deletes."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyForStaff):
    list_display = ["created_at", "to", "subject", "status", "attempts", "send_after", "sent_at"]
    list_filter = ["status", "language", "created_at"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    actions = ["retry_failed"]
    readonly_fields = [
        "key",
        "to",
        "language",
        "subject",
        "status",
        "attempts",
        "send_after",
        "claimed_at",
        "sent_at",
        "created_at",
        "last_error",
        "text",
        "html",
    ]
    fieldsets = [
        (None, {"fields": ["to", "subject", "language", "key"]}),
        (
            _("Delivery"),
            {"fields": ["status", "attempts", "send_after", "claimed_at", "sent_at", "created_at"]},
        ),
        (_("Last error"), {"fields": ["last_error"]}),
        (_("Message"), {"fields": ["text", "html"], "classes": ["collapse"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if request.user.has_perm(BODY_PERMISSION):
            return self.fieldsets
        return [fieldset for fieldset in self.fieldsets if "text" not in fieldset[1]["fields"]]

    # The bodies as stored hold placeholders for secrets; shown with a neutral mark instead.
    @admin.display(description=_("Text"))
    def text(self, obj):
        return sealing.hide_placeholders(obj.body_text)

    @admin.display(description=_("HTML"))
    def html(self, obj):
        return sealing.hide_placeholders(obj.body_html)

    # Staff may retry failures once the mail problem is fixed.
    def has_retry_permission(self, request):
        return request.user.is_active and request.user.is_staff

    @admin.action(permissions=["retry"], description=_("Try the selected failed messages again"))
    def retry_failed(self, request, queryset):
        ids = list(queryset.filter(status=OutboxStatus.FAILED).values_list("pk", flat=True))
        count = outbox.retry_failed(ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed message will be sent again.",
                "%(count)d failed messages will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyForStaff):
    list_display = [
        "due_at",
        "rule",
        "object_id",
        "recipient",
        "occasion",
        "status",
        "processed_at",
    ]
    list_filter = ["status", "rule"]
    search_fields = ["rule", "occasion", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_at"
    ordering = ["-due_at", "-pk"]
    list_per_page = 50


@admin.register(Notification)
class NotificationAdmin(ReadOnlyForStaff):
    list_display = ["created_at", "recipient", "topic", "text", "about", "within", "read_at"]
    list_filter = ["topic", "in_digest"]
    search_fields = ["recipient__email", "about", "within", "text"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    # The e-mail is shown as its subject, never opened from here: its admin has its own rules.
    exclude = ["email", "reminder"]
