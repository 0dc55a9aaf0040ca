"""The public site: home, the calls index by phase with the time left, and each call's page."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accelerator.models import LegalForm
from applications.models import EvaluationCriterion
from cms.models import HomePage
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def calls(db, frozen):
    """One call in each phase, as the demo programme has them."""
    return {
        "open": factories.make_call(
            title="Tiers-lieux ruraux",
            opens_at=paris(2026, 11, 1, 9, 0),
            closes_at=paris(2026, 11, 29, 12, 0),
        ),
        "upcoming": factories.make_call(
            title="Mobilités solidaires",
            opens_at=paris(2027, 1, 12, 9, 0),
            closes_at=paris(2027, 3, 1, 12, 0),
        ),
        "closed": factories.make_call(
            title="Alimentation durable",
            opens_at=paris(2026, 5, 1, 9, 0),
            closes_at=paris(2026, 6, 30, 17, 0),
        ),
    }


def section(html, heading_id):
    """The HTML of one section of the calls index."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else None]


def test_home_page_shows_the_hero_the_open_calls_and_the_way_to_all_calls(client, calls):
    home = HomePage.objects.get()
    home.hero_heading = "Faire grandir l'innovation sociale"
    home.hero_text = "Un programme pour les structures de l'ESS."
    home.save()

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Faire grandir l&#x27;innovation sociale" in html
    assert "Un programme pour les structures de l&#x27;ESS." in html
    assert "Tiers-lieux ruraux" in html
    assert "Closes in 3 days" in html
    assert "Mobilités solidaires" not in html
    assert "Alimentation durable" not in html
    assert 'href="/appels/"' in html


def test_home_page_says_when_no_call_is_open(client, db, frozen):
    factories.call_index()

    html = client.get("/").content.decode()

    assert "No call is open at the moment." in html


def test_calls_index_lists_each_call_under_its_phase(client, calls):
    response = client.get("/appels/")

    assert response.status_code == 200
    html = response.content.decode()
    open_part = section(html, "calls-open")
    upcoming_part = section(html, "calls-upcoming")
    closed_part = section(html, "calls-closed")
    assert "Tiers-lieux ruraux" in open_part and "Closes in 3 days" in open_part
    assert "Deadline: 29 November 2026 at 12:00 (Paris time)" in open_part
    assert "Mobilités solidaires" in upcoming_part
    assert "Opens on 12 January 2027 at 09:00 (Paris time)" in upcoming_part
    assert "Alimentation durable" in closed_part
    assert "Closed on 30 June 2026 at 17:00 (Paris time)" in closed_part
    assert "Tiers-lieux ruraux" not in upcoming_part + closed_part


def test_calls_index_says_closes_today_at_the_hour_on_the_last_day(client, db):
    with time_machine.travel(paris(2026, 11, 29, 8, 0), tick=False):
        factories.make_call(
            title="Dernier jour", opens_at=paris(2026, 11, 1), closes_at=paris(2026, 11, 29, 17, 0)
        )
        html = client.get("/appels/").content.decode()

    assert "Closes today at 17:00 (Paris time)" in section(html, "calls-open")


def test_draft_calls_are_not_listed(client, calls):
    calls["open"].unpublish()

    html = client.get("/appels/").content.decode()

    assert "Tiers-lieux ruraux" not in html


def test_closed_calls_are_paginated(client, db, frozen):
    for day in range(1, 15):
        factories.make_call(
            title=f"Ancien appel {day:02d}",
            opens_at=paris(2025, 1, day, 9, 0),
            closes_at=paris(2025, 2, day, 12, 0),
        )

    first = section(client.get("/appels/").content.decode(), "calls-closed")
    second = section(client.get("/appels/", {"page": 2}).content.decode(), "calls-closed")

    assert "Ancien appel 14" in first and "Ancien appel 03" in first
    assert "Ancien appel 02" not in first
    assert "Ancien appel 02" in second and "Ancien appel 01" in second
    assert "Page 2 of 2" in second


def make_calls_in_every_phase(count):
    now = timezone.now()
    for i in range(count):
        factories.make_call(opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=i + 1))
        factories.make_call(
            opens_at=now + timedelta(days=i + 1), closes_at=now + timedelta(days=60)
        )
        factories.make_call(
            opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=i + 1)
        )


@pytest.mark.parametrize("url", ["/", "/appels/"])
def test_listing_pages_run_the_same_queries_for_1_and_30_calls_of_each_phase(
    client, db, django_assert_num_queries, url, settings
):
    # The drawn page's queries, not those of the copy the page cache keeps for visitors.
    settings.ESSOR_PAGE_CACHE_SECONDS = 0
    make_calls_in_every_phase(1)
    client.get(url)  # warm the site's caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    # Read now: the next requests reset the connection's query log.
    queries_for_one = len(one)

    make_calls_in_every_phase(29)
    client.get(url)
    with django_assert_num_queries(queries_for_one):
        response = client.get(url)

    assert response.status_code == 200
    if url == "/appels/":
        assert response.context["open_calls"].count() == 30
        assert len(response.context["upcoming_calls"]) == 30


