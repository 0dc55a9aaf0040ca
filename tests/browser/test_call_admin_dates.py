"""Issue 14, points 5 and 6, in a real browser: a closing date typed the French way stays as
typed when the box loses focus and is said back in words; a refused question puts a badge on
the “Application form” tab; the title makes an address without accents."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.applications.full_form import ensure_wagtail_tree
from tests.browser.test_csp import Watch, log_in

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


def test_a_french_date_stays_as_typed_and_is_said_back_in_words(page, live_server):
    open_editor(page, live_server)
    watch = Watch(page)
    closing = page.locator("#id_closes_at")
    echo = page.locator("#id_closes_at-echo")

    closing.fill("13/12/2026 17:00")
    closing.press("Tab")

    expect(echo).to_contain_text("Sunday 13 December 2026 at 17:00, Paris time")
    expect(closing).to_have_value("13/12/2026 17:00")
    # Typed the French way with “h”: the same moment, and the box keeps what was typed.
    closing.fill("13/12/2026 17h00")
    closing.blur()
    expect(closing).to_have_value("13/12/2026 17h00")
    expect(echo).to_contain_text("Sunday 13 December 2026 at 17:00, Paris time")
    # Unreadable: the box keeps it and the sentence says what to type.
    closing.fill("13/13/2026 17:00")
    closing.blur()
    expect(echo).to_have_text(
        "“13/13/2026 17:00” does not exist: check the day, the month and the time."
    )
    expect(echo).to_have_class(re.compile("essor-date-echo--invalid"))
    expect(closing).to_have_value("13/13/2026 17:00")
    watch.settle()
    watch.assert_clean()


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


def test_the_title_makes_an_address_without_accents(page, live_server):
    ensure_wagtail_tree()
    index = factories.call_index()
    factories.ProgrammeFactory()
    log_in(page, live_server, factories.UserFactory(is_staff=True, is_superuser=True))
    page.goto(reverse("wagtailadmin_pages:add", args=("applications", "call", index.pk)))

    page.locator("#id_title").fill("Appel à projets été")
    page.locator("#id_title").press("Tab")

    expect(page.locator("#id_slug")).to_have_value("appel-a-projets-ete")
