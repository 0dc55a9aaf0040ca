"""The ranking page reads its rows and their places through the stored rows' index: the same
rows, in the same order and with the same places as the whole call ranked at once, page after
page, unscored dossiers last."""

import pytest
from django.urls import reverse

from applications.domain.ranking import DEFAULT_SORT, Grid, ranked_dossiers, with_rank
from applications.domain.ranking_rows import ranking_page, stored_ranking
from applications.domain.reviews import save_review
from applications.views.staff import ranking as ranking_view
from tests.applications.jury.helpers import make_juror
from tests.applications.jury.test_reviews_support import (
    Scene,
    assign,
    complete_data,
    criteria_of,
    dossier_in_review,
)
from tests.applications.staff_support import count_queries

pytestmark = pytest.mark.django_db


def _scored_call(staff, values):
    """A call whose dossiers are scored (low, high) by two jurors each, for each of `values`;
    None leaves a dossier without a review. Returns the call."""
    scene = Scene(staff)
    call = scene.call
    jurors = [make_juror(call) for _ in range(2)]
    for pair in values:
        dossier = dossier_in_review(call, staff)
        if pair is None:
            continue
        for member in jurors:
            data = complete_data(call)
            first, _second, third = criteria_of(call)
            data["scores"][first.pk] = {"value": pair[0]}
            data["scores"][third.pk] = {"value": pair[1]}
            save_review(assign(member, dossier), data, member.user, submit=True)
    return call


def _whole_call(call, grid):
    """(pk, rank) of every ranked dossier, as the whole call ranked at once orders them."""
    from applications.domain.ranking import ordering

    rows = with_rank(ranked_dossiers(call, grid=grid)).order_by(*ordering(DEFAULT_SORT))
    return [(row.pk, row.rank) for row in rows]


@pytest.mark.parametrize("sort", [DEFAULT_SORT, "reference", "-spread"])
def test_every_page_equals_the_whole_call_ranked_at_once(staff, sort):
    # Two tied at the top, two tied below them (the criteria weigh the same), two without review
    # (the scene's dossier is one of them).
    call = _scored_call(staff, [(5, 10), (2, 3), (5, 10), None, (0, 0), (4, 1)])
    grid = Grid.of(call)
    dossiers = stored_ranking(call, grid)
    expected = dict(_whole_call(call, grid))

    shown = []
    for number in range(1, 6):  # pages of two, and one past the end (the last page again)
        page = ranking_page(call, dossiers, sort, str(number), 2)
        shown.append([(row.pk, row.rank) for row in page.object_list])
        assert page.paginator.count == 7
    assert shown[4] == shown[3]
    rows = [row for rows in shown[:4] for row in rows]
    assert dict(rows) == expected
    if sort == DEFAULT_SORT:
        assert rows == _whole_call(call, grid)
    assert sorted(rank for rank in expected.values() if rank) == [1, 1, 3, 3, 5]


def test_a_page_that_is_not_a_number_is_the_first(staff):
    call = _scored_call(staff, [(5, 10), (2, 3), (1, 1)])
    dossiers = stored_ranking(call)
    first = ranking_page(call, dossiers, DEFAULT_SORT, "deux", 2)
    assert first.number == 1
    assert [row.rank for row in first.object_list] == [1, 2]


def test_the_ranking_page_costs_the_same_on_a_bigger_call(client, staff, monkeypatch):
    monkeypatch.setattr(ranking_view, "PAGE_SIZE", 3)
    small = _scored_call(staff, [(5, 10), (2, 3), (1, 1), (4, 4)])
    big = _scored_call(staff, [(n % 6, (n * 7) % 11) for n in range(14)])
    client.force_login(staff)

    def queries(call, query=""):
        url = reverse("applications:staff_ranking", kwargs={"call_id": call.pk}) + query
        client.get(url)  # the first read stores the rows
        response, count = count_queries(lambda: client.get(url))
        assert response.status_code == 200
        return count

    assert queries(small) == queries(big)
    assert queries(small, "?sort=reference") == queries(big, "?sort=reference")
