"""The ranking's figures, checked against numbers worked out by hand (see each test's comment)."""

from math import sqrt

import pytest

from applications.domain.dossiers import change_state
from applications.domain.ranking import (
    Grid,
    filter_ranking,
    ranked_dossiers,
    reference_scale,
    scored_reviews,
    with_rank,
)
from tests import factories
from tests.applications.jury.test_ranking_support import (
    NA,
    declare,
    dossier_under_review,
    juror,
    ranking_call,
    review,
)
from tests.applications.staff_support import count_queries, submitted_dossier

pytestmark = pytest.mark.django_db

# Weights 2, 1, 1, every criterion on 0–5.
GRID = ((2, 0, 5), (1, 0, 5), (1, 0, 5))


def _ranked(call, **kwargs):
    return {dossier.pk: dossier for dossier in ranked_dossiers(call, **kwargs)}


def test_weights_renormalised_without_not_applicable(staff):
    call, _criteria = ranking_call(GRID)
    dossier = dossier_under_review(call, staff)
    # A: (2×5 + 1×2 + 1×3) / 4 = 15/4 = 3.75
    review(juror(call), dossier, [5, 2, 3], "yes")
    # B: C2 not applicable → (2×4 + 1×1) / 3 = 3.0
    review(juror(call), dossier, [4, NA, 1], "yes")
    # C: C3 not applicable → (2×1 + 1×4) / 3 = 2.0
    review(juror(call), dossier, [1, 4, NA], "no")

    ranked = _ranked(call)[dossier.pk]

    scores = sorted(r.weighted_score for r in scored_reviews(call))
    assert scores == pytest.approx([2.0, 3.0, 3.75])
    # Mean (3.75 + 3 + 2) / 3 = 35/12; median 3; population deviation √74 / 12 ≈ 0.7169.
    assert ranked.weighted_mean == pytest.approx(35 / 12)
    assert ranked.median == pytest.approx(3.0)
    assert ranked.review_count == 3
    assert ranked.spread == pytest.approx(sqrt(74) / 12)
    assert ranked.disagreement is False  # 0.72 is not above the default threshold 1.00
    assert (ranked.yes_count, ranked.maybe_count, ranked.no_count) == (2, 0, 1)


def test_drafts_do_not_count(staff):
    call, _criteria = ranking_call(GRID)
    dossier = dossier_under_review(call, staff)
    review(juror(call), dossier, [4, 4, 4], "yes")
    review(juror(call), dossier, [0, 0, 0], "no", submitted=False)

    ranked = _ranked(call)[dossier.pk]

    assert ranked.review_count == 1
    assert ranked.weighted_mean == pytest.approx(4.0)
    assert (ranked.yes_count, ranked.no_count) == (1, 0)


def test_a_declared_conflict_removes_the_juror_from_that_dossier_only(staff):
    call, _criteria = ranking_call(GRID)
    first = dossier_under_review(call, staff)
    second = dossier_under_review(call, staff)
    fair = juror(call)
    conflicted = juror(call)
    review(fair, first, [4, 4, 4], "yes")
    review(fair, second, [2, 2, 2], "maybe")
    # The conflicted juror's review was submitted, then the conflict declared: it no longer counts.
    review(conflicted, first, [0, 0, 0], "no")
    declare(conflicted, first, "personal")
    review(conflicted, second, [4, 4, 4], "yes")

    ranked = _ranked(call)

    assert ranked[first.pk].review_count == 1
    assert ranked[first.pk].weighted_mean == pytest.approx(4.0)
    assert ranked[first.pk].no_count == 0
    # On the other dossier the same juror declared no conflict: (2 + 4) / 2 = 3.
    assert ranked[second.pk].review_count == 2
    assert ranked[second.pk].weighted_mean == pytest.approx(3.0)
    assert [
        r.assignment.dossier_id
        for r in scored_reviews(call)
        .filter(assignment__juror=conflicted)
        .select_related("assignment")
    ] == [second.pk]


def test_a_suggested_but_undeclared_conflict_removes_nothing(staff):
    call, _criteria = ranking_call(GRID)
    dossier = dossier_under_review(call, staff)
    # The juror is a member of the structure (a suggested conflict) but declared none.
    member = factories.MembershipFactory(structure=dossier.structure, role="viewer").user
    review(juror(call, user=member), dossier, [3, 3, 3])

    assert _ranked(call)[dossier.pk].review_count == 1


