"""The dossier's error pattern with the keyboard only (Tab, Enter, Space) in a real browser: a
refused submit puts the focus on the error summary, its link focuses the field, and once fixed
the dossier is submitted; axe finds nothing serious at a phone and a desktop width."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Dossier
from tests import factories
from tests.applications.full_form import _field, ensure_wagtail_tree
from tests.browser.test_accessibility import Checks
from tests.browser.test_dossier_script import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORM = [
    _field("q-name", "short_text", "Project name", max_length=80),
    _field("q-ok", "yes_no", "Already funded?"),
    _field("q-staff", "number", "Employees", profile_field="employees", integer_only=True),
]


def focused(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id, presses=150):
    """Press Tab until the element `element_id` has the focus, as a keyboard user does."""
    for _press in range(presses):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def tab_to_button(page, name, presses=150):
    for _press in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent") == name:
            return
    raise AssertionError(f"Tab never reached the button {name!r}")


def test_a_refused_submit_is_fixed_with_the_keyboard_only(page, live_server):
    ensure_wagtail_tree()
    structure = factories.StructureFactory(employees=4)
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    call = factories.make_call(form=FORM)
    dossier = factories.make_dossier(call=call, structure=structure, answers={})
    log_in(page, live_server, owner)
    page.goto(reverse("applications:dossier", args=[dossier.pk]))
    # The profile's answer is there already.
    expect(page.locator("#id_q-staff")).to_have_value("4")

    tab_to_button(page, "Submit the dossier")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_count(2)

    checks = Checks(page)
    checks.check("the refused dossier")
    checks.assert_clean()
    page.set_viewport_size({"width": 1280, "height": 800})
    summary.focus()  # the checks moved nothing, but resizing may: start again from the summary

    # The summary's first link goes to the field, with the focus.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_q-name")).to_be_focused()
    page.keyboard.type("Tiers-lieu")
    tab_to(page, "id_q-ok_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_q-ok_0")).to_be_checked()

    tab_to_button(page, "Submit the dossier")
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_contain_text("Your dossier is submitted")
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == "submitted"
    assert dossier.answers == {"q-name": "Tiers-lieu", "q-ok": "yes", "q-staff": "4"}
