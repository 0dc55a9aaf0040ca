"""The staff's global search in a real browser: typed in the form, results of every kind, at a
phone width and a desktop width, with no serious axe finding and no sideways scroll."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.accelerator.cohorts import accompany, make_cohort
from tests.browser.test_accessibility import Checks, switch_to, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_search_page_finds_every_kind_on_a_phone_and_a_desktop(page, live_server, staff):
    long_name = "Coopérative d'intérêt collectif des mobilités douces du Berry " * 2
    structure = factories.StructureFactory(name=long_name.strip(), city="Châteauroux")
    member = factories.MembershipFactory(structure=structure, role="owner").user
    member.last_name = "Berry"
    member.save()
    accompany(make_cohort(name="Promotion Berry"), structure)
    factories.make_dossier(
        structure=structure, answers={"f-name": "Vélos du Berry", "f-desc": "Des vélos."}
    )
    checks = Checks(page)

    switch_to(page, live_server, staff)
    visit(page, live_server.url + reverse("accelerator:search"))
    checks.check("search, empty")
    main = page.locator("#main")
    main.get_by_label("Structure, SIRET, commune, dossier, person, cohort…").fill("berry")
    main.get_by_role("button", name="Search", exact=True).click()

    for kind in ("Structures", "Dossiers", "Accompaniments", "People"):
        expect(page.get_by_role("heading", name=kind, exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Vélos du Berry", exact=False)).to_be_visible()
    checks.check("search, results")
    checks.assert_clean()
