"""A cohort's board: who sees what, the columns and cards, the totals, the filters, and query
counts that do not grow with the cohort (1 vs 60)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain import board
from accelerator.domain.journey import change_stage, disburse
from accelerator.models import (
    Accompaniment,
    FundraisingRound,
    Milestone,
    RegulatoryObstacle,
    SeedGrant,
)
from tests import factories
from tests.accelerator.cohorts import (
    S,
    accompany,
    advance,
    all_cards,
    board_url,
    cards_in,
    fill,
    make_cohort,
)

BOARD_ORDER = [
    "sourcing",
    "labelling",
    "seed_funding",
    "fundraising",
    "impact_measurement",
    "alumni",
    "paused",
    "exited",
]


# --- the board: permissions


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("outsider", 403),
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("staff", 200),
        ("support_point", 200),
    ],
)
def test_board_per_role(cohort, structure, people, client_for, role, status):
    response = client_for(people[role]).get(board_url(cohort))
    assert response.status_code == status
    if status == 200:
        assert structure.name in response.content.decode()


def test_board_sends_anonymous_people_to_log_in(cohort, client_for):
    response = client_for(None).get(board_url(cohort))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_board_for_the_referent_and_a_manager(cohort, structure, manager_user, client_for):
    referent = factories.StaffFactory()
    cohort.referents.add(referent)
    for user in (referent, manager_user):
        response = client_for(user).get(board_url(cohort))
        assert response.status_code == 200
        assert structure.name in response.content.decode()


def test_a_support_point_with_no_structure_in_the_cohort_gets_404(
    cohort, far_support_point_user, client_for
):
    assert client_for(far_support_point_user).get(board_url(cohort)).status_code == 404


def test_an_unknown_cohort_is_404(db, staff, client_for):
    url = reverse("accelerator:cohort_board", kwargs={"pk": 999999})
    assert client_for(staff).get(url).status_code == 404


def test_a_support_point_sees_only_its_structures_and_no_export(
    cohort, structure, support_point_user, staff, client_for
):
    cher = factories.department("18", "Cher")
    far = accompany(cohort, factories.StructureFactory(department=cher, name="Far Away"))
    SeedGrant.objects.create(accompaniment=far, amount=Decimal("5000.00"), funder="Région")
    mine = Accompaniment.objects.get(cohort=cohort, structure=structure)
    SeedGrant.objects.create(accompaniment=mine, amount=Decimal("1200.00"), funder="Région")

    response = client_for(support_point_user).get(board_url(cohort))
    html = response.content.decode()
    assert all_cards(html) == {mine.pk}
    assert "Far Away" not in html
    assert "18 Cher" not in html
    assert 'data-total="grant_awarded">1,200.00 €' in html
    assert "export.csv" not in html and "export.xlsx" not in html
    assert "You see the structures of your territory only" in html

    staff_html = client_for(staff).get(board_url(cohort)).content.decode()
    assert all_cards(staff_html) == {mine.pk, far.pk}
    assert 'data-total="grant_awarded">6,200.00 €' in staff_html
    assert "export.csv" in staff_html and "export.xlsx" in staff_html


# --- the board: columns and cards


def test_columns_follow_the_journey_then_paused_and_exited(cohort, structure, staff, client_for):
    mover = factories.ManagerFactory()
    labelling = advance(accompany(cohort), S.LABELLING, mover)
    paused = change_stage(advance(accompany(cohort), S.LABELLING, mover), "pause", mover)
    exited = change_stage(accompany(cohort), "exit", mover, reason="Projet arrêté")
    sourcing = Accompaniment.objects.get(cohort=cohort, structure=structure)

    html = client_for(staff).get(board_url(cohort)).content.decode()
    assert re.findall(r'<section class="board-column" data-stage="(\w+)"', html) == BOARD_ORDER
    # One element per stage carries data-stage: the browser tests find the column by it.
    assert re.findall(r'data-stage="(\w+)"', html) == BOARD_ORDER
    assert cards_in(html, "sourcing") == [sourcing.pk]
    assert cards_in(html, "labelling") == [labelling.pk]
    assert cards_in(html, "paused") == [paused.pk]
    assert cards_in(html, "exited") == [exited.pk]
    assert cards_in(html, "seed_funding") == []
    heading = re.search(r'data-stage="labelling".*?</h3>', html, re.S).group(0)
    assert "Labelling" in heading and ">1</span>" in heading
    assert "(paused from Labelling)" in html


def test_a_card_shows_what_staff_need_to_follow_the_structure(cohort, structure, client_for):
    referent = factories.StaffFactory(first_name="Aline", last_name="Perrin")
    accompaniment = Accompaniment.objects.get(cohort=cohort, structure=structure)
    Accompaniment.objects.filter(pk=accompaniment.pk).update(referent=referent)
    accompaniment = advance(
        Accompaniment.objects.get(pk=accompaniment.pk), S.LABELLING, factories.ManagerFactory()
    )
    Accompaniment.objects.filter(pk=accompaniment.pk).update(
        stage_entered_at=timezone.now() - datetime.timedelta(days=12)
    )
    today = timezone.localdate()
    for due, status in [
        (today - datetime.timedelta(days=3), "open"),  # overdue
        (today - datetime.timedelta(days=1), "open"),  # overdue
        (today, "open"),  # due today: not yet overdue
        (None, "open"),
        (today - datetime.timedelta(days=5), "done"),
        (today - datetime.timedelta(days=5), "dropped"),
    ]:
        Milestone.objects.create(
            accompaniment=accompaniment,
            stage=S.LABELLING,
            title="Étape",
            due_on=due,
            status=status,
        )
    for _state in ("reported", "reported"):
        RegulatoryObstacle.objects.create(
            accompaniment=accompaniment, regulation="Code rural, art. L.1", blocks="Vente"
        )

    html = client_for(referent).get(board_url(cohort)).content.decode()
    card = re.search(
        r'<article class="board-card[^"]*" data-accompaniment="\d+".*?</article>', html, re.S
    )
    card = card.group(0)
    assert f'data-accompaniment="{accompaniment.pk}"' in card
    assert "board-card--late" in card
    assert structure.name in card
    assert "45 Loiret" in card
    assert "Référent: Aline Perrin" in card
    assert "12 days in this stage" in card
    assert re.search(r'class="board-card__overdue">2 overdue milestones<', card)
    assert "4 open milestones" in card
    assert "2 open regulatory obstacles" in card
    assert "Sourcing to Labelling" in card
    assert reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk}) in card


def test_closed_obstacles_and_a_fresh_card_are_quiet(cohort, structure, staff, client_for):
    accompaniment = Accompaniment.objects.get(cohort=cohort, structure=structure)
    obstacle = RegulatoryObstacle.objects.create(
        accompaniment=accompaniment, regulation="Arrêté", blocks="Ouverture"
    )
    from accelerator.domain.obstacles import change_obstacle_state

    change_obstacle_state(obstacle, "close", staff, comment="Hors sujet")
    html = client_for(staff).get(board_url(cohort)).content.decode()
    assert "open regulatory obstacle" not in html
    assert "No overdue milestone" in html
    assert 'class="board-card board-card--late"' not in html
    assert "0 days in this stage" in html
    assert "No move yet: joined on" in html
    assert "No référent yet" in html


# --- the board: totals


def test_totals_sum_grants_payments_and_rounds_to_the_cent(cohort, structure, staff, client_for):
    manager = factories.ManagerFactory()
    cher = factories.department("18", "Cher")
    first = Accompaniment.objects.get(cohort=cohort, structure=structure)
    second = accompany(cohort, factories.StructureFactory(department=cher))
    third = accompany(cohort, factories.StructureFactory(department=cher))
    grant = SeedGrant.objects.create(accompaniment=first, amount=Decimal("0.10"), funder="A")
    SeedGrant.objects.create(accompaniment=first, amount=Decimal("0.20"), funder="B")
    other = SeedGrant.objects.create(
        accompaniment=second, amount=Decimal("15000.10"), funder="Région"
    )
    disburse(grant, Decimal("0.10"), datetime.date(2026, 5, 1), manager)
    disburse(other, Decimal("5000.05"), datetime.date(2026, 5, 1), manager)
    disburse(other, Decimal("0.20"), datetime.date(2026, 6, 1), manager)
    FundraisingRound.objects.create(
        accompaniment=second, target=Decimal("60000"), amount_raised=Decimal("45000.50")
    )
    FundraisingRound.objects.create(
        accompaniment=third, target=Decimal("20000"), amount_raised=Decimal("10000")
    )

    totals = board.build_board(cohort, None).totals
    assert totals.grant_awarded == Decimal("15000.40")
    assert totals.grant_disbursed == Decimal("5000.35")
    assert totals.left_to_disburse == Decimal("10000.05")
    assert totals.funds_raised == Decimal("55000.50")
    assert totals.funds_target == Decimal("80000.00")
    assert totals.raised_percent == 69  # 68.75 rounded half up
    assert str(totals.grant_awarded) == "15000.40"
    assert totals.per_department == [("18 Cher", 2), ("45 Loiret", 1)]
    assert ("sourcing", "Sourcing", 3) in totals.per_stage

    html = client_for(staff).get(board_url(cohort)).content.decode()
    assert 'data-total="grant_awarded">15,000.40 €' in html
    assert 'data-total="grant_disbursed">5,000.35 €' in html
    assert 'data-total="left_to_disburse">10,000.05 €' in html
    assert 'data-total="funds_raised">55,000.50 €' in html
    assert 'data-total="funds_target">80,000.00 €' in html
    assert 'data-total="raised_percent">69 %' in html
    assert re.search(
        r'data-total-stage="sourcing"><th scope="row">Sourcing</th>'
        r'<td class="number">3</td>',
        html,
    )
    assert re.search(r"<th scope=\"row\">18 Cher</th><td class=\"number\">2</td>", html)
    assert re.search(
        r'data-total-stage="all"><th scope="row">Total</th><td class="number">3</td>', html
    )


def test_totals_without_any_target_say_so(cohort, staff, client_for):
    html = client_for(staff).get(board_url(cohort)).content.decode()
    assert "no target yet" in html
    assert 'data-total="grant_awarded">0.00 €' in html


# --- the board: filters


def test_filters_by_departement_and_referent_reach_cards_totals_and_chart(
    cohort, structure, staff, client_for
):
    aline = factories.StaffFactory(first_name="Aline", last_name="Perrin")
    bruno = factories.StaffFactory(first_name="Bruno", last_name="Roux")
    cher = factories.department("18", "Cher")
    loiret_mine = Accompaniment.objects.get(cohort=cohort, structure=structure)
    Accompaniment.objects.filter(pk=loiret_mine.pk).update(referent=aline)
    cher_aline = accompany(cohort, factories.StructureFactory(department=cher), referent=aline)
    cher_bruno = accompany(cohort, factories.StructureFactory(department=cher), referent=bruno)
    SeedGrant.objects.create(accompaniment=cher_aline, amount=Decimal("100.00"), funder="A")
    SeedGrant.objects.create(accompaniment=cher_bruno, amount=Decimal("900.00"), funder="B")
    client = client_for(staff)

    html = client.get(board_url(cohort)).content.decode()
    assert '<option value="18">18 Cher</option>' in html
    assert '<option value="45">45 Loiret</option>' in html
    assert f'<option value="{aline.pk}">Aline Perrin</option>' in html
    assert f'<option value="{bruno.pk}">Bruno Roux</option>' in html
    assert "Reset the filters" not in html

    html = client.get(board_url(cohort, department="18")).content.decode()
    assert all_cards(html) == {cher_aline.pk, cher_bruno.pk}
    assert 'data-total="grant_awarded">1,000.00 €' in html
    assert "Reset the filters" in html
    assert f'href="{board_url(cohort)}"' in html
    assert "export.csv?department=18" in html and "export.xlsx?department=18" in html
    table = re.search(r"<details>.*?</details>", html, re.S).group(0)
    chart_total = re.findall(r'<td class="number">(\d+)</td>\s*</tr>', table)
    assert chart_total and set(chart_total) == {"2"}

    html = client.get(board_url(cohort, department="18", referent=aline.pk)).content.decode()
    assert all_cards(html) == {cher_aline.pk}
    assert 'data-total="grant_awarded">100.00 €' in html
    assert f"export.csv?department=18&amp;referent={aline.pk}" in html

    html = client.get(board_url(cohort, referent=aline.pk)).content.decode()
    assert all_cards(html) == {loiret_mine.pk, cher_aline.pk}


def test_the_referent_filter_offers_structures_without_one(cohort, staff, client_for):
    html = client_for(staff).get(board_url(cohort, referent="none")).content.decode()
    assert '<option value="none" selected>No référent yet</option>' in html
    assert len(all_cards(html)) == 1


def test_an_unknown_filter_value_is_explained_and_ignored(cohort, staff, client_for):
    other = factories.StaffFactory()  # not a référent of this cohort
    response = client_for(staff).get(board_url(cohort, department="99", referent=other.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A filter was not understood" in html
    assert "Select a valid choice" in html
    assert len(all_cards(html)) == 1
    assert 'export.csv"' in html


def test_a_support_point_cannot_filter_its_way_to_other_departements(
    cohort, support_point_user, client_for
):
    cher = factories.department("18", "Cher")
    accompany(cohort, factories.StructureFactory(department=cher, name="Far Away"))
    html = client_for(support_point_user).get(board_url(cohort, department="18")).content.decode()
    assert "Far Away" not in html
    assert '<option value="18">' not in html


# --- query counts: the board costs the same with 1 and with 60 structures (issue 4, point 12)


@pytest.mark.parametrize("filtered_view", [False, True])
def test_board_runs_the_same_number_of_queries_with_1_and_60_accompaniments(
    db, staff, client_for, count_queries, filtered_view
):
    mover = factories.ManagerFactory()
    referent = factories.StaffFactory()
    departments = [factories.department("45", "Loiret"), factories.department("18", "Cher")]
    cohort = make_cohort()
    fill(cohort, 1, mover, referent, departments)
    query = {"department": "45", "referent": referent.pk} if filtered_view else {}
    url = board_url(cohort, **query)
    client = client_for(staff)
    with_one = count_queries(client, url)
    assert len(all_cards(client.get(url).content.decode())) == 1

    fill(cohort, 59, mover, referent, departments)
    with_sixty = count_queries(client, url)
    html = client.get(url).content.decode()
    # The first structure and every other one of the 59 are in the Loiret.
    assert len(all_cards(html)) == (31 if filtered_view else 60)
    assert with_sixty == with_one
    print(f"board queries (filtered={filtered_view}): 1 -> {with_one}, 60 -> {with_sixty}")


def test_board_for_a_support_point_runs_the_same_number_of_queries_with_1_and_60(
    db, client_for, count_queries
):
    mover = factories.ManagerFactory()
    loiret = factories.department("45", "Loiret")
    point = factories.SupportPointFactory(department=loiret)
    member = factories.UserFactory()
    point.members.add(member)
    cohort = make_cohort()
    fill(cohort, 1, mover, None, [loiret])
    url = board_url(cohort)
    client = client_for(member)
    with_one = count_queries(client, url)
    fill(cohort, 59, mover, None, [loiret, factories.department("18", "Cher")])
    assert count_queries(client, url) == with_one
    assert len(all_cards(client.get(url).content.decode())) == 31
