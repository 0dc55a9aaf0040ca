"""Making actors and agenda entries for the agenda and directory tests, in any state."""

import datetime
import itertools

from django.utils import timezone

from cms.models import Actor, ActorOffer, ActorTheme, AgendaEntry, EntryTheme
from tests import factories

_numbers = itertools.count(1)


def paris(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


def soon(days=10, hour=18):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return paris(day.year, day.month, day.day, hour)


def make_actor(state="approved", themes=("employment",), offers=("funding",), managers=(), **kw):
    n = next(_numbers)
    fields = {
        "name": f"Actor {n}",
        "kind": "association",
        "department": kw.pop("department", None) or factories.department(),
        "description": "Helps structures of the territory.",
        **kw,
    }
    actor = Actor.objects.create(state=state, **fields)
    ActorTheme.objects.bulk_create(ActorTheme(actor=actor, theme=t) for t in themes)
    ActorOffer.objects.bulk_create(ActorOffer(actor=actor, offer=o) for o in offers)
    actor.managers.set(managers)
    return actor


def make_entry(state="approved", themes=("employment",), co_organisers=(), **kw):
    n = next(_numbers)
    starts_at = kw.pop("starts_at", None) or soon()
    fields = {
        "kind": "event",
        "title": f"Entry {n}",
        "description": "<p>A meeting of the territory's actors.</p>",
        "starts_at": starts_at,
        "ends_at": kw.pop("ends_at", None) or starts_at + datetime.timedelta(hours=2),
        "place": "Orléans, salle des fêtes",
        "department": kw.pop("department", None) or factories.department(),
        "organiser_name": "A collective",
        **kw,
    }
    if "proposer" not in fields:
        fields["proposer"] = factories.UserFactory()
    entry = AgendaEntry.objects.create(state=state, **fields)
    EntryTheme.objects.bulk_create(EntryTheme(entry=entry, theme=t) for t in themes)
    entry.co_organisers.set(co_organisers)
    return entry


def queries_of(client, url, data=None):
    """The number of SQL queries of a GET of `url`, once the site's caches are warm (the first
    request of a test also reads the Wagtail site and its root paths, which later ones do not)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    # The drawn page's queries, not those of the copy the page cache keeps for visitors.
    with override_settings(ESSOR_PAGE_CACHE_SECONDS=0):
        client.get(url, data)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data)
    assert response.status_code == 200
    return len(queries.captured_queries), response
