"""What was sent about a dossier, a structure or a person, and its delivery: for programme staff.

Subjects, statuses and errors only: the bodies are never read here (they are not even loaded), and
the secrets they carried are sealed in the outbox anyway.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from workers import outbox
from workers.models import Notification, OutboxMessage, OutboxStatus
from workers.reminders import topics
from workers.views import CappedPaginator
from workers.views.people import is_local_path

PAGE_SIZE = 50
VIEW_PERMISSION = "workers.view_deliveries"
RETRY_PERMISSION = "workers.retry_deliveries"
# What a row reads of the notification, its recipient and its e-mail: no body, no secret.
ROW_FIELDS = (
    "pk",
    "topic",
    "text",
    "about",
    "within",
    "in_digest",
    "created_at",
    "read_at",
    "recipient__id",
    "recipient__first_name",
    "recipient__last_name",
    "recipient__email",
    "email__id",
    "email__to",
    "email__subject",
    "email__status",
    "email__attempts",
    "email__last_error",
    "email__send_after",
    "email__sent_at",
)
TITLES = {
    "dossier": gettext_lazy("Messages about dossier no. %(id)s"),
    "structure": gettext_lazy("Messages about structure no. %(id)s"),
}


def permission_required(permission):
    """Anonymous people are sent to log in; signed-in people without `permission` get a 403, as
    on the other staff pages."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _history(request, kind, pk, found, title, person=None):
    rows = (
        found.select_related("recipient", "email").only(*ROW_FIELDS).order_by("-created_at", "-pk")
    )
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {name: topic.label for name, topic in topics().items()}
    for notification in page.object_list:
        notification.topic_label = labels.get(notification.topic, notification.topic)
    context = {
        "kind": kind,
        "pk": pk,
        "title": title,
        "person": person,
        "page": page,
        "may_retry": request.user.has_perm(RETRY_PERMISSION),
        "failed": OutboxStatus.FAILED,
    }
    return render(request, "workers/notifications/history.html", context)


@permission_required(VIEW_PERMISSION)
@require_safe
def dossier_history(request, pk):
    found = Notification.objects.filter(about=f"dossier:{pk}")
    return _history(request, "dossier", pk, found, TITLES["dossier"] % {"id": pk})


@permission_required(VIEW_PERMISSION)
@require_safe
def structure_history(request, pk):
    name = f"structure:{pk}"
    found = Notification.objects.filter(Q(within=name) | Q(about=name))
    return _history(request, "structure", pk, found, TITLES["structure"] % {"id": pk})


@permission_required(VIEW_PERMISSION)
@require_safe
def person_history(request, pk):
    person = get_object_or_404(
        get_user_model().objects.only("pk", "first_name", "last_name", "email"), pk=pk
    )
    title = _("Messages sent to %(name)s") % {"name": person.get_full_name() or person.email}
    found = Notification.objects.filter(recipient_id=pk)
    return _history(request, "person", pk, found, title, person=person)


@permission_required(RETRY_PERMISSION)
@require_POST
def retry(request, pk):
    """Send a FAILED e-mail again, once staff fixed the cause; any other status is left alone."""
    message = get_object_or_404(OutboxMessage.objects.only("pk", "status"), pk=pk)
    if message.status == OutboxStatus.FAILED and outbox.retry_failed([message.pk]):
        messages.success(request, _("The e-mail will be sent again in a moment."))
    else:
        messages.warning(request, _("Only an e-mail that failed can be sent again."))
    back = request.POST.get("next", "")
    if is_local_path(back):
        return redirect(back)
    recipient = Notification.objects.filter(email_id=pk).values_list("recipient_id", flat=True)
    recipient_id = recipient.first()
    if recipient_id is None:
        return redirect("workers:notifications")
    return redirect(reverse("workers:deliveries_person", args=[recipient_id]))
