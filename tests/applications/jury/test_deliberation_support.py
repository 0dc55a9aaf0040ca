"""Builders shared by the deliberation tests (no tests here): dossiers under review moved through
the domain, jurors with recognisable names, and submitted reviews with comments and notes."""

from django.utils import timezone

from applications.domain.dossiers import change_state
from applications.models import Assignment, ConflictDeclaration, Review, Score
from tests import factories
from tests.applications.jury.helpers import make_juror
from tests.applications.staff_support import submitted_dossier

# What a juror writes that an applicant must never read unless staff share it.
JUROR_FIRST_NAME = "Hortense"
JUROR_LAST_NAME = "Vasseur-Jury"
PRIVATE_NOTE = "PRIVATE NOTE: the treasurer seemed evasive."
UNSHARED_COMMENT = "UNSHARED: the budget looks inflated."
OVERALL_COMMENT = "OVERALL: a promising team, a fragile model."
SHARED_COMMENT = "The local anchoring is remarkable."


def under_review(call, staff, structure=None):
    """A dossier submitted by its structure, found eligible and put under review by staff."""
    dossier = submitted_dossier(call, structure=structure)
    dossier = change_state(dossier, "mark_eligible", staff)
    return change_state(dossier, "start_review", staff)


def applicant_dossier_under_review(dossier, owner, staff):
    """The conftest's `dossier` (its owner is `owner`) submitted and put under review."""
    dossier = change_state(dossier, "submit", owner)
    dossier = change_state(dossier, "mark_eligible", staff)
    return change_state(dossier, "start_review", staff)


def named_juror(call):
    user = factories.UserFactory(first_name=JUROR_FIRST_NAME, last_name=JUROR_LAST_NAME)
    return make_juror(call, user=user)


def submitted_review(juror, dossier, values, *, recommendation="yes", comments=None, shared=()):
    """`juror`'s submitted review of `dossier`: one value per criterion in grid order, a comment
    per criterion (`comments`, default the UNSHARED one), shared for the criteria indexes in
    `shared`; with an overall comment and a private note."""
    criteria = list(dossier.call.criteria.order_by("sort_order"))
    comments = comments or [UNSHARED_COMMENT] * len(criteria)
    assignment, _ = Assignment.objects.get_or_create(juror=juror, dossier=dossier)
    ConflictDeclaration.objects.get_or_create(juror=juror, dossier=dossier, kind="none")
    review = Review.objects.create(
        assignment=assignment,
        recommendation=recommendation,
        comment=OVERALL_COMMENT,
        private_note=PRIVATE_NOTE,
        submitted_at=timezone.now(),
    )
    Score.objects.bulk_create(
        Score(
            review=review,
            criterion=criterion,
            value=value,
            comment=comment,
            shared_with_applicant=index in shared,
        )
        for index, (criterion, value, comment) in enumerate(
            zip(criteria, values, comments, strict=True)
        )
    )
    return review
