"""The juror's review beside the dossier, in a real browser: the weighted total follows the
scores as they are given and equals the server's (and the ranking's) after submitting; on a
phone "Dossier" and "My review" are tabs (mouse and keyboard); axe finds nothing serious or
critical and nothing scrolls sideways, at 1280 px and at 390 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.domain.ranking import scored_reviews
from tests import factories
from tests.applications.full_form import ensure_wagtail_tree
from tests.applications.jury.test_reviews_support import Scene
from tests.browser.test_accessibility import DESKTOP, PHONE, Checks
from tests.browser.test_csp import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _group(page, title):
    return page.get_by_role("group", name=title, exact=True)


def _total(page):
    return page.locator("[data-review-total-value]")


def test_the_total_follows_the_scores_and_the_tabs_switch_on_a_phone(page, live_server):
    ensure_wagtail_tree()
    scene = Scene(factories.StaffFactory())
    url = reverse("applications:review", kwargs={"dossier_id": scene.dossier.pk})
    log_in(page, live_server, scene.user)
    checks = Checks(page)

    # A desktop: the dossier and the form side by side, no tabs.
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    expect(page.get_by_role("tablist")).to_be_hidden()
    dossier_panel = page.locator("#panel-dossier")
    review_panel = page.locator("#panel-review")
    expect(dossier_panel).to_be_visible()
    expect(review_panel).to_be_visible()
    left, right = dossier_panel.bounding_box(), review_panel.bounding_box()
    assert left["x"] + left["width"] <= right["x"], "the form is not beside the dossier"
    assert review_panel.evaluate("(e) => getComputedStyle(e).position") == "sticky"
    assert dossier_panel.evaluate("(e) => getComputedStyle(e).overflowY") == "auto"
    checks.check("review page")

    # Scores on a mixed grid (0–5, 1–4 with "not applicable", 0–10 weighing 2): the total
    # reads on the 0–10 reference scale, as the ranking does.
    expect(_total(page)).to_have_text("—")
    _group(page, "Impact social").get_by_role("radio", name="4", exact=True).check()
    expect(_total(page)).to_have_text("8.00")
    _group(page, "Ancrage territorial").get_by_role("radio", name="3", exact=True).check()
    expect(_total(page)).to_have_text("7.33")  # (8 + 6.67) / 2
    _group(page, "Ancrage territorial").get_by_role("radio", name="Not applicable").check()
    expect(_total(page)).to_have_text("8.00")
    _group(page, "Viabilité").get_by_role("radio", name="7", exact=True).check()
    live = _total(page).inner_text()
    assert live == "7.33"  # (1 × 8 + 2 × 7) / 3
    page.get_by_role("radio", name="Yes", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my review").click()
    expect(page.get_by_text("Your review is submitted.")).to_be_visible()
    # The server's total on reload, the script's before, and the ranking's are one figure.
    expect(_total(page)).to_have_text(live)
    ranked = scored_reviews(scene.call).get(assignment=scene.assignment)
    assert f"{ranked.weighted_score:.2f}" == live

    # A phone: two tabs, one panel at a time.
    page.set_viewport_size(PHONE)
    page.reload()
    tabs = page.get_by_role("tablist", name="Dossier and review")
    expect(tabs).to_be_visible()
    dossier_tab = tabs.get_by_role("tab", name="Dossier")
    review_tab = tabs.get_by_role("tab", name="My review")
    expect(dossier_tab).to_have_attribute("aria-selected", "true")
    expect(dossier_panel).to_be_visible()
    expect(review_panel).to_be_hidden()
    expect(page.get_by_role("tabpanel")).to_have_count(1)
    checks.check("review page, dossier tab")
    page.set_viewport_size(PHONE)
    review_tab.click()
    expect(review_tab).to_have_attribute("aria-selected", "true")
    expect(review_panel).to_be_visible()
    expect(dossier_panel).to_be_hidden()
    expect(_total(page)).to_have_text(live)
    page.set_viewport_size(PHONE)
    checks._axe("review page, review tab at 390px")
    checks._no_sideways_scroll("review page, review tab at 390px")
    # The keyboard: arrows move between the tabs and show their panel.
    review_tab.focus()
    page.keyboard.press("ArrowLeft")
    expect(dossier_tab).to_be_focused()
    expect(dossier_tab).to_have_attribute("aria-selected", "true")
    expect(dossier_panel).to_be_visible()
    page.keyboard.press("End")
    expect(review_tab).to_be_focused()
    expect(review_panel).to_be_visible()
    # Back to a desktop width: both panels again, no tabs.
    page.set_viewport_size(DESKTOP)
    expect(tabs).to_be_hidden()
    expect(dossier_panel).to_be_visible()
    expect(review_panel).to_be_visible()
    checks.assert_clean()


def test_a_refused_submit_opens_on_the_form_with_its_summary(page, live_server):
    ensure_wagtail_tree()
    scene = Scene(factories.StaffFactory())
    url = reverse("applications:review", kwargs={"dossier_id": scene.dossier.pk})
    log_in(page, live_server, scene.user)
    page.set_viewport_size(PHONE)
    page.goto(url)
    page.get_by_role("tab", name="My review").click()
    _group(page, "Impact social").get_by_role("radio", name="2", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my review").click()
    assert page.title().startswith("Error: ")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    # The form's tab is open, so the summary's links reach their fields.
    expect(page.get_by_role("tab", name="My review")).to_have_attribute("aria-selected", "true")
    expect(_total(page)).to_have_text("4.00")
    summary.get_by_role("link").first.click()
    expect(_group(page, "Ancrage territorial").get_by_role("radio").first).to_be_focused()
    checks = Checks(page)
    checks.check("refused review")
    checks.assert_clean()