def detailed_call():
    call = factories.make_call(
        title="Tiers-lieux ruraux",
        opens_at=paris(2026, 11, 1, 9, 0),
        closes_at=paris(2026, 11, 29, 12, 0),
        description="<p>Le règlement complet de l'appel.</p>",
        eligible_legal_forms=[LegalForm.SCOP, LegalForm.SCIC],
        esus_required=True,
        min_age_years=3,
        budget_min=Decimal("10000"),
        budget_max=Decimal("500000"),
        timeline=[
            {
                "type": "step",
                "value": {"label": "Audition", "date": "2026-12-10", "description": "À Orléans."},
            },
            {
                "type": "step",
                "value": {"label": "Résultats", "date": "2027-01-05", "description": ""},
            },
        ],
        criteria=0,
    )
    call.eligible_departments.set(
        [factories.department("18", "Cher"), factories.department("45", "Loiret")]
    )
    call.save()
    EvaluationCriterion.objects.create(
        call=call,
        title="Impact social",
        weight=Decimal("3"),
        scale_min=0,
        scale_max=10,
        sort_order=0,
    )
    EvaluationCriterion.objects.create(
        call=call, title="Faisabilité", weight=Decimal("1"), allow_not_applicable=True, sort_order=1
    )
    return call


def test_an_open_call_page_shows_its_rules_criteria_grid_timeline_and_apply_button(
    client, db, frozen, apply_urls
):
    call = detailed_call()

    response = client.get(call.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<span class="badge badge--open">Open</span>' in html
    assert "Un appel à projets d&#x27;innovation sociale." in html
    assert "Le règlement complet de l'appel." in html
    # Eligibility in plain words.
    assert "one of these départements: Cher (18) or Loiret (45)." in html
    assert "Its legal form is one of: SCOP or SCIC." in html
    assert "It holds the ESUS agrément" in html
    assert "It was created at least 3 years ago." in html
    assert "between 10,000\u00a0€ and 500,000\u00a0€." in html
    # The grid: weights and their share, scales.
    assert "Impact social" in html and "(75% of the total)" in html and "from 0 to 10" in html
    assert "Faisabilité" in html and "(25% of the total)" in html and "from 0 to 5" in html
    assert "“Not applicable” allowed" in html
    # The timeline in date order, every time with its zone.
    timeline = html[html.index('id="call-timeline"') :]
    order = [
        timeline.index("1 November 2026 at 09:00 (Paris time)"),
        timeline.index("29 November 2026 at 12:00 (Paris time)"),
        timeline.index("10 December 2026"),
        timeline.index("5 January 2027"),
    ]
    assert order == sorted(order)
    assert "À Orléans." in timeline
    # Time left and the Apply button.
    assert "Closes in 3 days" in html
    apply_url = reverse("applications:start_dossier", args=[call.pk])
    assert html.count(f'href="{apply_url}"') == 2


def test_an_upcoming_call_says_when_it_opens_and_offers_no_apply_button(client, calls, apply_urls):
    call = calls["upcoming"]

    html = client.get(call.url).content.decode()

    assert '<span class="badge badge--upcoming">Upcoming</span>' in html
    assert "This call is not open yet." in html
    assert "Opens on 12 January 2027 at 09:00 (Paris time)." in html
    assert reverse("applications:start_dossier", args=[call.pk]) not in html
    assert ">Apply<" not in html


def test_a_closed_call_says_it_is_closed_and_offers_no_apply_button(client, calls, apply_urls):
    call = calls["closed"]

    html = client.get(call.url).content.decode()

    assert '<span class="badge badge--closed">Closed</span>' in html
    assert "This call is closed." in html
    assert "It closed on 30 June 2026 at 17:00 (Paris time)" in html
    assert reverse("applications:start_dossier", args=[call.pk]) not in html
    assert ">Apply<" not in html


def test_the_call_page_tells_anonymous_visitors_they_will_log_in(client, calls, apply_urls):
    html = client.get(calls["open"].url).content.decode()

    assert "You will be asked to log in or create an account first." in html


def test_the_call_page_renders_even_before_the_apply_route_exists(client, calls, settings):
    settings.ROOT_URLCONF = "tests.cms.urls_without_apply"

    response = client.get(calls["open"].url)

    assert response.status_code == 200
    assert "Closes in 3 days" in response.content.decode()