def test_median_of_an_even_number_of_reviews_is_the_mean_of_the_middle_two(staff):
    call, _criteria = ranking_call(((1, 0, 5),))
    dossier = dossier_under_review(call, staff)
    for value in (5, 1, 4, 2):
        review(juror(call), dossier, [value])

    ranked = _ranked(call)[dossier.pk]

    # Sorted 1, 2, 4, 5: median (2 + 4) / 2 = 3; mean 12 / 4 = 3.
    assert ranked.median == pytest.approx(3.0)
    assert ranked.weighted_mean == pytest.approx(3.0)
    # Population variance (4 + 1 + 1 + 4) / 4 = 2.5.
    assert ranked.spread == pytest.approx(sqrt(2.5))


def test_median_of_an_odd_number_of_reviews_is_the_middle_one(staff):
    call, _criteria = ranking_call(((1, 0, 5),))
    dossier = dossier_under_review(call, staff)
    for value in (5, 0, 1):
        review(juror(call), dossier, [value])

    ranked = _ranked(call)[dossier.pk]

    # Sorted 0, 1, 5: median 1, while the mean is 2.
    assert ranked.median == pytest.approx(1.0)
    assert ranked.weighted_mean == pytest.approx(2.0)


def test_spread_is_the_population_deviation_and_the_flag_is_strictly_above(staff):
    # Scores 1 and 5: population deviation 2 (the sample one would be 2.83).
    strict, _ = ranking_call(((1, 0, 5),), threshold="2.00")
    lower, _ = ranking_call(((1, 0, 5),), threshold="1.99")
    results = {}
    for call in (strict, lower):
        dossier = dossier_under_review(call, staff)
        review(juror(call), dossier, [1])
        review(juror(call), dossier, [5])
        results[call.pk] = _ranked(call)[dossier.pk]

    assert results[strict.pk].spread == pytest.approx(2.0)
    assert results[strict.pk].disagreement is False
    assert results[lower.pk].disagreement is True


def test_one_review_has_no_spread_and_no_review_has_no_figures(staff):
    call, _criteria = ranking_call(GRID, threshold="0.00")
    alone = dossier_under_review(call, staff)
    empty = dossier_under_review(call, staff)
    review(juror(call), alone, [3, 3, 3], "maybe")

    ranked = _ranked(call)

    assert ranked[alone.pk].spread == pytest.approx(0.0)
    assert ranked[alone.pk].disagreement is False
    assert ranked[alone.pk].maybe_count == 1
    nothing = ranked[empty.pk]
    assert (nothing.weighted_mean, nothing.median, nothing.spread) == (None, None, None)
    assert (nothing.review_count, nothing.yes_count, nothing.maybe_count, nothing.no_count) == (
        0,
        0,
        0,
        0,
    )
    assert nothing.disagreement is False


def test_a_review_with_every_criterion_not_applicable_counts_but_has_no_score(staff):
    call, _criteria = ranking_call(GRID)
    dossier = dossier_under_review(call, staff)
    review(juror(call), dossier, [4, 2, 2], "yes")  # (8 + 2 + 2) / 4 = 3
    review(juror(call), dossier, [NA, NA, NA], "no")

    ranked = _ranked(call)[dossier.pk]

    assert ranked.review_count == 2
    assert ranked.no_count == 1
    assert ranked.weighted_mean == pytest.approx(3.0)
    assert ranked.median == pytest.approx(3.0)
    assert ranked.spread == pytest.approx(0.0)


def test_different_scales_are_placed_on_the_reference_scale(staff):
    # C1: weight 1 on 1–5; C2: weight 3 on 0–10. Reference scale 0–10.
    call, _criteria = ranking_call(((1, 1, 5), (3, 0, 10)))
    dossier = dossier_under_review(call, staff)
    # 3 on 1–5 → (3 − 1) × 10 / 4 = 5; 9 stays 9: (1×5 + 3×9) / 4 = 8.
    review(juror(call), dossier, [3, 9])
    # 5 on 1–5 → 10; 2 stays 2: (1×10 + 3×2) / 4 = 4.
    review(juror(call), dossier, [5, 2])

    ranked = _ranked(call)[dossier.pk]

    scale = reference_scale(call)
    assert (scale.low, scale.high, scale.uniform) == (0, 10, False)
    assert ranked.weighted_mean == pytest.approx(6.0)
    assert ranked.median == pytest.approx(6.0)
    assert ranked.spread == pytest.approx(2.0)


