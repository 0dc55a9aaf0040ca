"""What visitors read of the agenda: published entries, upcoming or past, filtered by dates,
département, theme and kind; one entry's related entries; an actor's entries. Every list is a
fixed number of queries whatever its length."""

import dataclasses
import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from cms.models import Actor, AgendaEntry, EntryTheme, ModerationState

RELATED_COUNT = 4


@dataclasses.dataclass(frozen=True)
class AgendaFilter:
    """A visitor's filter; every part optional. Dates are Paris days, both included."""

    starts_from: datetime.date | None = None
    ends_by: datetime.date | None = None
    department: object = None
    theme: str = ""
    kind: str = ""


def _day_start(day):
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=timezone.get_default_timezone())


def published():
    """Published entries with what a list shows: organiser, département, themes, co-organisers."""
    return (
        AgendaEntry.objects.filter(state=ModerationState.APPROVED)
        .select_related("department", "organiser_actor", "organiser_structure")
        .prefetch_related(
            Prefetch("themes", queryset=EntryTheme.objects.order_by("theme")),
            Prefetch("co_organisers", queryset=Actor.objects.order_by("name")),
        )
    )


def filtered(entries, agenda_filter):
    if agenda_filter is None:
        return entries
    f = agenda_filter
    if f.starts_from:
        entries = entries.filter(ends_at__gte=_day_start(f.starts_from))
    if f.ends_by:
        entries = entries.filter(starts_at__lt=_day_start(f.ends_by + datetime.timedelta(days=1)))
    if f.department:
        entries = entries.filter(department=f.department)
    if f.theme:
        entries = entries.filter(themes__theme=f.theme)
    if f.kind:
        entries = entries.filter(kind=f.kind)
    return entries


def _today_start(now=None):
    return _day_start(timezone.localdate(now))


def upcoming(agenda_filter=None, now=None):
    """Entries not over yet (a whole-day entry stays until its last day ends), soonest first."""
    today = _today_start(now)
    over = Q(all_day=False, ends_at__lt=now or timezone.now()) | Q(all_day=True, ends_at__lt=today)
    return filtered(published().exclude(over), agenda_filter).order_by("starts_at", "pk")


def archive(agenda_filter=None, now=None):
    """Entries that are over, latest first."""
    today = _today_start(now)
    over = Q(all_day=False, ends_at__lt=now or timezone.now()) | Q(all_day=True, ends_at__lt=today)
    return filtered(published().filter(over), agenda_filter).order_by("-starts_at", "-pk")


def related(entry, now=None):
    """Upcoming entries of the same département sharing a theme, most themes shared first."""
    themes = [t.theme for t in entry.themes.all()]
    return list(
        upcoming(now=now)
        .filter(department_id=entry.department_id, themes__theme__in=themes)
        .exclude(pk=entry.pk)
        .annotate(shared=Count("themes"))
        .order_by("-shared", "starts_at", "pk")[:RELATED_COUNT]
    )


def entry_page(pk):
    """One entry with what its page shows (any state: the page checks who may see it)."""
    return (
        AgendaEntry.objects.select_related(
            "department", "organiser_actor", "organiser_structure", "proposer"
        )
        .prefetch_related(
            Prefetch("themes", queryset=EntryTheme.objects.order_by("theme")),
            Prefetch("co_organisers", queryset=Actor.objects.order_by("name")),
        )
        .get(pk=pk)
    )


def of_actor(actor, now=None, past_count=10):
    """(upcoming, latest past) published entries an actor organises or co-organises: joint
    initiatives show on each partner's page."""
    mine = AgendaEntry.objects.filter(Q(organiser_actor=actor) | Q(co_organisers=actor))
    ids = mine.values("pk")
    return (
        list(upcoming(now=now).filter(pk__in=ids)),
        list(archive(now=now).filter(pk__in=ids)[:past_count]),
    )
