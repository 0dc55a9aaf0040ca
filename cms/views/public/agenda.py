"""The agenda as visitors read it: upcoming entries, the archive, one entry with its related
entries, and the iCalendar files of any filtered view."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accelerator.views.listing import query_string
from cms import permissions  # noqa: F401 (its rules register on import)
from cms.domain import agenda_listing, feeds
from cms.forms.agenda import AgendaFilterForm
from cms.models import AgendaEntry, ModerationState

PAGE_SIZE = 20


def _listing(request, entries_of, template, title):
    form = AgendaFilterForm(request.GET or None)
    agenda_filter = form.agenda_filter() if form.is_bound else None
    page = Paginator(entries_of(agenda_filter), PAGE_SIZE).get_page(request.GET.get("page"))
    query = query_string(request.GET)
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "entries": page.object_list,
            "query": query,
            "title": title,
            "ical_url": reverse("cms:agenda_ical") + (f"?{query}" if query else ""),
            "rss_url": reverse("cms:agenda_rss") + (f"?{query}" if query else ""),
            "atom_url": reverse("cms:agenda_atom") + (f"?{query}" if query else ""),
        },
    )


def agenda(request):
    return _listing(
        request, agenda_listing.upcoming, "cms/agenda/agenda.html", _("Territorial agenda")
    )


def agenda_archive(request):
    return _listing(request, agenda_listing.archive, "cms/agenda/archive.html", _("Agenda archive"))


def _visible_entry(request, pk):
    """404 to whoever may not see it: an unpublished entry's id reveals nothing."""
    try:
        entry = agenda_listing.entry_page(pk)
    except AgendaEntry.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("cms.view_agenda_entry", entry):
        raise Http404
    return entry


def agenda_entry(request, pk):
    entry = _visible_entry(request, pk)
    return render(
        request,
        "cms/agenda/entry.html",
        {
            "entry": entry,
            "related": agenda_listing.related(entry),
            "can_edit": request.user.has_perm("cms.change_agenda_entry", entry),
            "last_message": entry.moderation.order_by("-at", "-pk").first()
            if entry.proposer_id == request.user.pk
            else None,
        },
    )


def _calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def agenda_ical(request):
    """The agenda, filtered as the page was, for a calendar application to subscribe to."""
    form = AgendaFilterForm(request.GET or None)
    agenda_filter = form.agenda_filter() if form.is_bound else None
    entries = agenda_listing.filtered(agenda_listing.published(), agenda_filter)
    body = feeds.calendar(feeds.subscribed(entries), _("Territorial agenda"))
    return _calendar_response(body, "agenda.ics")


def agenda_entry_ical(request, pk):
    entry = _visible_entry(request, pk)
    if entry.state != ModerationState.APPROVED:
        raise Http404
    return _calendar_response(feeds.calendar([entry], entry.title), f"agenda-{entry.pk}.ics")
