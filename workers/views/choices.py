"""A person's choices about reminders: the preferences page, and the one-click unsubscribe link
that routine e-mails carry (RFC 8058)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from workers import preferences
from workers.forms import PreferencesForm
from workers.reminders import topics


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences_page(request):
    shown = preferences.topics_for(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        topics=shown,
        choices=preferences.choices_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for topic, delivery in form.chosen().items():
                preferences.choose(request.user, topic, delivery)
        messages.success(request, _("Your choices are saved."))
        return redirect("workers:preferences")
    essential = [field for field in form if form.topics[field.name].essential]
    routine = [field for field in form if not form.topics[field.name].essential]
    return render(
        request,
        "workers/notifications/preferences.html",
        {"form": form, "essential": essential, "routine": routine},
    )


def _topic_of(token):
    """The topic a token turns off, with its person; 404 when the token was not signed here,
    names someone who is gone, or a topic that no longer exists or may not be turned off."""
    read = preferences.read_unsubscribe_token(token)
    if read is None:
        raise Http404
    user_id, name = read
    topic = topics().get(name)
    if topic is None or topic.essential:
        raise Http404
    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        raise Http404
    return topic


# The signed token is the authority, not a session: a mail client posts here with no cookie at all
# (List-Unsubscribe-Post, RFC 8058), so there is no CSRF token to check.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    topic = _topic_of(token)
    if request.method != "POST":
        return render(request, "workers/notifications/unsubscribe.html", {"topic": topic})
    preferences.unsubscribe(token)
    return render(request, "workers/notifications/unsubscribed.html", {"topic": topic})
