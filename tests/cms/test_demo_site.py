"""The demo fills the public site: pages, menus, actors in every département, a month of agenda
entries, news and a portfolio, all published through the domain."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.demo import territory
from cms.domain import agenda_listing
from cms.domain.directory import directory
from cms.domain.moderation import entry_queue
from cms.domain.portfolio import portfolio
from cms.models import (
    Actor,
    ActorModerationLog,
    AgendaEntry,
    ConformityLevel,
    EntryModerationLog,
    ModerationState,
    NewsArticlePage,
    PortfolioConsent,
    SiteSettings,
    StandardPage,
)
from tests.cms.demo_world import _isolated_media, demo  # noqa: F401  (the shared load)

HOST = {"HTTP_HOST": "127.0.0.1:8000"}


@pytest.mark.django_db
def test_the_demo_fills_the_public_site(demo, client):  # noqa: F811
    now = timezone.now()

    actors = list(directory())
    assert len(actors) == len(territory.ACTORS) >= 12
    by_department = dict.fromkeys(territory.DEPARTMENT_CODES, 0)
    for actor in actors:
        by_department[actor.department.code] += 1
    assert all(count >= 1 for count in by_department.values()), by_department
    assert len({actor.kind for actor in actors}) >= 6
    assert Actor.objects.filter(managers__isnull=False).distinct().count() >= 1
    # Published by the moderation machine, never by assignment: each has its logged move.
    assert ActorModerationLog.objects.filter(target=ModerationState.APPROVED).count() == len(actors)

    coming = list(agenda_listing.upcoming(now=now))
    in_a_month = [entry for entry in coming if entry.starts_at <= now + timedelta(days=31)]
    assert len(in_a_month) >= 20
    assert {entry.kind for entry in coming} == {"event", "action", "initiative"}
    assert any(entry.co_organisers.all() for entry in coming)
    assert len(agenda_listing.archive(now=now)) >= 3
    approved = AgendaEntry.objects.filter(state=ModerationState.APPROVED)
    assert EntryModerationLog.objects.filter(target=ModerationState.APPROVED).count() == (
        approved.count()
    )
    queue = list(entry_queue())
    assert len(queue) == 2 and any(entry.has_duplicate for entry in queue)

    assert NewsArticlePage.objects.live().count() >= 5
    assert all(article.tags.exists() for article in NewsArticlePage.objects.all())
    assert PortfolioConsent.objects.count() >= 5
    assert len(portfolio()) == PortfolioConsent.objects.count()
    statement = StandardPage.objects.get(slug="accessibilite")
    assert statement.conformity_level == ConformityLevel.PARTIAL
    settings = SiteSettings.objects.get()
    assert settings.accessibility_page_id == statement.pk
    assert len(settings.header_links) >= 5 and settings.footer_links

    home = client.get("/", **HOST)
    assert home.status_code == 200
    text = home.content.decode()
    assert coming[0].title.replace("'", "&#x27;") in text
    latest = NewsArticlePage.objects.live().order_by("-date").first()
    assert latest.title.replace("'", "&#x27;") in text
    # The footer links the accessibility statement, with its level.
    assert f'href="{statement.url}"' in text
    for path in ("/agenda/", "/actors/", "/actualites/", "/portfolio/", "/programme/"):
        assert client.get(path, **HOST).status_code == 200, path


@pytest.mark.django_db
def test_a_second_load_adds_no_page_actor_entry_or_consent(demo):  # noqa: F811
    models = (Actor, AgendaEntry, NewsArticlePage, PortfolioConsent, StandardPage)
    first = {model: model.objects.count() for model in models}
    logs = EntryModerationLog.objects.count()

    call_command("load_demo", "--quiet", stdout=StringIO())

    assert {model: model.objects.count() for model in models} == first
    assert EntryModerationLog.objects.count() == logs


@pytest.mark.django_db
def test_the_demo_home_and_programme_read_in_english_under_en(demo, client, settings):  # noqa: F811
    settings.LANGUAGE_CODE = "fr"  # as in production: French at /, English under /en/
    home = client.get("/", **HOST).content.decode()
    english = client.get("/en/", **HOST).content.decode()
    assert "Accélérer l'innovation sociale" in home.replace("&#x27;", "'")
    assert "Speeding up social innovation" in english
    assert "The programme" in client.get("/en/programme/", **HOST).content.decode()
    # A page not translated yet is still there in English, as written in French.
    assert client.get("/en/actualites/", **HOST).status_code == 200
