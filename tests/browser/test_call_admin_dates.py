"""Issue 14, point 6, in a real browser: a refused question puts a badge on the “Application
form” tab. The dates typed the French way and the address made from the title are driven by
`test_call_builder_journey.py`, in the same session as the rest of the officer's work."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.applications.full_form import ensure_wagtail_tree
from tests.browser.test_csp import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def open_editor(page, live_server, **call_fields):
    ensure_wagtail_tree()
    call = factories.make_call(**call_fields)
    log_in(page, live_server, factories.UserFactory(is_staff=True, is_superuser=True))
    page.goto(reverse("wagtailadmin_pages:edit", args=(call.pk,)))
    page.locator("[data-streamfield-stream-container]").first.wait_for()
    return call


def test_a_refused_question_puts_a_badge_on_the_application_form_tab(page, live_server):
    # A question saved without its label (as an older form could be): publishing refuses it.
    form = [
        {"type": "short_text", "value": {"label": "", "required": True}, "id": "q-1"},
    ]
    open_editor(page, live_server, form=form)
    form_badge = page.locator("#tab-label-application_form .w-tabs__errors")
    expect(form_badge).to_be_hidden()

    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()

    page.locator("[data-streamfield-stream-container]").first.wait_for()
    expect(page.locator("#tab-application_form .error-message").first).to_be_attached()
    expect(form_badge).to_be_visible()
    expect(form_badge.locator("[data-w-count-target='total']")).to_have_text("1")
    expect(page.locator("#tab-label-call .w-tabs__errors")).to_be_hidden()
