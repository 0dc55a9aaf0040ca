"""The bell and the notification pages in a real browser, under the site's CSP: the bell opens
its dropdown with bell.js, a notice opened lowers the count, and at a phone's width nothing
scrolls sideways and axe-core finds nothing serious."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import browser, page  # noqa: F401 (the browser tests' fixtures)
from tests.browser.test_accessibility import PHONE, Checks
from tests.browser.test_csp import Watch, log_in
from tests.factories import StaffFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_bell_opens_its_latest_and_counts_down(page, live_server, topics, make_notifications):  # noqa: F811
    person = UserFactory()
    make_notifications(person, 3, link=reverse("workers:preferences"))
    log_in(page, live_server, person)
    watch = Watch(page)
    page.set_viewport_size(PHONE)

    watch.visit(live_server.url + reverse("accelerator:home"))
    bell = page.get_by_role("button", name="Notifications, 3 unread")
    expect(bell).to_have_attribute("aria-expanded", "false")

    bell.click()
    expect(bell).to_have_attribute("aria-expanded", "true")
    panel = page.locator("#bell-panel")
    expect(panel.locator(".bell__item--unread")).to_have_count(3)
    checks = Checks(page)
    checks._no_sideways_scroll("the bell's dropdown at 390px")
    checks._axe("the bell's dropdown at 390px")
    checks.assert_clean()

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(bell).to_be_focused()

    bell.click()
    panel.get_by_role("link", name="Notice 2").click()
    page.wait_for_url(f"**{reverse('workers:preferences')}")
    expect(page.get_by_role("button", name="Notifications, 2 unread")).to_be_visible()
    watch.settle()
    watch.assert_clean()


def test_the_notification_pages_on_a_phone(page, live_server, topics, make_notifications):  # noqa: F811
    person = UserFactory()
    make_notifications(
        person, 3, about="dossier:12", within="structure:7", text="A rather long notice " * 6
    )
    checks = Checks(page)

    log_in(page, live_server, person)
    watch = Watch(page)
    for name in ("workers:notifications", "workers:preferences"):
        watch.visit(live_server.url + reverse(name))
        checks.check(name)

    page.context.clear_cookies()
    log_in(page, live_server, StaffFactory())
    for url in (
        reverse("workers:deliveries_dossier", args=[12]),
        reverse("workers:deliveries_person", args=[person.pk]),
    ):
        watch.visit(live_server.url + url)
        checks.check(url)
    watch.assert_clean()
    checks.assert_clean()
