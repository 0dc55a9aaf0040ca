"""The staff's ranking page: who reaches it, its sorting, its filters and its query count."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from applications.domain.dossiers import change_state
from tests.applications.jury.test_ranking_support import (
    declare,
    dossier_under_review,
    juror,
    ranking_call,
    review,
)
from tests.applications.staff_support import count_queries

APPLICANTS = ["outsider", "viewer", "editor", "owner"]


def _url(call, **params):
    url = reverse("applications:staff_ranking", kwargs={"call_id": call.pk})
    return f"{url}?{urlencode(params)}" if params else url


def _export_urls(call):
    return [
        reverse("applications:staff_ranking_export", kwargs={"call_id": call.pk, "fmt": fmt})
        for fmt in ("csv", "xlsx")
    ]


def _references(response):
    return [dossier.reference for dossier in response.context["page"].object_list]


@pytest.fixture
def ranked_call(staff, owner, dossier):
    """The `dossier` fixture's call with that dossier under review and scored by one juror."""
    call = dossier.call
    dossier = change_state(dossier, "submit", owner)
    dossier = change_state(dossier, "mark_eligible", staff)
    dossier = change_state(dossier, "start_review", staff)
    review(juror(call), dossier, [4, 4])
    return call


# --- who may see it ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, ranked_call):
    for url in [_url(ranked_call), *_export_urls(ranked_call)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize("role", APPLICANTS)
def test_applicants_never_see_the_ranking(client, ranked_call, role, request):
    client.force_login(request.getfixturevalue(role))
    for url in [_url(ranked_call), *_export_urls(ranked_call)]:
        assert client.get(url).status_code == 403, url


def test_a_juror_never_reaches_the_ranking_nor_its_exports(client, ranked_call):
    # The juror who scored the dossier, and a juror who declared a conflict on it.
    scorer = ranked_call.jurors.get().user
    conflicted = juror(ranked_call)
    declare(conflicted, ranked_call.dossiers.get(), "personal")
    for user in (scorer, conflicted.user):
        client.force_login(user)
        for url in [_url(ranked_call), *_export_urls(ranked_call)]:
            response = client.get(url)
            assert response.status_code == 403, url
            assert b"4.00" not in response.content


def test_staff_see_the_ranking_with_its_figures(client, staff, ranked_call, dossier):
    client.force_login(staff)

    response = client.get(_url(ranked_call))

    assert response.status_code == 200
    page = response.content.decode()
    assert dossier.reference in page
    assert dossier.structure.name in page
    assert "4.00" in page
    assert reverse("applications:staff_dossier", kwargs={"dossier_id": dossier.pk}) in page
    for url in _export_urls(ranked_call):
        assert url in page
    assert 'class="active">Ranking</a>' in page  # the call's tabs, this one current


def test_an_unknown_call_or_format_is_not_found(client, staff, ranked_call):
    client.force_login(staff)
    assert client.get(reverse("applications:staff_ranking", args=[999999])).status_code == 404
    export = reverse(
        "applications:staff_ranking_export", kwargs={"call_id": ranked_call.pk, "fmt": "pdf"}
    )
    assert client.get(export).status_code == 404


# --- sorting and filters -----------------------------------------------------------------------


@pytest.fixture
def three_dossiers(staff):
    """high: 5 and 4 (mean 4.5, spread 0.5); split: 0 and 5 (mean 2.5, spread 2.5);
    single: 3 (one review). References in creation order."""
    call, _criteria = ranking_call(((1, 0, 5),))
    high, split, single = (dossier_under_review(call, staff) for _ in range(3))
    for value in (5, 4):
        review(juror(call), high, [value])
    for value in (0, 5):
        review(juror(call), split, [value], "no")
    review(juror(call), single, [3])
    return call, high, split, single


def test_default_order_is_by_weighted_mean_with_ranks(client, staff, three_dossiers):
    call, high, split, single = three_dossiers
    client.force_login(staff)

    response = client.get(_url(call))

    assert _references(response) == [high.reference, single.reference, split.reference]
    assert [d.rank for d in response.context["page"].object_list] == [1, 2, 3]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("mean", ["split", "single", "high"]),
        ("-median", ["high", "single", "split"]),
        ("-reviews", ["high", "split", "single"]),
        ("reviews", ["single", "high", "split"]),
        ("-spread", ["split", "high", "single"]),
        ("spread", ["single", "high", "split"]),
        ("reference", ["high", "split", "single"]),
        ("-reference", ["single", "split", "high"]),
    ],
)
def test_every_column_sorts_both_ways(client, staff, three_dossiers, sort, expected):
    call, high, split, single = three_dossiers
    names = {"high": high, "split": split, "single": single}
    client.force_login(staff)

    response = client.get(_url(call, sort=sort))

    assert _references(response) == [names[name].reference for name in expected]
    # The rank stays the place by weighted mean, whatever the order shown.
    ranks = {d.reference: d.rank for d in response.context["page"].object_list}
    assert ranks == {high.reference: 1, single.reference: 2, split.reference: 3}


