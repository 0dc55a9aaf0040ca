"""The review progress's stored figures (per dossier on `DossierRanking`, per juror on
`JurorProgress`, with the juror's count of declarations that the jury page reads) follow every
change that moves them, through the domain, and always equal the figures computed from
scratch."""

import pytest
from django.urls import reverse

from applications.domain import deliberation
from applications.domain.assignment import assign, unassign
from applications.domain.auto_assignment import auto_assign
from applications.domain.conflicts import declare_conflict, record_conflict
from applications.domain.dossiers import change_state
from applications.domain.jury_overview import declaration_counts
from applications.domain.ranking_rows import refresh_call_ranking
from applications.domain.review_progress import (
    dossiers_progress,
    jurors_progress,
    stored_dossiers,
    stored_jurors,
)
from applications.domain.reviews import save_review
from applications.models import Assignment, ConflictDeclaration, Dossier, DossierRanking
from applications.models.ranking import JurorProgress
from tests import factories
from tests.applications.jury.test_assignment_support import make_juror
from tests.applications.jury.test_reviews_support import (
    complete_data,
    dossier_in_review,
    open_phase,
    reviewed_call,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.StaffFactory(is_superuser=True)


JUROR = ("assigned", "started", "submitted", "owed")
DOSSIER = ("assigned", "drafts", "reviews_in")


def stored(call):
    """({juror id: figures}, [(dossier id, figures)] in the page's order), from the stored rows."""
    jurors = {j.pk: tuple(getattr(j, k) for k in JUROR) for j in stored_jurors(call)}
    dossiers = [(d.pk, tuple(getattr(d, k) for k in DOSSIER)) for d in stored_dossiers(call)]
    return jurors, dossiers


def computed(call):
    jurors = {j.pk: tuple(getattr(j, k) for k in JUROR) for j in jurors_progress(call)}
    dossiers = [(d.pk, tuple(getattr(d, k) for k in DOSSIER)) for d in dossiers_progress(call)]
    return jurors, dossiers


def assert_in_step(call):
    assert stored(call) == computed(call)


def figures(call, juror):
    """The juror's stored (assigned, started, submitted, owed)."""
    return stored(call)[0][juror.pk]


def dossier_figures(call, dossier):
    """The dossier's stored (assigned, drafts, reviews in), as the page lists it."""
    return dict(stored(call)[1])[dossier.pk]


@pytest.fixture
def scene(staff):
    call = reviewed_call()
    open_phase(call)
    jurors = [make_juror(call) for _ in range(2)]
    dossier = dossier_in_review(call, staff, start_review=False)
    return call, jurors, dossier


def test_an_eligible_dossier_is_listed_before_any_juror(scene):
    call, (first, _second), dossier = scene
    assert dossier_figures(call, dossier) == (0, 0, 0)
    assert figures(call, first) == (0, 0, 0, 0)
    assert_in_step(call)


def test_assigning_and_unassigning_move_both_rows(scene, staff):
    call, (first, second), dossier = scene
    assign(first, dossier, staff, notify=False)
    assign(second, dossier, staff, notify=False)
    assert dossier_figures(call, dossier) == (2, 0, 0)
    assert figures(call, first) == (1, 0, 0, 1)
    assert_in_step(call)

    unassign(first, dossier, staff)

    assert dossier_figures(call, dossier) == (1, 0, 0)
    assert figures(call, first) == (0, 0, 0, 0)
    assert_in_step(call)


def test_a_draft_then_a_submitted_review(scene, staff):
    call, (first, _second), dossier = scene
    assignment = assign(first, dossier, staff, notify=False)
    declare_conflict(first, dossier, "none", "", first.user)

    save_review(assignment, {"scores": {}, "comment": "Je commence."}, first.user)
    assert dossier_figures(call, dossier) == (1, 1, 0)
    assert figures(call, first) == (1, 1, 0, 1)
    assert_in_step(call)

    save_review(assignment, complete_data(call), first.user, submit=True)
    assert dossier_figures(call, dossier) == (1, 0, 1)
    assert figures(call, first) == (1, 0, 1, 0)
    assert_in_step(call)


def test_a_declared_conflict_ends_what_is_owed(scene, staff):
    call, (first, _second), dossier = scene
    assign(first, dossier, staff, notify=False)

    declare_conflict(first, dossier, "member", "", first.user)

    assert figures(call, first) == (1, 0, 0, 0)
    assert_in_step(call)


def test_a_withdrawn_then_a_decided_dossier_is_owed_no_more(scene, staff, superuser):
    call, (first, second), dossier = scene
    assign(first, dossier, staff, notify=False)
    other = dossier_in_review(call, staff)
    assign(first, other, staff, notify=False)
    assign(second, other, staff, notify=False)
    assert figures(call, first) == (2, 0, 0, 2)

    # Under review since its first juror (the fixture's copy is still eligible).
    dossier = Dossier.objects.get(pk=dossier.pk)
    change_state(dossier, "withdraw", superuser, "Nous renonçons.")
    assert figures(call, first) == (2, 0, 0, 1)
    # Still listed: it has a juror.
    assert dossier_figures(call, dossier) == (1, 0, 0)
    assert_in_step(call)

    other = deliberation.shortlist(other, staff)
    assert figures(call, first) == (2, 0, 0, 1)
    deliberation.decide(other, "reject", staff, "Hors du périmètre de l'appel.")
    assert figures(call, first) == (2, 0, 0, 0)
    assert figures(call, second) == (1, 0, 0, 0)
    assert_in_step(call)


def test_a_withdrawn_dossier_without_juror_leaves_the_list(scene, superuser):
    call, _jurors, dossier = scene
    change_state(dossier, "withdraw", superuser, "Nous renonçons.")
    assert not DossierRanking.objects.get(dossier=dossier).listed
    assert_in_step(call)


def test_the_automatic_assignment_moves_every_row_it_writes(scene, staff):
    call, jurors, _dossier = scene
    for _n in range(3):
        dossier_in_review(call, staff, start_review=False)

    auto_assign(call, staff, per_dossier=2)

    assert Assignment.objects.filter(juror__call=call).count() == 8
    assert {figures(call, juror)[0] for juror in jurors} == {4}
    assert_in_step(call)


def test_a_full_refresh_rewrites_rows_written_behind_the_domains_back(scene, staff):
    call, (first, _second), dossier = scene
    Assignment.objects.create(juror=first, dossier=dossier)
    assert stored(call) != computed(call)

    refresh_call_ranking(call)

    assert_in_step(call)
    assert JurorProgress.objects.filter(call=call).count() == 2


def declarations(juror):
    """The juror's stored (declared, conflicts), as the jury page reads them."""
    progress = JurorProgress.objects.filter(juror=juror).first()
    return (progress.declared, progress.conflicts) if progress else (0, 0)


def test_every_declaration_moves_the_jurors_counts_and_the_jury_page_reads_them(
    scene, staff, client
):
    call, (first, second), dossier = scene
    other = dossier_in_review(call, staff, start_review=False)
    assign(first, dossier, staff, notify=False)
    assign(first, other, staff, notify=False)

    declare_conflict(first, dossier, "none", "", first.user)
    assert declarations(first) == (1, 0)
    declare_conflict(first, other, "member", "", first.user)
    assert declarations(first) == (2, 1)
    # Staff record a conflict for a juror who is not assigned the dossier, then correct it.
    record_conflict(second, dossier, "partner", "", staff)
    assert declarations(second) == (1, 1)
    record_conflict(second, dossier, "none", "", staff)
    assert declarations(second) == (1, 0)
    assert declaration_counts(call) == {"total": 3, "conflicts": 1, "none": 2}

    client.force_login(staff)
    page = client.get(reverse("applications:staff_jury", args=[call.pk]))
    rows = {juror.pk: juror for juror in page.context["jurors"]}
    assert (rows[first.pk].assigned_count, rows[first.pk].conflict_count) == (2, 1)
    assert (rows[second.pk].assigned_count, rows[second.pk].conflict_count) == (0, 0)
    assert page.context["counts"] == {"total": 3, "conflicts": 1, "none": 2}


def test_a_full_refresh_counts_declarations_written_behind_the_domains_back(scene, staff):
    call, (first, _second), dossier = scene
    ConflictDeclaration.objects.create(juror=first, dossier=dossier, kind="financial")
    assert declarations(first) == (0, 0)

    refresh_call_ranking(call)

    assert declarations(first) == (1, 1)
    assert declaration_counts(call) == {"total": 1, "conflicts": 1, "none": 0}
