"""The staff's review progress: per juror (assigned, started, submitted) and per dossier
(reviews in out of the call's target), in a number of queries that does not grow with the rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.review_progress import dossiers_progress, jurors_progress
from applications.domain.reviews import save_review
from applications.models import Assignment, Review
from tests import factories
from tests.applications.jury.test_reviews_support import (
    assign,
    complete_data,
    dossier_in_review,
    make_juror,
    open_phase,
    reviewed_call,
)
from tests.applications.staff_support import count_queries


def _url(call):
    return reverse("applications:staff_review_progress", kwargs={"call_id": call.pk})


def test_progress_counts_per_juror_and_per_dossier(client, staff):
    call = reviewed_call()
    open_phase(call)
    first, second, third = (
        make_juror(call),
        make_juror(call),
        make_juror(call, role="president"),
    )
    make_juror(call, accepted=False)
    crowded = dossier_in_review(call, staff)
    single = dossier_in_review(call, staff)
    waiting = dossier_in_review(call, staff, start_review=False)
    full = dossier_in_review(call, staff)
    factories.make_dossier(call=call)  # a draft: not in review, not listed
    for juror in (first, second, third):
        assign(juror, crowded)
        save_review(assign(juror, full), complete_data(call), juror.user, submit=True)
    save_review(
        Assignment.objects.get(juror=first, dossier=crowded), complete_data(call), first.user, True
    )
    save_review(
        Assignment.objects.get(juror=second, dossier=crowded),
        {"scores": {}, "comment": "Je commence."},
        second.user,
    )
    save_review(assign(first, single), complete_data(call), first.user, submit=True)

    jurors = {juror.pk: juror for juror in jurors_progress(call)}
    assert len(jurors) == 4
    assert (jurors[first.pk].assigned, jurors[first.pk].started, jurors[first.pk].submitted) == (
        3,
        0,
        3,
    )
    assert (jurors[second.pk].assigned, jurors[second.pk].started) == (2, 1)
    assert jurors[second.pk].submitted == 1
    assert (jurors[third.pk].assigned, jurors[third.pk].started, jurors[third.pk].submitted) == (
        2,
        0,
        1,
    )

    dossiers = {dossier.pk: dossier for dossier in dossiers_progress(call)}
    assert set(dossiers) == {crowded.pk, single.pk, waiting.pk, full.pk}
    assert (dossiers[crowded.pk].assigned, dossiers[crowded.pk].drafts) == (3, 1)
    assert dossiers[crowded.pk].reviews_in == 1
    assert (dossiers[single.pk].assigned, dossiers[single.pk].reviews_in) == (1, 1)
    assert (dossiers[waiting.pk].assigned, dossiers[waiting.pk].reviews_in) == (0, 0)
    assert dossiers[full.pk].reviews_in == 3
    # The ones that lack reviews come first.
    assert list(dossiers)[-1] == full.pk

    client.force_login(staff)
    page = client.get(_url(call)).content.decode()
    assert first.user.display_name in page
    assert "Invitation not accepted yet" in page
    assert "1 / 3" in page and "3 / 3" in page
    assert page.count('class="badge badge--below"') == 3
    assert page.count('class="badge badge--met"') == 1
    missing = client.get(_url(call) + "?missing=1").content.decode()
    assert crowded.reference in missing
    assert full.reference not in missing


def _fill(call, staff, jurors, count):
    """`count` dossiers in review, each assigned to every juror: one submitted review, one
    draft, one not started."""
    for _index in range(count):
        dossier = dossier_in_review(call, staff)
        assignments = [assign(juror, dossier) for juror in jurors]
        Review.objects.create(
            assignment=assignments[0], recommendation="yes", submitted_at=timezone.now()
        )
        Review.objects.create(assignment=assignments[1], comment="En cours.")


@pytest.mark.django_db
def test_progress_page_runs_the_same_queries_for_1_and_40_dossiers(client, staff):
    counts = []
    for size in (1, 40):
        call = reviewed_call()
        open_phase(call)
        jurors = [make_juror(call) for _juror in range(3)]
        _fill(call, staff, jurors, size)
        client.force_login(staff)
        client.get(_url(call))  # warm the session and the caches
        response, queries = count_queries(lambda call=call: client.get(_url(call)))
        assert response.status_code == 200
        assert response.content.decode().count('class="badge badge--below"') == size
        counts.append(queries)
    assert counts[0] == counts[1], counts
