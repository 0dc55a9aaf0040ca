"""The agenda's feeds: iCalendar of the whole agenda and of a filtered view, parsed back (time
zone, stable UID, DTSTAMP), one entry's file, and RSS and Atom that parse as XML."""

import datetime
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from cms.domain.feeds import entry_uid
from tests import factories
from tests.cms.agenda_helpers import make_entry, paris, soon

pytestmark = pytest.mark.django_db


def _calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_whole_agenda_as_icalendar_parses_back(client):
    entry = make_entry(title="Forum", starts_at=soon(4, 14), themes=["food"], place="Tours, halle")
    make_entry(title="Hidden", state="proposed")
    cal = _calendar(client.get(reverse("cms:agenda_ical")))
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"]
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Forum"]
    event = events[0]
    assert str(event["UID"]) == entry_uid(entry)
    start = event.decoded("DTSTART")
    assert start == entry.starts_at and start.tzinfo.key == "Europe/Paris"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert str(event["LOCATION"]) == "Tours, halle"
    assert reverse("cms:agenda_entry", kwargs={"pk": entry.pk}) in str(event["URL"])


def test_the_uid_stays_when_the_entry_changes(client):
    entry = make_entry(title="Before")
    first = _calendar(client.get(reverse("cms:agenda_ical"))).walk("VEVENT")[0]["UID"]
    entry.title = "After"
    entry.save()
    again = _calendar(client.get(reverse("cms:agenda_ical"))).walk("VEVENT")[0]
    assert again["UID"] == first and str(again["SUMMARY"]) == "After"


def test_a_filtered_view_has_its_own_calendar(client):
    cher = factories.department("18", "Cher")
    make_entry(title="Cher food", department=cher, themes=["food"])
    make_entry(title="Cher health", department=cher, themes=["health"])
    make_entry(title="Loiret food", themes=["food"])
    page = client.get(reverse("cms:agenda"), {"department": cher.pk, "theme": "food"})
    ical_url = page.context["ical_url"]
    assert f"department={cher.pk}" in ical_url and "theme=food" in ical_url
    cal = _calendar(client.get(ical_url))
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Cher food"]


def test_whole_days_are_dates_with_an_exclusive_end(client):
    make_entry(
        title="Week",
        kind="action",
        all_day=True,
        starts_at=paris(2031, 3, 2),
        ends_at=paris(2031, 3, 8),
    )
    event = _calendar(client.get(reverse("cms:agenda_ical"))).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == datetime.date(2031, 3, 2)
    assert event.decoded("DTEND") == datetime.date(2031, 3, 9)


def test_one_entry_as_icalendar(client):
    entry = make_entry(title="Alone", starts_at=paris(2031, 6, 1, 10))
    cal = _calendar(client.get(reverse("cms:agenda_entry_ical", kwargs={"pk": entry.pk})))
    event = cal.walk("VEVENT")[0]
    assert event.decoded("DTSTART").astimezone(ZoneInfo("UTC")).hour == 8  # summer time
    hidden = make_entry(state="proposed")
    assert client.get(reverse("cms:agenda_entry_ical", kwargs={"pk": hidden.pk})).status_code == 404


def test_the_rss_feed_is_valid_xml_with_the_published_entries(client):
    make_entry(title="Forum & co", themes=["food"])
    make_entry(title="Hidden", state="proposed")
    response = client.get(reverse("cms:agenda_rss"))
    assert response.status_code == 200 and "rss+xml" in response["Content-Type"]
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["Forum & co"]
    assert items[0].findtext("link").startswith("http")
    assert items[0].findtext("guid")


def test_the_atom_feed_is_valid_xml_and_follows_the_filters(client):
    cher = factories.department("18", "Cher")
    make_entry(title="In Cher", department=cher)
    make_entry(title="In Loiret")
    response = client.get(reverse("cms:agenda_atom"), {"department": cher.pk})
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = root.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == ["In Cher"]
    assert entries[0].findtext("a:id", namespaces=ns) and entries[0].findtext(
        "a:updated", namespaces=ns
    )


def test_the_feeds_run_the_same_queries_with_one_and_fifty_entries(
    client, django_assert_num_queries
):
    make_entry()
    # The entries, their themes and their co-organisers.
    for name, expected in (("cms:agenda_ical", 3), ("cms:agenda_rss", 3)):
        with django_assert_num_queries(expected):
            client.get(reverse(name))
    for _n in range(49):
        make_entry(themes=["food", "health"])
    for name, expected in (("cms:agenda_ical", 3), ("cms:agenda_rss", 3)):
        with django_assert_num_queries(expected):
            client.get(reverse(name))
