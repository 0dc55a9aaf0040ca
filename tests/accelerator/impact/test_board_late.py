"""The cohort board flags, on each card, the impact reports past their due date that the
structure has not submitted: in words, not by colour alone, counted in the cards' one query."""

import datetime
import re

import pytest
from django.utils import timezone

from accelerator.domain.board_cards import cards_of
from accelerator.domain.impact_reports import change_report_state
from accelerator.models import Accompaniment, ImpactPlan, ImpactReport
from tests import factories
from tests.accelerator.cohorts import accompany, board_url, make_cohort

pytestmark = pytest.mark.django_db


def open_report(accompaniment, number, due_in_days):
    """A report as the schedule opens it (due), due `due_in_days` from today."""
    today = timezone.localdate()
    return ImpactReport.objects.create(
        accompaniment=accompaniment,
        number=number,
        period_start=today - datetime.timedelta(days=200),
        period_end=today - datetime.timedelta(days=20),
        due_on=today + datetime.timedelta(days=due_in_days),
    )


def card_html(html, accompaniment):
    return re.search(
        rf'<article[^>]*data-accompaniment="{accompaniment.pk}".*?</article>', html, re.S
    ).group(0)


def test_a_card_says_how_many_impact_reports_are_late(client_for):
    cohort = make_cohort()
    late, on_time = accompany(cohort), accompany(cohort)
    open_report(late, 1, -10)
    open_report(late, 2, -1)
    open_report(on_time, 1, 0)  # due today: not late yet
    html = client_for(factories.StaffFactory()).get(board_url(cohort)).content.decode()
    card = card_html(html, late)
    assert "Late: 2 impact reports not submitted" in card
    assert 'data-late-reports="2"' in card
    assert "board-card--late" in card
    quiet = card_html(html, on_time)
    assert "impact report" not in quiet and "board-card--late" not in quiet


def test_late_counts_only_reports_the_structure_still_owes():
    cohort = make_cohort()
    accompaniment = accompany(cohort)
    report = open_report(accompaniment, 1, -5)
    cards = {card.pk: card for card in cards_of(Accompaniment.objects.filter(cohort=cohort))}
    assert cards[accompaniment.pk].reports_late == 1
    # Read tomorrow, a report due today is late too.
    open_report(accompaniment, 2, 0)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    cards = cards_of(Accompaniment.objects.filter(cohort=cohort), now=tomorrow)
    assert cards[0].reports_late == 2
    # Once submitted (late), a report is no longer owed: the card stops counting it.
    now = timezone.now()
    ImpactPlan.objects.create(
        accompaniment=accompaniment, structure_agreed_at=now, staff_agreed_at=now
    )
    editor = factories.MembershipFactory(structure=accompaniment.structure, role="editor").user
    change_report_state(report, "submit", editor)
    cards = cards_of(Accompaniment.objects.filter(cohort=cohort))
    assert cards[0].reports_late == 0


def test_the_board_runs_the_same_number_of_queries_with_1_and_12_late_structures(
    client_for, count_queries
):
    cohort = make_cohort()
    client = client_for(factories.StaffFactory())

    def add(count):
        for _n in range(count):
            accompaniment = accompany(cohort)
            open_report(accompaniment, 1, -30)
            open_report(accompaniment, 2, -3)

    add(1)
    with_one = count_queries(client, board_url(cohort))
    add(11)
    assert count_queries(client, board_url(cohort)) == with_one
    html = client.get(board_url(cohort)).content.decode()
    assert html.count("Late: 2 impact reports not submitted") == 12
