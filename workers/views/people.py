"""A person's notifications: the bell's latest, the full list, opening one, marking all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.functions import Now
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from workers.models import Notification
from workers.reminders import topics
from workers.views import CappedPaginator

PAGE_SIZE = 30
LATEST = 8
# What a page of notifications reads: never the e-mail it went with.
SHOWN_FIELDS = ("pk", "topic", "text", "created_at", "read_at")


def _mine(user):
    # A notice dated later (a decision letter scheduled for release) shows from its time on.
    return Notification.objects.filter(recipient=user, created_at__lte=Now()).only(*SHOWN_FIELDS)


def _with_labels(notifications):
    labels = {name: topic.label for name, topic in topics().items()}
    for notification in notifications:
        notification.topic_label = labels.get(notification.topic, "")
    return notifications


@login_required
@require_safe
def notification_list(request):
    """The newest first, the unread marked: two queries (count, page) whatever the number, both
    read along the (recipient, -created_at) index (unread first would sort every row)."""
    ordered = _mine(request.user).order_by("-created_at", "-pk")
    page = CappedPaginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_labels(page.object_list)
    unread = getattr(request.user, "unread_notifications", None)
    return render(
        request,
        "workers/notifications/list.html",
        {"page": page, "has_unread": unread is None or unread > 0},
    )


@never_cache
def latest(request):
    """The bell's dropdown: an HTML fragment of the latest notices, fetched by bell.js. A script
    asks for it, so a visitor who is not signed in gets 401 rather than the log-in page."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    items = _with_labels(list(_mine(request.user).order_by("-created_at", "-pk")[:LATEST]))
    return render(request, "workers/notifications/latest.html", {"items": items})


@login_required
@require_POST
def read_all(request):
    count = Notification.objects.filter(
        recipient=request.user, read_at__isnull=True, created_at__lte=Now()
    ).update(read_at=timezone.now())
    if count:
        messages.success(request, _("Every notification is marked as read."))
    return redirect("workers:notifications")


def is_local_path(link):
    """A path of this site ("/dossiers/12/"), never an address elsewhere ("//x.example",
    "https://x.example", "javascript:..."): a notice's link is followed without asking."""
    return (
        isinstance(link, str)
        and link.startswith("/")
        and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    )


@login_required
@require_safe
def open_notification(request, pk):
    """Mark the notice read and go where it points. Someone else's notice is "not found"."""
    notification = (
        Notification.objects.filter(pk=pk, recipient=request.user).only("pk", "link").first()
    )
    if notification is None:
        raise Http404
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if is_local_path(notification.link):
        return redirect(notification.link)
    return redirect("workers:notifications")
