"""A juror's review of an assigned dossier: who writes it, checking what they typed, saving it.

A juror reviews a dossier only when assigned to it and after declaring no conflict on it; they
write only while a review phase is open for them, and may revise a submitted review until it
closes. Every caller (views, admin, commands) goes through the functions below.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from applications.domain.juror_access import UNREADABLE_STATES
from applications.domain.ranking_rows import refresh_dossier_ranking
from applications.domain.review_phases import active_phase, closed_message, phase_open_to
from applications.models import (
    Assignment,
    ConflictDeclaration,
    ConflictKind,
    DossierState,
    EvaluationCriterion,
    Recommendation,
    Review,
    Score,
)

# The value a form posts for "not applicable" in a criterion's choice of scores.
NOT_APPLICABLE = "na"

COMMENT_MAX_LENGTH = 10_000


# --- who reviews what ----------------------------------------------------------------------


def no_conflict_declared():
    """An Exists() for querysets of assignments: their juror declared no conflict on the dossier."""
    return Exists(
        ConflictDeclaration.objects.filter(
            juror=OuterRef("juror"), dossier=OuterRef("dossier"), kind=ConflictKind.NONE
        )
    )


# Scores can change only while the jury's opinion can still matter: not once staff decided.
WRITABLE_STATES = (DossierState.ELIGIBLE, DossierState.UNDER_REVIEW, DossierState.SHORTLISTED)


def review_assignment(user, dossier_id):
    """The user's assignment to review the dossier, if they are an accepted juror assigned to it
    who declared no conflict on it (`juror_access.can_read_dossier`); else None. One query,
    with the juror, the dossier and its call."""
    if not user.is_authenticated:
        return None
    return (
        Assignment.objects.filter(
            juror__user=user, juror__accepted_at__isnull=False, dossier_id=dossier_id
        )
        .exclude(dossier__state__in=UNREADABLE_STATES)
        .filter(no_conflict_declared())
        .select_related("juror", "dossier", "dossier__call", "dossier__structure")
        .first()
    )


# --- saving a review -----------------------------------------------------------------------


@dataclass
class ScoreInput:
    """What a juror gave for one criterion. `value` is whatever they typed (validated here)."""

    value: object = None
    not_applicable: bool = False
    comment: str = ""


@dataclass
class ReviewInput:
    scores: dict = field(default_factory=dict)  # criterion pk -> ScoreInput
    recommendation: str = ""
    comment: str = ""
    private_note: str = ""


def _as_input(data):
    if isinstance(data, ReviewInput):
        return data
    scores = {}
    for key, value in (data.get("scores") or {}).items():
        scores[int(key)] = value if isinstance(value, ScoreInput) else ScoreInput(**value)
    return ReviewInput(
        scores=scores,
        recommendation=data.get("recommendation") or "",
        comment=data.get("comment") or "",
        private_note=data.get("private_note") or "",
    )


def _clean_value(criterion, given):
    """(value, error) for what was given on one criterion: an int on its scale, or None."""
    if given is None or given == "":
        return None, None
    try:
        value = int(str(given).strip())
    except (TypeError, ValueError):
        value = None
    if value is None or not criterion.scale_min <= value <= criterion.scale_max:
        return None, _("Choose a score from %(low)s to %(high)s.") % {
            "low": criterion.scale_min,
            "high": criterion.scale_max,
        }
    return value, None


def validate_review(criteria, data, *, complete):
    """Judge `data` against the grid: returns (scores, recommendation, data) where scores is
    {criterion pk: (value, not_applicable, comment)}, or raises Refused with every problem, keyed
    by a criterion's pk, "recommendation", "comment", "private_note" or NON_FIELD_ERRORS (the
    whole review).
    With `complete`, every criterion must be scored (or marked not applicable where the grid
    allows it) and a recommendation given."""
    data = _as_input(data)
    errors, cleaned = {}, {}
    for criterion in criteria:
        given = data.scores.get(criterion.pk, ScoreInput())
        comment = (given.comment or "").strip()
        value, error = _clean_value(criterion, given.value)
        not_applicable = bool(given.not_applicable)
        if error:
            errors[criterion.pk] = [error]
        elif not_applicable and not criterion.allow_not_applicable:
            errors[criterion.pk] = [
                _("This criterion must be scored: it cannot be “not applicable”.")
            ]
        elif not_applicable and value is not None:
            errors[criterion.pk] = [_("Give a score or mark it not applicable, not both.")]
        elif complete and value is None and not not_applicable:
            errors[criterion.pk] = [
                _("Score this criterion or mark it not applicable.")
                if criterion.allow_not_applicable
                else _("Score this criterion.")
            ]
        if len(comment) > COMMENT_MAX_LENGTH:
            errors.setdefault(criterion.pk, []).append(_("This comment is too long."))
        cleaned[criterion.pk] = (value, not_applicable, comment)
    unknown = set(data.scores) - {criterion.pk for criterion in criteria}
    if unknown:
        errors[NON_FIELD_ERRORS] = [
            _("The evaluation grid changed: reload the page and check your scores.")
        ]
    recommendation = data.recommendation.strip()
    if recommendation and recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Choose yes, maybe or no.")]
    elif complete and not recommendation:
        errors["recommendation"] = [_("Give your overall recommendation.")]
    for name in ("comment", "private_note"):
        if len(getattr(data, name)) > COMMENT_MAX_LENGTH:
            errors[name] = [_("This text is too long.")]
    if errors:
        raise Refused(errors)
    return cleaned, recommendation, data


def check_can_write(assignment, actor, now=None):
    """Raise PermissionDenied when `actor` is not this assignment's juror with no conflict, and
    Refused when reviewing is closed for them. Returns the active phase."""
    juror = assignment.juror
    if actor.pk is None or juror.user_id != actor.pk or juror.accepted_at is None:
        raise PermissionDenied
    declared = ConflictDeclaration.objects.filter(
        juror=juror, dossier_id=assignment.dossier_id, kind=ConflictKind.NONE
    ).exists()
    if not declared:
        raise PermissionDenied
    if assignment.dossier.state not in WRITABLE_STATES:
        raise Refused(_("This dossier is not in review: it can no longer be reviewed."))
    phase = active_phase(juror.call_id, now)
    if not phase_open_to(phase, juror):
        raise Refused(closed_message(phase))
    return phase


def save_review(assignment, data, actor, submit=False, now=None):
    """Save the actor's review of their assigned dossier, in one transaction.

    `data` is a ReviewInput or a dict {"scores": {criterion pk: {"value", "not_applicable",
    "comment"}}, "recommendation", "comment", "private_note"}. A draft keeps whatever is given
    (scores must still be on their scale); `submit` requires a complete review. A review once
    submitted stays submitted: a later save must keep it complete.

    Returns the Review. Raises PermissionDenied or Refused (with messages per field).
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The lock on the assignment serialises two saves of the same review (two tabs).
        assignment = (
            Assignment.objects.select_for_update()
            .select_related("juror", "dossier")
            .get(pk=assignment.pk)
        )
        check_can_write(assignment, actor, now)
        review = Review.objects.filter(assignment=assignment).first()
        complete = submit or (review is not None and review.is_submitted)
        criteria = grid_of(assignment.dossier.call_id)
        cleaned, recommendation, data = validate_review(criteria, data, complete=complete)
        submitted_at = now if submit else (review.submitted_at if review else None)
        review, _created = Review.objects.update_or_create(
            assignment=assignment,
            defaults={
                "recommendation": recommendation,
                "comment": data.comment.strip(),
                "private_note": data.private_note.strip(),
                "submitted_at": submitted_at,
            },
        )
        empty = []
        for criterion in criteria:
            value, not_applicable, comment = cleaned[criterion.pk]
            if value is None and not not_applicable and not comment:
                empty.append(criterion.pk)
                continue
            Score.objects.update_or_create(
                review=review,
                criterion=criterion,
                defaults={"value": value, "not_applicable": not_applicable, "comment": comment},
            )
        if empty:
            review.scores.filter(criterion_id__in=empty).delete()
        # The ranking's stored figures move with the review, in the same transaction.
        refresh_dossier_ranking(assignment.dossier_id)
    return review


def grid_of(call_id):
    """The criteria of a call's evaluation grid, in their order."""
    return list(EvaluationCriterion.objects.filter(call_id=call_id).order_by("sort_order", "pk"))
