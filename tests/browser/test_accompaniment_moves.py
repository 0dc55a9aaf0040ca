"""The accompaniment page's move form in a real browser: a move whose conditions are unmet is
disabled and says what it needs; an exit without its reason is refused with the DSFR error
pattern; axe finds nothing serious or critical and nothing scrolls sideways at either width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accelerator.models import Accompaniment, Stage
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment
from tests.browser.test_accessibility import Checks
from tests.browser.test_csp import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_unmet_move_is_disabled_and_an_exit_asks_its_reason(page, live_server):
    manager = factories.ManagerFactory()
    accompaniment = make_accompaniment(factories.StructureFactory(), Stage.LABELLING)
    log_in(page, live_server, manager)
    page.goto(reverse("accelerator:accompaniment", args=[accompaniment.pk]))
    moves = page.get_by_role("group", name="Where does the structure go?")
    blocked = moves.get_by_role("radio", name="Move to Seed funding")
    expect(blocked).to_be_disabled()
    expect(blocked).to_have_accessible_description(
        "Not possible yet: A labelling committee decision “granted” must be recorded before "
        "seed funding (committee date, outcome, label name)."
    )
    expect(moves.get_by_role("radio", name="Pause the accompaniment")).to_be_enabled()
    checks = Checks(page)
    checks.check("accompaniment (manager)")

    moves.get_by_role("radio", name="Exit the programme").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Move the structure").click()
    assert page.title().startswith("Error: ")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please give the reason why the structure leaves")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Comment", exact=True)).to_be_focused()
    checks.check("accompaniment, refused exit")
    page.get_by_label("Comment", exact=True).fill("La structure a fermé.")
    with page.expect_navigation():
        page.get_by_role("button", name="Move the structure").click()
    expect(page.get_by_text("is now in “Exited”")).to_be_visible()
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == Stage.EXITED
    checks.assert_clean()
