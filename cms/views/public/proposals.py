"""Proposing an agenda entry from the public site, correcting it, and the proposer's own list.
Refusals of the domain are shown on the form, with the typed text kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accelerator.views.refusals import show_refusal
from cms.domain import agenda as agenda_domain
from cms.domain import agenda_listing
from cms.domain.directory import managed_by
from cms.forms.agenda import EntryForm
from cms.models import AgendaEntry, ModerationState


def _form_data(form, request):
    return {**form.cleaned_data, "image": request.FILES.get("image")}


def _render_form(request, form, entry=None):
    return render(request, "cms/agenda/propose.html", {"form": form, "entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def propose(request):
    if not request.user.has_perm("cms.propose_agenda_entry"):
        raise PermissionDenied
    choices = agenda_domain.organiser_choices(request.user)
    form = EntryForm(request.POST or None, request.FILES or None, organiser_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            entry = agenda_domain.propose_entry(request.user, _form_data(form, request))
        except ValidationError as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your proposal waits for the programme team's moderation. "
                    "You will be told by e-mail."
                ),
            )
            return redirect("cms:agenda_entry", pk=entry.pk)
    return _render_form(request, form)


def _initial(entry):
    local = timezone.localtime
    starts, ends = local(entry.starts_at), local(entry.ends_at)
    return {
        "kind": entry.kind,
        "title": entry.title,
        "description": entry.description,
        "organiser": agenda_domain.organiser_value(entry),
        "organiser_name": entry.organiser_name,
        "co_organisers": list(entry.co_organisers.all()),
        "starts_on": starts.date(),
        "starts_time": None if entry.all_day else starts.time(),
        "ends_on": ends.date(),
        "ends_time": None if entry.all_day else ends.time(),
        "place": entry.place,
        "online_link": entry.online_link,
        "department": entry.department,
        "themes": [t.theme for t in entry.themes.all()],
        "registration_link": entry.registration_link,
        "image_alt": entry.image_alt,
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    try:
        entry = agenda_listing.entry_page(pk)
    except AgendaEntry.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("cms.view_agenda_entry", entry):
        raise Http404
    if not request.user.has_perm("cms.change_agenda_entry", entry):
        raise PermissionDenied
    choices = agenda_domain.organiser_choices(request.user)
    current = agenda_domain.organiser_value(entry)
    if current and current not in dict(choices):
        choices = [(current, str(entry.organiser)), *choices]
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        initial=_initial(entry),
        organiser_choices=choices,
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = agenda_domain.update_entry(entry, request.user, _form_data(form, request))
        except ValidationError as refusal:
            show_refusal(request, refusal, form)
        else:
            if entry.state == ModerationState.PROPOSED:
                text = _("Your corrections are saved and go back to the programme team.")
            else:
                text = _("The entry is saved.")
            messages.success(request, text)
            return redirect("cms:agenda_entry", pk=entry.pk)
    return _render_form(request, form, entry)


@login_required
def mine(request):
    """The proposer's entries and actors, with where each stands."""
    return render(
        request,
        "cms/agenda/mine.html",
        {
            "entries": agenda_domain.entries_of_proposer(request.user),
            "actors": managed_by(request.user),
        },
    )
