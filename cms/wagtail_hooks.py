"""The Wagtail admin's side of the agenda and the directory: the moderation queue (agenda entries
and actors' entries waiting, likely duplicates flagged), the moderator's decision page, and the
actors as snippets, where staff name the people who manage each entry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from cms.domain import agenda_listing, directory
from cms.domain.moderation import (
    actor_queue,
    entry_queue,
    likely_duplicates,
    run_actor,
    run_entry,
)
from cms.forms.moderation import ModerationForm
from cms.models import Actor, AgendaEntry
from cms.views.staff.portfolio import PortfolioConsentViewSet

MODERATE = "cms.moderate"


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(MODERATE)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        gettext_lazy("Agenda moderation"),
        reverse("cms_moderation"),
        name="agenda-moderation",
        icon_name="date",
        order=160,
    )


def _moderator(request):
    if not request.user.has_perm(MODERATE):
        raise PermissionDenied


def moderation_queue(request):
    """What waits: agenda entries and actors' entries, oldest first. Three queries."""
    _moderator(request)
    return TemplateResponse(
        request,
        "cms/admin/moderation_queue.html",
        {"entries": list(entry_queue()), "actors": list(actor_queue())},
    )


def _decide(request, obj, runner, form):
    try:
        moved = runner(obj, form.cleaned_data["move"], request.user, form.cleaned_data["comment"])
    except Refused as refusal:
        field = None if form.cleaned_data["comment"].strip() else "comment"
        show_refusal(request, refusal, form, field)
        return None
    messages.success(
        request,
        _("“%(name)s” is now “%(state)s”; the proposer is told by e-mail.")
        % {"name": str(moved), "state": moved.get_state_display()},
    )
    return redirect("cms_moderation")


@require_http_methods(["GET", "POST"])
def moderate_entry(request, pk):
    _moderator(request)
    get_object_or_404(AgendaEntry, pk=pk)
    entry = agenda_listing.entry_page(pk)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _decide(request, entry, run_entry, form)
        if done:
            return done
    return TemplateResponse(
        request,
        "cms/admin/moderate_entry.html",
        {
            "entry": entry,
            "duplicates": list(likely_duplicates(entry)),
            "log": list(entry.moderation.select_related("actor")),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def moderate_actor(request, pk):
    _moderator(request)
    get_object_or_404(Actor, pk=pk)
    actor = directory.actor_page(pk)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _decide(request, actor, run_actor, form)
        if done:
            return done
    same_name = Actor.objects.filter(name__iexact=actor.name).exclude(pk=actor.pk)
    return TemplateResponse(
        request,
        "cms/admin/moderate_actor.html",
        {
            "actor": actor,
            "duplicates": list(same_name.select_related("department")),
            "managers": list(actor.managers.all()),
            "log": list(actor.moderation.select_related("actor")),
            "form": form,
        },
    )


@hooks.register("register_admin_urls")
def register_moderation_urls():
    # Wagtail puts its admin-access check on every URL registered here.
    return [
        path("agenda-moderation/", moderation_queue, name="cms_moderation"),
        path("agenda-moderation/entries/<int:pk>/", moderate_entry, name="cms_moderate_entry"),
        path("agenda-moderation/actors/<int:pk>/", moderate_actor, name="cms_moderate_actor"),
    ]


class ActorViewSet(SnippetViewSet):
    """Actors' entries as staff keep them; their state moves only in the moderation queue."""

    model = Actor
    icon = "group"
    menu_label = gettext_lazy("Actors")
    menu_order = 165
    add_to_admin_menu = True
    list_display = ["name", "kind", "department", "state"]
    list_filter = ["state", "kind", "department"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("department")]),
            FieldPanel("description"),
            FieldPanel("website"),
            FieldPanel("managers"),
        ]
    )


register_snippet(ActorViewSet)


# Staff record a structure's consent to appear in the portfolio.
register_snippet(PortfolioConsentViewSet)
