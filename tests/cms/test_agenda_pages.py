"""The agenda as visitors read it: upcoming entries filtered by dates, département, theme and
kind, the archive, one entry with its related entries; constant queries with 1 and 50 entries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.cms.agenda_helpers import make_actor, make_entry, paris, queries_of, soon

pytestmark = pytest.mark.django_db


def _titles(response, key="entries"):
    return [entry.title for entry in response.context[key]]


def test_the_agenda_shows_published_upcoming_entries_only(client):
    shown = make_entry(title="Forum de l'emploi")
    make_entry(title="Waiting", state="proposed")
    make_entry(title="Refused", state="rejected")
    make_entry(title="Over", starts_at=paris(2020, 1, 1, 10))
    response = client.get(reverse("cms:agenda"))
    assert response.status_code == 200
    assert _titles(response) == [shown.title]
    assert "Forum de l&#x27;emploi" in response.content.decode()


def test_past_entries_stay_in_the_archive(client):
    make_entry(title="Upcoming")
    make_entry(title="Old", starts_at=paris(2020, 1, 1, 10))
    make_entry(title="Older", starts_at=paris(2019, 1, 1, 10))
    response = client.get(reverse("cms:agenda_archive"))
    assert _titles(response) == ["Old", "Older"]


def test_a_whole_day_entry_stays_upcoming_until_its_last_day_ends(client):
    today = timezone.localdate()
    start = paris(today.year, today.month, today.day) - datetime.timedelta(days=3)
    end = paris(today.year, today.month, today.day)
    make_entry(title="Week of action", starts_at=start, ends_at=end, all_day=True, kind="action")
    assert _titles(client.get(reverse("cms:agenda"))) == ["Week of action"]


def test_visitors_filter_by_departement_theme_kind_and_dates(client):
    cher = factories.department("18", "Cher")
    loiret = factories.department("45", "Loiret")
    make_entry(title="Cher food", department=cher, themes=["food"], starts_at=soon(5))
    make_entry(title="Cher digital", department=cher, themes=["digital"], starts_at=soon(6))
    make_entry(
        title="Loiret food", department=loiret, themes=["food"], kind="action", starts_at=soon(40)
    )
    url = reverse("cms:agenda")
    assert _titles(client.get(url, {"department": cher.pk})) == ["Cher food", "Cher digital"]
    assert _titles(client.get(url, {"theme": "food"})) == ["Cher food", "Loiret food"]
    assert _titles(client.get(url, {"department": cher.pk, "theme": "food"})) == ["Cher food"]
    assert _titles(client.get(url, {"kind": "action"})) == ["Loiret food"]
    until = (soon(10)).date().isoformat()
    assert _titles(client.get(url, {"ends_by": until})) == ["Cher food", "Cher digital"]
    since = (soon(30)).date().isoformat()
    assert _titles(client.get(url, {"starts_from": since})) == ["Loiret food"]


def test_a_wrong_filter_value_is_ignored_not_an_error(client):
    make_entry(title="Shown")
    response = client.get(reverse("cms:agenda"), {"starts_from": "not a date", "theme": "nope"})
    assert response.status_code == 200
    assert _titles(response) == ["Shown"]


@pytest.mark.parametrize("name", ["cms:agenda", "cms:agenda_archive"])
def test_the_agenda_runs_the_same_queries_with_one_and_fifty_entries(client, name):
    old = {"starts_at": paris(2020, 1, 1, 10)} if name == "cms:agenda_archive" else {}
    make_entry(**old)
    url = reverse(name)
    # The count, the page, its themes, its co-organisers, the départements of the filter, and
    # the site's menu and footer settings.
    one, _response = queries_of(client, url)
    for _n in range(49):
        make_entry(themes=["food", "health"], co_organisers=[make_actor()], **old)
    fifty, response = queries_of(client, url)
    assert one == fifty <= 7
    assert len(response.context["entries"]) == 20


def test_an_entry_page_shows_its_details_and_related_entries(client):
    cher = factories.department("18", "Cher")
    partner = make_actor(name="Partner")
    entry = make_entry(
        title="Repair café",
        department=cher,
        themes=["circular_economy", "culture"],
        co_organisers=[partner],
        online_link="https://visio.example.org/repair",
    )
    related = make_entry(title="Recyclerie", department=cher, themes=["circular_economy"])
    make_entry(title="Elsewhere", themes=["circular_economy"])  # another département
    make_entry(title="Other theme", department=cher, themes=["health"])
    response = client.get(reverse("cms:agenda_entry", kwargs={"pk": entry.pk}))
    assert response.status_code == 200
    assert [e.title for e in response.context["related"]] == [related.title]
    body = response.content.decode()
    assert "Partner" in body and "https://visio.example.org/repair" in body
    assert reverse("cms:agenda_entry_ical", kwargs={"pk": entry.pk}) in body


def test_an_unpublished_entry_is_hidden_from_visitors(client):
    entry = make_entry(state="proposed")
    assert client.get(reverse("cms:agenda_entry", kwargs={"pk": entry.pk})).status_code == 404
    client.force_login(entry.proposer)
    assert client.get(reverse("cms:agenda_entry", kwargs={"pk": entry.pk})).status_code == 200
