"""Cohorts and structures moved through the journey by the domain: helpers of the cohort
board and export tests."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accelerator.domain.journey import change_stage, disburse
from accelerator.models import (
    Accompaniment,
    Cohort,
    FundraisingRound,
    Milestone,
    RegulatoryObstacle,
    SeedGrant,
    Stage,
)
from tests import factories
from tests.accelerator.test_journey_transitions import fulfil

S = Stage


def make_cohort(name="Cohorte 2026", **fields):
    fields.setdefault("capacity", 80)
    return Cohort.objects.create(
        programme=factories.ProgrammeFactory(), name=name, year=2026, **fields
    )


def accompany(cohort, structure=None, referent=None, support_point=None):
    return Accompaniment.objects.create(
        cohort=cohort,
        structure=structure or factories.StructureFactory(),
        source="call",
        referent=referent,
        support_point=support_point,
    )


def advance(accompaniment, stage, mover):
    """Move `accompaniment` forward through change_stage until it reaches `stage`."""
    for name in ("start_labelling", "start_seed_funding", "start_fundraising"):
        if accompaniment.stage == stage:
            break
        fulfil(accompaniment, name)
        accompaniment = change_stage(accompaniment, name, mover)
    assert accompaniment.stage == stage
    return accompaniment


def board_url(cohort, **query):
    url = reverse("accelerator:cohort_board", kwargs={"pk": cohort.pk})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def cards_in(html, stage):
    """The accompaniment pks of the cards in the column of `stage`."""
    column = re.search(rf'data-stage="{stage}".*?</section>', html, re.S).group(0)
    return [int(pk) for pk in re.findall(r'data-accompaniment="(\d+)"', column)]


def all_cards(html):
    board_part = html.split('class="board"', 1)[1]
    return {int(pk) for pk in re.findall(r'data-accompaniment="(\d+)"', board_part)}


def fill(cohort, count, mover, referent, departments):
    """`count` accompaniments, each with milestones (open, overdue, done), logs of two moves,
    a grant with payments, a round and an open obstacle."""
    today = timezone.localdate()
    made = []
    for n in range(count):
        accompaniment = accompany(
            cohort,
            factories.StructureFactory(department=departments[n % len(departments)]),
            referent=referent,
        )
        accompaniment = advance(accompaniment, S.SEED_FUNDING, mover)
        for days in (-3, 2, 10):
            Milestone.objects.create(
                accompaniment=accompaniment,
                stage=S.SEED_FUNDING,
                title="Étape",
                due_on=today + datetime.timedelta(days=days),
            )
        grant = SeedGrant.objects.create(
            accompaniment=accompaniment, amount=Decimal("3000.10"), funder="Région"
        )
        disburse(grant, Decimal("1000.05"), today, mover)
        disburse(grant, Decimal("500.00"), today, mover)
        FundraisingRound.objects.create(
            accompaniment=accompaniment, target=Decimal("20000"), amount_raised=Decimal("1234.5")
        )
        RegulatoryObstacle.objects.create(
            accompaniment=accompaniment, regulation="Décret", blocks="Ouverture"
        )
        made.append(accompaniment)
    return made