def test_sort_links_reverse_the_current_column_and_keep_the_filters(client, staff, three_dossiers):
    call, *_dossiers = three_dossiers
    client.force_login(staff)

    response = client.get(_url(call, sort="-mean", min_reviews=1, page=1))

    links = response.context["sort_links"]
    assert links["mean"]["aria_sort"] == "descending"
    assert "sort=mean" in links["mean"]["query"]
    assert "min_reviews=1" in links["mean"]["query"]
    assert "page" not in links["mean"]["query"]
    assert links["spread"]["aria_sort"] is None
    assert "sort=-spread" in links["spread"]["query"]
    assert "sort=reference" in links["reference"]["query"]
    assert 'aria-sort="descending"' in response.content.decode()


def test_filters_by_disagreement_reviews_and_state(client, staff, three_dossiers):
    call, high, split, single = three_dossiers
    change_state(high, "shortlist", staff)
    client.force_login(staff)

    def references(**params):
        return set(_references(client.get(_url(call, **params))))

    assert references(disagreement="on") == {split.reference}
    assert references(min_reviews=2) == {high.reference, split.reference}
    assert references(state="shortlisted") == {high.reference}
    assert references(state="under_review", min_reviews=2) == {split.reference}
    # A filter leaving nothing says so.
    response = client.get(_url(call, state="selected"))
    assert "No dossier matches these filters." in response.content.decode()


def test_an_invalid_query_string_shows_the_whole_ranking(client, staff, three_dossiers):
    call, *_dossiers = three_dossiers
    client.force_login(staff)

    response = client.get(_url(call, min_reviews="many", sort="name", state="draft"))

    assert response.status_code == 200
    assert len(_references(response)) == 3


def test_the_disagreement_is_shown(client, staff, three_dossiers):
    call, _high, split, _single = three_dossiers
    client.force_login(staff)

    page = client.get(_url(call)).content.decode()

    row = page[page.index(split.reference) :].split("</tr>")[0]
    assert "2.50" in row
    assert "Disagreement" in row


# --- query count -------------------------------------------------------------------------------


def _scored_dossiers(call, staff, count, jurors):
    for _ in range(count):
        dossier = dossier_under_review(call, staff)
        for index, member in enumerate(jurors):
            review(member, dossier, [index + 1, 5 - index, 3], ["yes", "maybe", "no"][index])
        # A conflicted juror too: their join must not add queries either.
        declare(juror(call), dossier, "financial")


def test_the_page_query_count_does_not_grow_with_dossiers(client, staff):
    call, _criteria = ranking_call(((2, 0, 5), (1, 0, 5), (1, 0, 5)))
    jurors = [juror(call) for _ in range(3)]
    client.force_login(staff)
    _scored_dossiers(call, staff, 1, jurors)
    client.get(_url(call))  # the session is read once before counting

    response, one = count_queries(lambda: client.get(_url(call)))
    assert response.context["page"].paginator.count == 1

    _scored_dossiers(call, staff, 39, jurors)
    response, forty = count_queries(lambda: client.get(_url(call)))

    assert response.context["page"].paginator.count == 40
    assert len(response.context["page"].object_list) == 40
    assert all(d.review_count == 3 for d in response.context["page"].object_list)
    assert forty == one


def test_a_long_ranking_is_paginated_with_the_same_ranks(client, staff, monkeypatch):
    from applications.views.staff import ranking as ranking_views

    call, _criteria = ranking_call(((1, 0, 5),))
    for value in (5, 4, 3):
        review(juror(call), dossier_under_review(call, staff), [value])
    client.force_login(staff)
    monkeypatch.setattr(ranking_views, "PAGE_SIZE", 2)

    second = client.get(_url(call, page=2))

    assert [d.rank for d in second.context["page"].object_list] == [3]
    assert "Page 2 of 2" in second.content.decode()


def test_the_call_tab_links_to_the_ranking(client, staff, ranked_call):
    client.force_login(staff)
    response = client.get(reverse("applications:staff_dossiers", args=[ranked_call.pk]))
    assert _url(ranked_call) in response.content.decode()


def test_other_calls_dossiers_are_not_ranked(client, staff, ranked_call):
    other, _criteria = ranking_call()
    stranger = dossier_under_review(other, staff)
    client.force_login(staff)

    response = client.get(_url(ranked_call))

    assert stranger.reference not in _references(response)
