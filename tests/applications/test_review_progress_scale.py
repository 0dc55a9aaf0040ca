"""The review progress page reads the figures stored at each change (per dossier and per juror):
it pages its dossiers fewest reviews first, labels them without Django's per-row display
lookups, shows the reviews owed only when a phase makes anyone late, and runs the same exact
number of queries for one dossier as for many. The rows here are written behind the domain's
back, then the call's figures computed again, as a backfill does (`refresh_call_ranking`)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.ranking_rows import refresh_call_ranking
from applications.domain.review_progress import (
    dossiers_in_progress_count,
    dossiers_progress,
    jurors_progress,
    stored_jurors,
)
from applications.models import Review
from applications.views.staff import progress as progress_view
from tests.applications.jury.test_reviews_support import (
    assign,
    dossier_in_review,
    make_juror,
    open_phase,
    reviewed_call,
)
from tests.applications.staff_support import count_queries

pytestmark = pytest.mark.django_db


def _url(call, query=""):
    return reverse("applications:staff_review_progress", kwargs={"call_id": call.pk}) + query


def _reviewed(call, staff, jurors, submitted):
    dossier = dossier_in_review(call, staff)
    for n, juror in enumerate(jurors):
        assignment = assign(juror, dossier)
        if n < submitted:
            Review.objects.create(assignment=assignment, submitted_at=timezone.now())
    return dossier


def test_the_dossiers_are_paged_fewest_reviews_first(client, staff, monkeypatch):
    monkeypatch.setattr(progress_view, "PAGE_SIZE", 2)
    call = reviewed_call()
    jurors = [make_juror(call) for _ in range(3)]
    done = [_reviewed(call, staff, jurors, n) for n in (3, 0, 2, 1, 3)]
    refresh_call_ranking(call)
    client.force_login(staff)

    pages = [client.get(_url(call, f"?page={n}")) for n in (1, 2, 3)]

    order = [d.pk for page in pages for d in page.context["page"].object_list]
    assert order == [d.pk for d in dossiers_progress(call)]
    assert [done.index(next(d for d in done if d.pk == pk)) for pk in order[:3]] == [1, 3, 2]
    assert pages[0].context["page"].paginator.count == dossiers_in_progress_count(call) == 5
    assert "Page 1 of 3" in pages[0].content.decode()
    assert pages[0].context["page"].object_list[0].state_label == "Under review"
    missing = client.get(_url(call, "?missing=1&page=2"))
    assert missing.context["page"].paginator.count == 3
    assert [d.pk for d in missing.context["page"].object_list] == [done[2].pk]
    assert "missing=1&amp;page=1" in missing.content.decode()


def test_the_jurors_are_read_in_one_query_the_owed_reviews_only_when_late(staff):
    call = reviewed_call()
    juror = make_juror(call)
    _reviewed(call, staff, [juror], 0)
    refresh_call_ranking(call)

    jurors, queries = count_queries(lambda: stored_jurors(call, owed=False))
    assert (jurors[0].assigned, jurors[0].owed, queries) == (1, None, 1)
    assert stored_jurors(call)[0].owed == jurors_progress(call)[0].owed == 1


# Session, user, call, phase, jurors, count, page of dossiers (the site's menu and footer come
# from the cache once the first request has read them).
PAGE_QUERIES = 7


@pytest.mark.parametrize("phase", [False, True])
def test_the_page_costs_the_same_for_1_and_many_dossiers(client, staff, phase):
    counts = []
    for size in (1, 12):
        call = reviewed_call()
        if phase:
            open_phase(call)
        jurors = [make_juror(call) for _ in range(3)]
        for n in range(size):
            _reviewed(call, staff, jurors, n % 4)
        refresh_call_ranking(call)
        client.force_login(staff)
        client.get(_url(call))
        response, queries = count_queries(lambda call=call: client.get(_url(call)))
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == min(size, progress_view.PAGE_SIZE)
        counts.append(queries)
    assert counts == [PAGE_QUERIES, PAGE_QUERIES], counts


def test_reminding_from_a_filtered_page_comes_back_to_it(client, staff):
    import time_machine

    from tests.applications.jury_reminders.test_remind_now import NOW, _late_jury

    with time_machine.travel(NOW, tick=False):
        made = _late_jury(staff)
        refresh_call_ranking(made.call)
        client.force_login(staff)
        page = client.get(_url(made.call, "?missing=1&page=1")).content.decode()
        remind = reverse("applications:staff_remind_jurors", kwargs={"call_id": made.call.pk})
        assert f'action="{remind}?missing=1&amp;page=1"' in page

        response = client.post(f"{remind}?missing=1&page=1", {"juror": "all"})

    assert response.status_code == 302
    assert response.url == _url(made.call, "?missing=1&page=1")
