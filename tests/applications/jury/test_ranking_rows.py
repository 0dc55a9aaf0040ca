"""The ranking's stored figures (`DossierRanking`) follow every change that moves them, and always
equal a fresh computation of the whole call by `ranked_dossiers`."""

import pytest
from django.urls import reverse

from applications.domain import conflicts
from applications.domain.ranking import Grid, ranked_dossiers, with_rank
from applications.domain.ranking_rows import (
    page_ranks,
    refresh_call_ranking,
    stored_ranking,
)
from applications.domain.reviews import save_review
from applications.models import DossierRanking, EvaluationCriterion
from tests.applications.jury.helpers import make_juror
from tests.applications.jury.test_reviews_support import (
    Scene,
    assign,
    complete_data,
    criteria_of,
    dossier_in_review,
)

pytestmark = pytest.mark.django_db

FIGURES = (
    "weighted_mean",
    "median",
    "spread",
    "review_count",
    "yes_count",
    "maybe_count",
    "no_count",
    "disagreement",
)


def _figures(rows):
    return {
        row.pk: tuple(
            round(value, 9) if isinstance(value, float) else value
            for value in (getattr(row, name) for name in FIGURES)
        )
        for row in rows
    }


def assert_in_step(call):
    """The stored figures equal those the database computes afresh for the whole call."""
    stored = _figures(stored_ranking(call))
    fresh = _figures(ranked_dossiers(call))
    assert stored == fresh


def _stored(dossier):
    return DossierRanking.objects.get(dossier=dossier)


def test_submitting_changing_and_a_conflict_move_the_stored_row(staff):
    scene = Scene(staff)
    call, dossier = scene.call, scene.dossier
    first, _second, third = scene.criteria
    refresh_call_ranking(call)  # the call's rows exist, as after the migration's backfill

    save_review(scene.assignment, complete_data(call), scene.user)  # a draft counts for nothing
    assert _stored(dossier).review_count == 0

    save_review(scene.assignment, complete_data(call), scene.user, submit=True)
    row = _stored(dossier)
    # 4 on 0–5 and 7 on 0–10 (weight 2), N/A left out; on the 0–10 reference scale: 8 and 7.
    assert row.review_count == 1
    assert row.yes_count == 1
    assert row.weighted_mean == pytest.approx((1 * 8 + 2 * 7) / 3)
    assert_in_step(call)

    changed = complete_data(call, recommendation="no")
    changed["scores"][first.pk] = {"value": 0}
    changed["scores"][third.pk] = {"value": 10}
    save_review(scene.assignment, changed, scene.user)  # a submitted review revised
    row = _stored(dossier)
    assert (row.yes_count, row.no_count) == (0, 1)
    assert row.weighted_mean == pytest.approx((1 * 0 + 2 * 10) / 3)
    assert_in_step(call)

    other, other_assignment = scene.other_juror()
    save_review(other_assignment, complete_data(call, "maybe"), other.user, submit=True)
    assert _stored(dossier).review_count == 2
    assert_in_step(call)

    # Staff record a conflict for the second juror: their review leaves the ranking.
    conflicts.record_conflict(other, dossier, "personal", "", staff)
    assert _stored(dossier).review_count == 1
    assert_in_step(call)

    # Corrected back to "no conflict": it counts again.
    conflicts.record_conflict(other, dossier, "none", "", staff)
    assert _stored(dossier).review_count == 2
    assert_in_step(call)


def test_a_dossier_without_a_row_reads_as_unreviewed(staff):
    scene = Scene(staff)
    refresh_call_ranking(scene.call)
    newcomer = dossier_in_review(scene.call, staff)
    # A dossier entering review gets its row at once; one whose row is missing (written behind
    # the domain's back) still reads as unreviewed.
    assert DossierRanking.objects.filter(dossier=newcomer).exists()
    DossierRanking.objects.filter(dossier=newcomer).delete()

    row = stored_ranking(scene.call).get(pk=newcomer.pk)

    assert (row.weighted_mean, row.review_count, row.yes_count) == (None, 0, 0)
    assert_in_step(scene.call)


def test_a_changed_grid_computes_the_calls_rows_again_on_the_next_read(staff):
    scene = Scene(staff)
    call = scene.call
    save_review(scene.assignment, complete_data(call), scene.user, submit=True)
    before = _stored(scene.dossier).weighted_mean

    # Staff change a weight in the page editor: no review is saved.
    third = criteria_of(call)[2]
    EvaluationCriterion.objects.filter(pk=third.pk).update(weight=5)

    assert _stored(scene.dossier).weighted_mean == before  # not yet read
    assert_in_step(call)  # the read computes the call again with the new grid
    assert _stored(scene.dossier).weighted_mean == pytest.approx((1 * 8 + 5 * 7) / 6)


def test_the_places_of_a_page_equal_the_window_over_the_whole_call(staff):
    scene = Scene(staff)
    call = scene.call
    jurors = [make_juror(call) for _ in range(2)]
    dossiers = [dossier_in_review(call, staff) for _ in range(4)]
    values = [(5, 10), (5, 10), (2, 3), (0, 0)]  # two tied at the top
    for dossier, (low, high) in zip(dossiers, values, strict=True):
        for member in jurors:
            data = complete_data(call)
            first, _second, third = criteria_of(call)
            data["scores"][first.pk] = {"value": low}
            data["scores"][third.pk] = {"value": high}
            save_review(assign(member, dossier), data, member.user, submit=True)
    grid = Grid.of(call)
    expected = {d.pk: d.rank for d in with_rank(ranked_dossiers(call, grid=grid))}

    queryset = stored_ranking(call, grid)
    for start in range(0, 6, 2):  # pages of two, every one
        rows = page_ranks(queryset, list(queryset[start : start + 2]))
        assert {row.pk: row.rank for row in rows} == {row.pk: expected[row.pk] for row in rows}
    assert sorted(r for r in expected.values() if r) == [1, 1, 3, 4]


def test_the_ranking_page_reads_stored_rows_in_constant_queries(client, staff):
    scene = Scene(staff)
    call = scene.call
    client.force_login(staff)
    url = reverse("applications:staff_ranking", kwargs={"call_id": call.pk})

    def queries_for_page():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)  # the first read stores the rows
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    one = queries_for_page()
    for _ in range(4):
        dossier = dossier_in_review(call, staff)
        juror = make_juror(call)
        save_review(assign(juror, dossier), complete_data(call), juror.user, submit=True)
    assert queries_for_page() == one