def test_a_uniform_grid_keeps_raw_values(staff):
    call, _criteria = ranking_call(((1, 1, 10), (1, 1, 10)))
    dossier = dossier_under_review(call, staff)
    review(juror(call), dossier, [7, 10])

    assert reference_scale(call).uniform is True
    assert _ranked(call)[dossier.pk].weighted_mean == pytest.approx(8.5)


def test_juror_ids_restrict_the_figures_to_those_jurors(staff):
    call, _criteria = ranking_call(((1, 0, 5),))
    dossier = dossier_under_review(call, staff)
    president = juror(call, role="president")
    review(president, dossier, [5])
    review(juror(call), dossier, [1])

    ranked = _ranked(call, juror_ids=[president.pk])[dossier.pk]

    assert ranked.review_count == 1
    assert ranked.weighted_mean == pytest.approx(5.0)


def test_only_dossiers_in_competition_are_ranked(staff):
    call, _criteria = ranking_call(GRID)
    reviewed = dossier_under_review(call, staff)
    eligible = change_state(submitted_dossier(call), "mark_eligible", staff)
    factories.make_dossier(call=call)  # a draft
    submitted_dossier(call)
    withdrawn = dossier_under_review(call, staff)
    owner = factories.MembershipFactory(structure=withdrawn.structure, role="owner").user
    change_state(withdrawn, "withdraw", owner)
    other_call, _ = ranking_call(GRID)
    dossier_under_review(other_call, staff)

    assert set(_ranked(call)) == {reviewed.pk, eligible.pk}


def test_default_order_is_best_mean_first_unscored_last_and_ranks_share_ties(staff):
    call, _criteria = ranking_call(((1, 0, 5),))
    dossiers = [dossier_under_review(call, staff) for _ in range(4)]
    review(juror(call), dossiers[0], [2])
    review(juror(call), dossiers[1], [4])
    review(juror(call), dossiers[2], [4])

    ranking = list(with_rank(ranked_dossiers(call)))

    assert [d.pk for d in ranking][-1] == dossiers[3].pk
    assert {d.pk for d in ranking[:2]} == {dossiers[1].pk, dossiers[2].pk}
    assert [d.rank for d in ranking] == [1, 1, 3, None]


def test_filters_narrow_by_state_disagreement_and_reviews(staff):
    call, _criteria = ranking_call(((1, 0, 5),))
    calm, split, single = (dossier_under_review(call, staff) for _ in range(3))
    for value in (3, 3):
        review(juror(call), calm, [value])
    for value in (0, 5):
        review(juror(call), split, [value])
    review(juror(call), single, [5])
    change_state(split, "shortlist", staff)

    def pks(**filters):
        return {d.pk for d in filter_ranking(ranked_dossiers(call), **filters)}

    assert pks(disagreement_only=True) == {split.pk}
    assert pks(min_reviews=2) == {calm.pk, split.pk}
    assert pks(state="shortlisted") == {split.pk}
    assert pks(state="under_review", min_reviews=1) == {calm.pk, single.pk}


def test_the_ranking_is_one_query_whatever_its_size(staff):
    call, _criteria = ranking_call(GRID)
    for _ in range(3):
        dossier = dossier_under_review(call, staff)
        review(juror(call), dossier, [1, 2, 3])
    grid = Grid.of(call)

    rows, queries = count_queries(lambda: list(ranked_dossiers(call, grid=grid)))

    assert len(rows) == 3
    assert queries == 1
    assert all(row.structure.name for row in rows)  # joined, no query per row


def test_a_call_without_a_grid_counts_reviews_but_has_no_scores(staff):
    call, _criteria = ranking_call(grid=())
    dossier = dossier_under_review(call, staff)
    review(juror(call), dossier, [], "yes")

    ranked = _ranked(call)[dossier.pk]

    assert (ranked.review_count, ranked.yes_count) == (1, 1)
    assert (ranked.weighted_mean, ranked.median, ranked.spread) == (None, None, None)
    assert ranked.disagreement is False
