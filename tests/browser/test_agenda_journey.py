"""The agenda's journey in a real browser: a visitor filters the agenda by département and theme
and subscribes to the filtered iCalendar feed; an actor's manager proposes an event; staff publish
it from the moderation queue of the Wagtail admin; visitors then see it at once, on the agenda, in
the feed and on the actor's page (whatever the site caches for anonymous visitors)."""

import re
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import Expect

from tests import factories
from tests.cms.agenda_helpers import make_actor, make_entry, soon

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data; the restored rows are the migrations' régions,
    # départements and Wagtail tree.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"  # the factories' password
# The machine is shared and slow at times: wait long for states, never for a fixed time.
WAIT = 20_000
expect = Expect()  # this module's own, so that its timeout stays here
expect.set_options(timeout=WAIT)
CIRCULAR = "Recycling and circular economy"
PROPOSED_TITLE = "Repair café de la ressourcerie"


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(WAIT)
    return page


def sign_in(page, email):
    """allauth's log-in page, where a protected page sent the person; back there after it."""
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def field(page, label):
    """A field of the proposal form by its label, which ends with a star when it is required."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def calendar_of(page, url):
    response = page.request.get(url)
    assert response.ok, f"{url} answered {response.status}"
    assert response.headers["content-type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.body())


def summaries(calendar):
    return sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))


def test_a_proposal_goes_from_the_actor_through_moderation_to_the_visitors(browser, live_server):
    loiret = factories.department("45", "Loiret")
    cher = factories.department("18", "Cher")
    manager = factories.UserFactory()
    actor = make_actor(name="Ressourcerie du Giennois", department=loiret, managers=[manager])
    staff = factories.StaffFactory()
    # Programme staff reach the Wagtail admin with this permission (a group, in the demo).
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    matching = [
        make_entry(title="Atelier vélo solidaire", department=loiret, themes=["circular_economy"]),
        make_entry(
            title="Disco soupe",
            department=loiret,
            themes=["food", "circular_economy"],
            starts_at=soon(days=20),
        ),
    ]
    make_entry(title="Forum de l'emploi", department=loiret, themes=["employment"])
    make_entry(title="Recyclerie ouverte", department=cher, themes=["circular_economy"])

    # 1. A visitor filters the agenda with its own form and subscribes to the filtered view.
    visitor = new_page(browser, live_server)
    visitor.goto(reverse("cms:agenda"))
    expect(visitor.get_by_role("link", name="Recyclerie ouverte")).to_be_visible()
    filters = visitor.get_by_role("form", name="Filter the agenda")
    filters.get_by_label("Département").select_option(label=str(loiret))
    filters.get_by_label("Theme").select_option(label=CIRCULAR)
    with visitor.expect_navigation():
        filters.get_by_role("button", name="Filter").click()
    filtered_url = visitor.url
    results = visitor.get_by_role("region", name="2 entries")
    for entry in matching:
        expect(results.get_by_role("link", name=entry.title)).to_be_visible()
    expect(visitor.get_by_role("link", name="Recyclerie ouverte")).to_have_count(0)
    expect(visitor.get_by_role("link", name="Forum de l'emploi")).to_have_count(0)
    subscribe = visitor.get_by_role("link", name="Subscribe in your calendar (iCalendar)")
    feed_url = subscribe.get_attribute("href")
    query = parse_qs(urlsplit(feed_url).query)
    assert urlsplit(feed_url).path == reverse("cms:agenda_ical")
    assert query["department"] == [str(loiret.pk)]
    assert query["theme"] == ["circular_economy"]
    calendar = calendar_of(visitor, feed_url)
    assert summaries(calendar) == sorted(entry.title for entry in matching)
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    # The actor's page has nothing in the agenda yet (and a cache, if any, has seen it so).
    visitor.goto(reverse("cms:actor", kwargs={"pk": actor.pk}))
    expect(visitor.get_by_role("region", name="In the agenda")).to_contain_text("No upcoming entry")

    # 2. The actor's manager signs in and proposes an event, which waits for moderation.
    proposer = new_page(browser, live_server)
    proposer.goto(reverse("cms:agenda"))
    proposer.get_by_role("link", name="Propose an entry").click()
    sign_in(proposer, manager.email)
    expect(proposer.get_by_role("heading", name="Propose an agenda entry")).to_be_visible()
    day = soon(days=12).date().isoformat()
    proposer.get_by_role("group", name="Kind").get_by_role("radio", name="Event").check()
    field(proposer, "Title").fill(PROPOSED_TITLE)
    field(proposer, "Description").fill("Bring a broken object; leave with it mended.")
    field(proposer, "Organiser").select_option(label=actor.name)
    field(proposer, "First day").fill(day)
    field(proposer, "Start time").fill("14:00")
    field(proposer, "End time").fill("18:00")
    field(proposer, "Place").fill("Gien, 3 rue des Ateliers")
    field(proposer, "Département").select_option(label=str(loiret))
    proposer.get_by_role("group", name="Themes").get_by_role("checkbox", name=CIRCULAR).check()
    with proposer.expect_navigation():
        proposer.get_by_role("button", name="Send the proposal").click()
    expect(
        proposer.get_by_text("your proposal waits for the programme team's moderation")
    ).to_be_visible()
    expect(proposer.get_by_role("heading", name=PROPOSED_TITLE)).to_be_visible()
    expect(proposer.get_by_text("Not published:")).to_be_visible()
    visitor.goto(reverse("cms:agenda"))
    expect(visitor.get_by_role("link", name="Atelier vélo solidaire")).to_be_visible()
    expect(visitor.get_by_role("link", name=PROPOSED_TITLE)).to_have_count(0)
    titles = [entry.title for entry in matching]
    assert summaries(calendar_of(visitor, feed_url)) == sorted(titles)

    # 3. Staff sign in to the Wagtail admin and publish it from the moderation queue.
    moderator = new_page(browser, live_server)
    moderator.goto(reverse("cms_moderation"))
    sign_in(moderator, staff.email)
    queue = moderator.get_by_role("table", name="Agenda entries waiting for moderation")
    queue.get_by_role("link", name=PROPOSED_TITLE).click()
    expect(moderator.get_by_role("heading", name=PROPOSED_TITLE)).to_be_visible()
    moderator.get_by_role("group", name="Decision").get_by_role("radio", name="Publish").check()
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Record the decision").click()
    expect(moderator.get_by_text(re.compile(f"“{PROPOSED_TITLE}” is now"))).to_be_visible()
    expect(moderator.get_by_text("No agenda entry waits for moderation.")).to_be_visible()

    # 4. A new visitor sees it at once: on the agenda, in the subscribed feed, on the actor's page.
    reader = new_page(browser, live_server)
    reader.goto(reverse("cms:agenda"))
    expect(reader.get_by_role("link", name=PROPOSED_TITLE)).to_be_visible()
    assert summaries(calendar_of(reader, feed_url)) == sorted([*titles, PROPOSED_TITLE])
    reader.goto(filtered_url)
    results = reader.get_by_role("region", name="3 entries")
    results.get_by_role("link", name=PROPOSED_TITLE).click()
    expect(reader.get_by_role("heading", name=PROPOSED_TITLE, level=1)).to_be_visible()
    expect(reader.get_by_text("Not published:")).to_have_count(0)
    reader.get_by_role("link", name=actor.name).click()
    expect(reader.get_by_role("heading", name=actor.name, level=1)).to_be_visible()
    upcoming = reader.get_by_role("region", name="In the agenda")
    expect(upcoming.get_by_role("link", name=PROPOSED_TITLE)).to_be_visible()
    for page in (visitor, proposer, moderator, reader):
        page.context.close()
