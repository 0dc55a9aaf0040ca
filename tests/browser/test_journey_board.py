"""Issue 4, point 14, in a real browser: a programme manager moves a structure from labelling to
seed funding, is refused until the labelling committee's decision is recorded, records it with
the form, moves the structure again and succeeds; the cohort's board then shows its card in the
seed funding column."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accelerator.models import Accompaniment, AccompanimentTransition, LabelDecision, Stage
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data; the restored rows are the migrations' régions,
    # départements and Wagtail tree, which the flush of an earlier transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"  # the factories' password
MISSING = "A labelling committee decision “granted” must be recorded before seed funding"


def log_in(page, email):
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()


def test_staff_move_a_structure_to_seed_funding_once_the_label_is_recorded(page):
    structure = factories.StructureFactory(name="Tiers-lieu des Tanneurs")
    accompaniment = make_accompaniment(structure=structure, stage=Stage.LABELLING)
    manager = factories.ManagerFactory(first_name="Sophie", last_name="Lambert")
    assert manager.has_perm("accelerator.move_accompaniment", accompaniment)
    committee_day = timezone.localdate() - datetime.timedelta(days=2)

    # 1. The manager logs in and opens the accompaniment's page: the structure is in labelling.
    log_in(page, manager.email)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto(reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk}))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiers-lieu des Tanneurs")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Labelling")

    # 2. Moving to seed funding is not offered yet: the move is shown disabled, with the reason
    # that names the missing decision, before anyone posts anything.
    moves = page.get_by_role("group", name="Where does the structure go?")
    blocked = moves.get_by_role("radio", name="Move to Seed funding")
    expect(blocked).to_be_disabled()
    expect(page.locator("#move")).to_contain_text(MISSING)
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == Stage.LABELLING

    # 3. The committee's decision, "granted", recorded with the form.
    decision = page.get_by_role("form", name="Record a committee decision")
    decision.get_by_label("Committee date").fill(committee_day.isoformat())
    decision.get_by_role("radio", name="Granted").check()
    decision.get_by_label("Label name").fill("Label ESS Centre-Val de Loire")
    decision.get_by_label("Comments").fill("Unanimous.")
    with page.expect_navigation():
        decision.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The committee's decision is recorded.")).to_be_visible()
    expect(page.get_by_text("Everything “Seed funding” needs is recorded")).to_be_visible()
    recorded = LabelDecision.objects.get(accompaniment=accompaniment, outcome="granted")
    assert (recorded.committee_date, recorded.label_name) == (
        committee_day,
        "Label ESS Centre-Val de Loire",
    )

    # 4. The move is offered now: chosen, with a comment, it succeeds.
    moves = page.get_by_role("group", name="Where does the structure go?")
    moves.get_by_role("radio", name="Move to Seed funding").check()
    page.locator("#move").get_by_label("Comment").fill("Label granted.")
    with page.expect_navigation():
        page.get_by_role("button", name="Move the structure").click()
    expect(page.get_by_text("Tiers-lieu des Tanneurs is now in “Seed funding”.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Seed funding")
    expect(
        page.get_by_role("group", name="Where does the structure go?").get_by_role(
            "radio", name="Move to Fundraising"
        )
    ).to_be_visible()
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == Stage.SEED_FUNDING
    log = AccompanimentTransition.objects.get(
        accompaniment=accompaniment, name="start_seed_funding"
    )
    assert (log.actor, log.comment) == (manager, "Label granted.")

    # 5. The cohort's board shows the card in the seed funding column, and only there.
    with page.expect_navigation():
        page.get_by_role("link", name=f"{accompaniment.cohort.name} (").first.click()
    assert page.url.endswith(
        reverse("accelerator:cohort_board", kwargs={"pk": accompaniment.cohort_id})
    )
    card = f'[data-accompaniment="{accompaniment.pk}"]'
    expect(page.locator(f'[data-stage="seed_funding"] {card}')).to_be_visible()
    expect(page.locator(f'[data-stage="seed_funding"] {card}')).to_contain_text(
        "Tiers-lieu des Tanneurs"
    )
    expect(page.locator(f'[data-stage="labelling"] {card}')).to_have_count(0)
