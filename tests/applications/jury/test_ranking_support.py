"""Builders shared by the ranking tests (no tests here): a call with its grid, dossiers under
review moved through the domain, and reviews written as rows. Jurors and conflict declarations
come from the jury's shared helpers."""

from decimal import Decimal

from django.utils import timezone

from applications.domain.dossiers import change_state
from applications.domain.ranking_rows import refresh_dossier_ranking
from applications.models import Assignment, ConflictDeclaration, EvaluationCriterion, Review, Score
from tests import factories
from tests.applications.jury import helpers
from tests.applications.jury.helpers import jury_dossier, make_juror

__all__ = ["NA", "declare", "dossier_under_review", "juror", "ranking_call", "review"]

NA = "N/A"


def ranking_call(grid=((1, 0, 5),), threshold="1.00", **fields):
    """A call whose grid is `grid`: (weight, scale_min, scale_max) per criterion, in order.
    Returns (call, [criteria])."""
    call = factories.make_call(criteria=0, disagreement_threshold=Decimal(threshold), **fields)
    criteria = [
        EvaluationCriterion.objects.create(
            call=call,
            title=f"Criterion {i + 1}",
            weight=Decimal(str(weight)),
            scale_min=low,
            scale_max=high,
            allow_not_applicable=True,
            sort_order=i,
        )
        for i, (weight, low, high) in enumerate(grid)
    ]
    return call, criteria


def dossier_under_review(call, staff, **fields):
    """A dossier submitted by its structure, found eligible and put under review by staff."""
    return change_state(jury_dossier(call, staff, **fields), "start_review", staff)


def declare(juror, dossier, kind="none", details=""):
    """The juror's declaration, written as a row: the ranking's stored figures follow, as the
    domain's `declare_conflict` keeps them."""
    declaration = helpers.declare(juror, dossier, kind, details)
    refresh_dossier_ranking(dossier.pk)
    return declaration


def juror(call, user=None, **fields):
    """An accepted juror of `call` (a new user unless one is given)."""
    return make_juror(call, user=user, **fields)


def review(juror, dossier, values, recommendation="yes", submitted=True, criteria=None):
    """`juror`'s review of `dossier`: `values` gives each criterion's value in grid order (NA for
    "not applicable", None for no value yet). Assigns the dossier and declares "no conflict"
    first unless a declaration exists."""
    criteria = criteria or list(juror.call.criteria.order_by("sort_order"))
    assignment, _ = Assignment.objects.get_or_create(juror=juror, dossier=dossier)
    if not ConflictDeclaration.objects.filter(juror=juror, dossier=dossier).exists():
        declare(juror, dossier)
    written = Review.objects.create(
        assignment=assignment,
        recommendation=recommendation,
        comment="Overall comment.",
        submitted_at=timezone.now() if submitted else None,
    )
    Score.objects.bulk_create(
        Score(
            review=written,
            criterion=criterion,
            value=None if value in (NA, None) else value,
            not_applicable=value == NA,
        )
        for criterion, value in zip(criteria, values, strict=True)
    )
    # Written as rows, behind the domain's back: store the ranking's figures as it would.
    refresh_dossier_ranking(dossier.pk)
    return written
