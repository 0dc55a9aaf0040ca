"""The agenda as an iCalendar file (any filtered view, for people to subscribe in their calendar
application). Times are written in Europe/Paris with its VTIMEZONE; each entry's UID never changes,
so a calendar updates an entry rather than adding it twice. The RSS and Atom feeds are in
`cms.views.public.feeds`."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cms.domain.text import plain_text
from workers.outbox import absolute_url

PARIS = ZoneInfo("Europe/Paris")
# A calendar application reloads the whole file: the next entries and a month of past ones.
CALENDAR_LIMIT = 500
PAST_DAYS = 31


def entry_uid(entry):
    """Stable across edits and moves: the entry's id and the site's host."""
    return f"agenda-entry-{entry.pk}@{urlsplit(settings.SITE_URL).hostname or 'essor'}"


def _event(entry):
    event = icalendar.Event()
    event.add("uid", entry_uid(entry))
    # When this version of the entry was written: the calendar keeps the latest.
    event.add("dtstamp", entry.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", entry.updated_at.astimezone(datetime.UTC))
    event.add("summary", entry.title)
    if entry.all_day:
        first = entry.starts_at.astimezone(PARIS).date()
        last = entry.ends_at.astimezone(PARIS).date()
        event.add("dtstart", first)
        # DTEND of a date is exclusive: the day after the last one.
        event.add("dtend", last + datetime.timedelta(days=1))
    else:
        event.add("dtstart", entry.starts_at.astimezone(PARIS))
        event.add("dtend", entry.ends_at.astimezone(PARIS))
    url = absolute_url(reverse("cms:agenda_entry", kwargs={"pk": entry.pk}))
    event.add("url", url)
    description = plain_text(entry.description)
    if entry.online_link:
        description = f"{description}\n\n{entry.online_link}"
    event.add("description", f"{description}\n\n{url}".strip())
    location = entry.place or entry.online_link
    if location:
        event.add("location", location)
    themes = [t.get_theme_display() for t in entry.themes.all()]
    if themes:
        event.add("categories", [str(theme) for theme in themes])
    event.add("status", "CONFIRMED")
    return event


def calendar(entries, name):
    """An iCalendar (bytes) of `entries`, named `name` in calendar applications."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Essor//Territorial agenda//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", str(name))
    cal.add("x-wr-timezone", "Europe/Paris")
    # The VTIMEZONE of every time written, even when the file holds whole days only.
    cal.add_component(icalendar.Timezone.from_tzid("Europe/Paris"))
    for entry in entries:
        cal.add_component(_event(entry))
    return cal.to_ical()


def subscribed(entries, now=None):
    """What a subscription carries: entries not over for more than a month, soonest first."""
    since = (now or timezone.now()) - datetime.timedelta(days=PAST_DAYS)
    return entries.filter(ends_at__gte=since).order_by("starts_at", "pk")[:CALENDAR_LIMIT]
