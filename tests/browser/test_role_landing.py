"""Each role logs in through the form and lands on its own page, with its own links in the
header, at a phone width and a desktop width: axe-core finds nothing serious or critical and
nothing scrolls sideways, the folded menu included; a person with two roles switches."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment
from tests.applications.jury.helpers import assign, blind_phase, jury_dossier, make_juror
from tests.browser.test_accessibility import DESKTOP, PHONE, Checks

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"


def log_in_with_the_form(page, user):
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("account_login"))
    page.locator('main [name="login"]').fill(user.email)
    page.locator('main [name="password"]').fill(PASSWORD)
    with page.expect_navigation():
        page.locator('main form [type="submit"]').last.click()


def nav(page):
    return page.get_by_role("navigation", name="Main navigation")


def check_role(page, checks, label, path, own, others):
    """On the role's landing page: its links shown (at the desktop width, and in the opened
    menu at the phone width), the others' absent; axe and the width checks, menu closed and
    open."""
    expect(page).to_have_url(re.compile(re.escape(path) + r"$"))
    page.set_viewport_size(DESKTOP)
    for name in own:
        expect(nav(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    for name in others:
        expect(nav(page).get_by_role("link", name=name, exact=True)).to_have_count(0)
    checks.check(label)
    page.set_viewport_size(PHONE)
    toggle = page.locator(".site-menu__toggle")
    expect(toggle).to_be_visible()
    if own:
        expect(nav(page).get_by_role("link", name=own[0], exact=True)).to_be_hidden()
    toggle.click()
    for name in own:
        expect(nav(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    where = f"{label} at 390px, menu open"
    checks.checked.append(where)
    checks._axe(where)
    checks._no_sideways_scroll(where)
    toggle.click()


ALL_LINKS = [
    "Today",
    "Calls",
    "Cohorts",
    "Obstacles",
    "Jury",
    "My space",
    "My dossiers",
    "My territory",
    "My journey",
]


def others(own):
    return [name for name in ALL_LINKS if name not in own]


def test_each_role_lands_on_its_page(page, live_server, staff):
    loiret = factories.department("45", "Loiret")
    structure = factories.StructureFactory(name="Atelier Soleil", department=loiret)
    accompanied = factories.MembershipFactory(structure=structure, role="owner").user
    make_accompaniment(structure)
    applicant = factories.MembershipFactory(role="owner").user
    point = factories.UserFactory()
    factories.SupportPointFactory(department=loiret).members.add(point)
    call = factories.make_call(title="Appel aux tiers-lieux")
    blind_phase(call)
    juror = make_juror(call)
    assign(juror, jury_dossier(call, staff))
    checks = Checks(page)

    log_in_with_the_form(page, applicant)
    own = ["My space", "My dossiers"]
    check_role(page, checks, "applicant", reverse("accelerator:home"), own, others(own))
    expect(page.get_by_role("link", name="Register a structure")).to_be_visible()

    log_in_with_the_form(page, juror.user)
    own = ["Jury"]
    check_role(page, checks, "juror", reverse("applications:juror_home"), own, others(own))
    expect(page.get_by_role("heading", name="To do first")).to_be_visible()
    expect(page.get_by_role("link", name="Register a structure")).to_have_count(0)

    log_in_with_the_form(page, staff)
    own = ["Today", "Calls", "Cohorts", "Obstacles"]
    check_role(page, checks, "staff", reverse("accelerator:staff_today"), own, others(own))
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.get_by_role("heading", name="Dossiers to check")).to_be_visible()

    log_in_with_the_form(page, point)
    own = ["My territory"]
    check_role(page, checks, "support point", reverse("accelerator:territory"), own, others(own))
    expect(page.get_by_role("link", name="Atelier Soleil")).to_be_visible()

    log_in_with_the_form(page, accompanied)
    own = ["My journey"]
    journey = reverse("accelerator:structure_journey", kwargs={"pk": structure.pk})
    check_role(page, checks, "accompanied", journey, own, ["Today", "Jury", "My territory"])
    checks.assert_clean()


def test_a_person_with_two_roles_switches(page, live_server, staff):
    owner = factories.MembershipFactory(role="owner").user
    call = factories.make_call()
    make_juror(call, user=owner)
    checks = Checks(page)

    log_in_with_the_form(page, owner)
    expect(page).to_have_url(re.compile(re.escape(reverse("applications:juror_home")) + "$"))
    switch = page.get_by_label("Acting as")
    expect(switch).to_have_value("juror")
    checks.check("juror with the role switch")
    switch.select_option("applicant")
    with page.expect_navigation():
        page.get_by_role("button", name="Switch").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accelerator:home")) + "$"))
    expect(nav(page).get_by_role("link", name="My dossiers", exact=True)).to_be_visible()
    expect(nav(page).get_by_role("link", name="Jury", exact=True)).to_have_count(0)
    expect(page.get_by_label("Acting as")).to_have_value("applicant")

    # The choice holds at the next log-in's landing in the same session.
    page.goto(reverse("accelerator:landing"))
    expect(page).to_have_url(re.compile(re.escape(reverse("accelerator:home")) + "$"))

    # At the phone width the switch is in the menu and works the same way.
    page.set_viewport_size(PHONE)
    page.locator(".site-menu__toggle").click()
    page.get_by_label("Acting as").select_option("juror")
    with page.expect_navigation():
        page.get_by_role("button", name="Switch").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("applications:juror_home")) + "$"))
    checks.check("back to the juror's page")
    checks.assert_clean()
