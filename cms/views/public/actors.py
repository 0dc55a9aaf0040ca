"""The directory of actors: searching and filtering it, an actor's page with its agenda entries,
proposing an actor's entry and its managers' corrections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accelerator.views.listing import query_string
from accelerator.views.refusals import show_refusal
from cms.domain import agenda_listing, directory
from cms.forms.actors import ActorForm, DirectoryFilterForm
from cms.models import Actor, ModerationState

PAGE_SIZE = 24


def actor_directory(request):
    form = DirectoryFilterForm(request.GET or None)
    found = directory.directory(form.directory_filter() if form.is_bound else None)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cms/actors/directory.html",
        {
            "form": form,
            "page": page,
            "actors": page.object_list,
            "query": query_string(request.GET),
        },
    )


def _visible_actor(request, pk):
    try:
        actor = directory.actor_page(pk)
    except Actor.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("cms.view_actor", actor):
        raise Http404
    return actor


def actor_detail(request, pk):
    actor = _visible_actor(request, pk)
    upcoming, past = agenda_listing.of_actor(actor)
    return render(
        request,
        "cms/actors/actor.html",
        {
            "actor": actor,
            "upcoming": upcoming,
            "past": past,
            "can_edit": request.user.has_perm("cms.change_actor", actor),
        },
    )


def _data(form):
    return form.cleaned_data


@login_required
@require_http_methods(["GET", "POST"])
def actor_propose(request):
    if not request.user.has_perm("cms.propose_actor"):
        raise PermissionDenied
    form = ActorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actor = directory.propose_actor(request.user, _data(form))
        except ValidationError as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(
                request,
                _(
                    "Thank you: the entry waits for the programme team's moderation. Once it is "
                    "published, you keep it up to date."
                ),
            )
            return redirect("cms:actor", pk=actor.pk)
    return render(request, "cms/actors/actor_form.html", {"form": form, "actor": None})


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request, pk):
    actor = _visible_actor(request, pk)
    if not request.user.has_perm("cms.change_actor", actor):
        raise PermissionDenied
    initial = {
        "name": actor.name,
        "kind": actor.kind,
        "department": actor.department,
        "themes": [t.theme for t in actor.themes.all()],
        "offers": [o.offer for o in actor.offers.all()],
        "description": actor.description,
        "website": actor.website,
    }
    form = ActorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actor = directory.update_actor(actor, request.user, _data(form))
        except ValidationError as refusal:
            show_refusal(request, refusal, form)
        else:
            if actor.state == ModerationState.PROPOSED:
                text = _("Your corrections are saved and go back to the programme team.")
            else:
                text = _("The entry is saved.")
            messages.success(request, text)
            return redirect("cms:actor", pk=actor.pk)
    return render(request, "cms/actors/actor_form.html", {"form": form, "actor": actor})
