"""The jury as a juror sees it: their seats, and what is left to do on each assigned dossier."""

from django.db.models import Exists, OuterRef, Subquery

from applications.domain.queries import count_of
from applications.models import Assignment, ConflictDeclaration, ConflictKind, Juror, Review


def seats_of(user):
    """The accepted jury seats of `user`, each with its call and counts, in one query:
    assigned, to_declare (assigned, no declaration yet), drafts and submitted reviews."""
    undeclared = Assignment.objects.filter(juror=OuterRef("pk")).exclude(
        Exists(
            ConflictDeclaration.objects.filter(juror=OuterRef("juror"), dossier=OuterRef("dossier"))
        )
    )
    return (
        Juror.objects.filter(user=user, accepted_at__isnull=False)
        .select_related("call")
        .annotate(
            assigned_count=count_of(Assignment.objects.filter(juror=OuterRef("pk"))),
            to_declare_count=count_of(undeclared),
            conflict_count=count_of(
                ConflictDeclaration.objects.filter(juror=OuterRef("pk")).exclude(
                    kind=ConflictKind.NONE
                )
            ),
            draft_count=count_of(
                Review.objects.filter(assignment__juror=OuterRef("pk"), submitted_at__isnull=True)
            ),
            submitted_count=count_of(
                Review.objects.filter(assignment__juror=OuterRef("pk"), submitted_at__isnull=False)
            ),
        )
        .order_by("-call__closes_at", "call__title")
    )


def seat_of(user, call):
    """`user`'s accepted Juror row on `call`, or None."""
    if not user.is_authenticated:
        return None
    return Juror.objects.filter(call=call, user=user, accepted_at__isnull=False).first()


class Step:
    """What is left to do on one assigned dossier, in order."""

    DECLARE = "declare"
    CONFLICT = "conflict"
    REVIEW = "review"
    DRAFT = "draft"
    SUBMITTED = "submitted"

    ALL = (DECLARE, CONFLICT, REVIEW, DRAFT, SUBMITTED)


def assignments_of(juror):
    """The juror's assignments with their dossier, declaration kind and review, in one query;
    each gets `step` (see Step)."""
    declared = ConflictDeclaration.objects.filter(
        juror=OuterRef("juror"), dossier=OuterRef("dossier")
    )
    assignments = list(
        Assignment.objects.filter(juror=juror)
        .select_related("dossier", "dossier__structure", "review")
        .annotate(declared_kind=Subquery(declared.values("kind")[:1]))
        .order_by("dossier__reference")
    )
    for assignment in assignments:
        assignment.step = _step(assignment)
    return assignments


def _step(assignment):
    if assignment.declared_kind is None:
        return Step.DECLARE
    if assignment.declared_kind != ConflictKind.NONE:
        return Step.CONFLICT
    review = getattr(assignment, "review", None)
    if review is None:
        return Step.REVIEW
    return Step.SUBMITTED if review.is_submitted else Step.DRAFT
