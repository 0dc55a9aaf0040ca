"""A juror's reminder, end to end: the scan finds a review still owed three days before the
review phase closes and queues the e-mail; its link leads to the review form of the very dossier;
in the browser the bell shows the notice, opening it lands on that form and the count goes down.
The phase's end is set from the real clock, so that the live server needs no time travel."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Review
from tests.applications.jury_reminders.support import jury
from tests.browser.test_accessibility import PHONE, Checks
from tests.browser.test_csp import Watch, log_in
from workers import reminders
from workers.models import Notification, OutboxMessage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RULE = "juror_reviews_due"
LINK = re.compile(r"https?://\S+")


def test_a_juror_follows_the_reminder_to_the_review_form(page, live_server, staff):
    # Three days before the end (the call's default), minus two hours so that a change of
    # daylight saving time in between still leaves the reminder due now.
    ends_at = timezone.now() + timedelta(days=3, hours=-2)
    made = jury(staff, ends_at=ends_at, jurors=1, dossiers=1)
    (juror,) = made.jurors
    (dossier,) = made.dossiers
    assert made.call.remind_reviews_before_days == 3
    assert not Review.objects.filter(assignment__juror=juror).exists()

    reminders.scan()

    (message,) = OutboxMessage.objects.filter(key__startswith=f"reminder:{RULE}:")
    assert message.to == juror.user.email
    review_form = reverse("applications:review", kwargs={"dossier_id": dossier.pk})
    links = {urlsplit(url.rstrip(".,)»”")).path for url in LINK.findall(message.body_text)}
    assert review_form in links, links
    # The bell holds this one notice, unread, pointing at the same form.
    (notice,) = Notification.objects.filter(recipient=juror.user)
    assert (notice.link, notice.read_at, notice.email_id) == (review_form, None, message.pk)

    log_in(page, live_server, juror.user)
    watch = Watch(page)
    page.set_viewport_size(PHONE)
    watch.visit(live_server.url + reverse("applications:juror_home"))
    bell = page.get_by_role("button", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    expect(page.locator(".bell__count")).to_have_text("1")
    checks = Checks(page)
    checks._no_sideways_scroll("the jury space with one unread notice at 390px")

    bell.click()
    expect(bell).to_have_attribute("aria-expanded", "true")
    item = page.locator("#bell-panel .bell__item--unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(made.call.title)
    checks._no_sideways_scroll("the bell's dropdown at 390px")
    with page.expect_navigation():
        item.get_by_role("link").click()

    assert urlsplit(page.url).path == review_form
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Review of dossier {dossier.reference}"
    )
    # On a phone the dossier comes first; the review form is in its own tab.
    page.get_by_role("tab", name="My review").click()
    expect(page.get_by_role("button", name="Submit my review")).to_be_visible()
    # Read: the count is gone from the header.
    expect(page.get_by_role("button", name="Notifications", exact=True)).to_be_visible()
    expect(page.locator(".bell__count")).to_have_count(0)
    notice.refresh_from_db()
    assert notice.read_at is not None

    watch.settle()
    checks.check("the review form reached from the reminder")
    checks.assert_clean()
    watch.assert_clean()
