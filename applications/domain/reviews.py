"""Review phases and jurors' reviews: when reviewing is open, saving a review, what peers see,
and the staff's view of progress.

A juror reviews a dossier only when assigned to it and after declaring no conflict on it; they
write only while a review phase is open for them, and may revise a submitted review until it
closes. Every caller (views, admin, commands) goes through the functions below.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from applications.models import (
    Assignment,
    Call,
    ConflictDeclaration,
    ConflictKind,
    Dossier,
    DossierState,
    EvaluationCriterion,
    Juror,
    JurorRole,
    PeerScores,
    Recommendation,
    Review,
    ReviewPhase,
    Score,
)

PARIS = ZoneInfo("Europe/Paris")

# The value a form posts for "not applicable" in a criterion's choice of scores.
NOT_APPLICABLE = "na"

COMMENT_MAX_LENGTH = 10_000


# --- review phases -------------------------------------------------------------------------


def active_phase(call, now=None):
    """The call's review phase whose window holds `now` (start included, end excluded), or None.

    Phases of a call never overlap (see `save_phase`), so there is at most one.
    """
    now = now or timezone.now()
    return (
        ReviewPhase.objects.filter(call=call, starts_at__lte=now, ends_at__gt=now)
        .order_by("starts_at")
        .first()
    )


def review_is_open(juror, now=None):
    """Whether `juror` may write reviews now: a phase is active and, if it is for presidents
    only, the juror is a president."""
    phase = active_phase(juror.call_id, now)
    return _phase_open_to(phase, juror)


def _phase_open_to(phase, juror):
    if phase is None:
        return False
    return not phase.presidents_only or juror.role == JurorRole.PRESIDENT


def _paris(moment):
    local = timezone.localtime(moment, PARIS)
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": formats.date_format(local.date(), "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def overlapping_phase(call, starts_at, ends_at, exclude=None):
    """The first phase of `call` whose window meets [starts_at, ends_at), or None. Phases that
    only touch (one ends when the next starts) do not overlap."""
    phases = ReviewPhase.objects.filter(call=call, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude is not None and exclude.pk:
        phases = phases.exclude(pk=exclude.pk)
    return phases.order_by("starts_at").first()


PHASE_FIELDS = ("name", "starts_at", "ends_at", "presidents_only", "peer_scores", "blind")


def _check_phase(call, values, phase):
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    errors = {}
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise ValidationError(_("A phase needs a start and an end."))
    if ends_at <= starts_at:
        errors["ends_at"] = [_("A phase must end after it starts.")]
    else:
        other = overlapping_phase(call, starts_at, ends_at, exclude=phase)
        if other is not None:
            errors[NON_FIELD_ERRORS] = [
                _(
                    "These dates overlap the phase “%(name)s”, which runs from %(start)s to "
                    "%(end)s. The phases of a call follow one another: change the dates so they "
                    "do not overlap."
                )
                % {
                    "name": other.name,
                    "start": _paris(other.starts_at),
                    "end": _paris(other.ends_at),
                }
            ]
    if values.get("peer_scores") not in PeerScores.values:
        errors["peer_scores"] = [_("Choose when jurors see other jurors' scores.")]
    if errors:
        raise ValidationError(errors)


def save_phase(call, values, actor, phase=None):
    """Create (or, given `phase`, change) a review phase of `call` from `values` (the keys of
    PHASE_FIELDS). Raises PermissionDenied, or ValidationError keyed by field (overlap, order)."""
    if not actor.has_perm("applications.manage_review_phases", call):
        raise PermissionDenied
    with transaction.atomic():
        # Locking the call makes two staff saving phases at once check overlaps one after the
        # other, so both cannot slip in.
        Call.objects.select_for_update().filter(pk=call.pk).values_list("pk").first()
        _check_phase(call, values, phase)
        phase = phase or ReviewPhase(call=call)
        for name in PHASE_FIELDS:
            setattr(phase, name, values[name])
        phase.save()
    return phase


def delete_phase(phase, actor):
    if not actor.has_perm("applications.manage_review_phases", phase.call):
        raise PermissionDenied
    phase.delete()


def phase_status(phase, now=None):
    """ "upcoming", "active" or "past"."""
    now = now or timezone.now()
    if now < phase.starts_at:
        return "upcoming"
    if now < phase.ends_at:
        return "active"
    return "past"


# --- who reviews what ----------------------------------------------------------------------


def no_conflict_declared():
    """An Exists() for querysets of assignments: their juror declared no conflict on the dossier."""
    return Exists(
        ConflictDeclaration.objects.filter(
            juror=OuterRef("juror"), dossier=OuterRef("dossier"), kind=ConflictKind.NONE
        )
    )


# A juror never reads (so never reviews) a dossier still in draft or withdrawn: the jury part's
# rule (applications.domain.jury.UNREADABLE_STATES), repeated here to keep one query.
UNREVIEWABLE_STATES = (DossierState.DRAFT, DossierState.WITHDRAWN)
# Scores can change only while the jury's opinion can still matter: not once staff decided.
WRITABLE_STATES = (DossierState.ELIGIBLE, DossierState.UNDER_REVIEW, DossierState.SHORTLISTED)


def review_assignment(user, dossier_id):
    """The user's assignment to review the dossier, if they are an accepted juror assigned to it
    who declared no conflict on it (the jury part's `can_read_dossier`); else None. One query,
    with the juror, the dossier and its call."""
    if not user.is_authenticated:
        return None
    return (
        Assignment.objects.filter(
            juror__user=user, juror__accepted_at__isnull=False, dossier_id=dossier_id
        )
        .exclude(dossier__state__in=UNREVIEWABLE_STATES)
        .filter(no_conflict_declared())
        .select_related("juror", "dossier", "dossier__call", "dossier__structure")
        .first()
    )


# --- saving a review -----------------------------------------------------------------------


class ReviewRefused(Exception):
    """A review that cannot be saved as given. `errors` maps a criterion's pk, "recommendation",
    "comment", "private_note" or None (the whole review) to messages in the user's language."""

    def __init__(self, errors):
        if isinstance(errors, str):
            errors = {None: [errors]}
        self.errors = errors
        super().__init__("; ".join(str(m) for ms in errors.values() for m in ms))


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
    {criterion pk: (value, not_applicable, comment)}, or raises ReviewRefused with every problem.
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
        errors[None] = [_("The evaluation grid changed: reload the page and check your scores.")]
    recommendation = data.recommendation.strip()
    if recommendation and recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Choose yes, maybe or no.")]
    elif complete and not recommendation:
        errors["recommendation"] = [_("Give your overall recommendation.")]
    for name in ("comment", "private_note"):
        if len(getattr(data, name)) > COMMENT_MAX_LENGTH:
            errors[name] = [_("This text is too long.")]
    if errors:
        raise ReviewRefused(errors)
    return cleaned, recommendation, data


def check_can_write(assignment, actor, now=None):
    """Raise PermissionDenied when `actor` is not this assignment's juror with no conflict, and
    ReviewRefused when reviewing is closed for them. Returns the active phase."""
    juror = assignment.juror
    if actor.pk is None or juror.user_id != actor.pk or juror.accepted_at is None:
        raise PermissionDenied
    declared = ConflictDeclaration.objects.filter(
        juror=juror, dossier_id=assignment.dossier_id, kind=ConflictKind.NONE
    ).exists()
    if not declared:
        raise PermissionDenied
    if assignment.dossier.state not in WRITABLE_STATES:
        raise ReviewRefused(_("This dossier is not in review: it can no longer be reviewed."))
    phase = active_phase(juror.call_id, now)
    if not _phase_open_to(phase, juror):
        raise ReviewRefused(closed_message(phase))
    return phase


def closed_message(phase):
    if phase is not None and phase.presidents_only:
        return _("During the phase “%(name)s”, only the jury's presidents review.") % {
            "name": phase.name
        }
    return _("Reviewing is closed for this call: your review can no longer be changed.")


def save_review(assignment, data, actor, submit=False, now=None):
    """Save the actor's review of their assigned dossier, in one transaction.

    `data` is a ReviewInput or a dict {"scores": {criterion pk: {"value", "not_applicable",
    "comment"}}, "recommendation", "comment", "private_note"}. A draft keeps whatever is given
    (scores must still be on their scale); `submit` requires a complete review. A review once
    submitted stays submitted: a later save must keep it complete.

    Returns the Review. Raises PermissionDenied or ReviewRefused (with errors per field).
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
    return review


def grid_of(call_id):
    """The criteria of a call's evaluation grid, in their order."""
    return list(EvaluationCriterion.objects.filter(call_id=call_id).order_by("sort_order", "pk"))


# --- what a juror sees of the others' reviews ----------------------------------------------


@dataclass
class PeerScore:
    criterion: object
    value: int | None
    not_applicable: bool
    comment: str


@dataclass
class PeerReview:
    """Another juror's submitted review, as a juror may see it: no private note, no name."""

    label: str
    recommendation: str
    recommendation_label: str
    comment: str
    submitted_at: datetime
    scores: list


def peers_visible(phase, own_review_submitted):
    """Whether the phase's rule lets a juror see the others' scores now."""
    if phase is None or phase.peer_scores == PeerScores.NEVER:
        return False
    if phase.peer_scores == PeerScores.AFTER_OWN:
        return own_review_submitted
    return phase.peer_scores == PeerScores.ALWAYS


def peer_reviews_visible_to(juror, dossier, now=None):
    """The other jurors' submitted reviews of `dossier` that `juror` may see now, by the active
    phase's rule (never; after submitting their own; always). Never a private note, never the
    review of a juror with a conflict on the dossier, nothing if `juror` may not read it.

    Returns a list of PeerReview, labelled “Juror A”, “Juror B”… in a stable order.
    """
    own = (
        Assignment.objects.filter(juror=juror, dossier=dossier)
        .filter(no_conflict_declared())
        .select_related("review")
        .first()
    )
    if own is None:
        return []
    own_review = getattr(own, "review", None)
    phase = active_phase(juror.call_id, now)
    if not peers_visible(phase, own_review is not None and own_review.is_submitted):
        return []
    reviews = (
        Review.objects.filter(assignment__dossier=dossier, submitted_at__isnull=False)
        .exclude(assignment__juror=juror)
        .filter(
            Exists(
                ConflictDeclaration.objects.filter(
                    juror=OuterRef("assignment__juror"),
                    dossier=OuterRef("assignment__dossier"),
                    kind=ConflictKind.NONE,
                )
            )
        )
        .defer("private_note")
        .prefetch_related("scores__criterion")
        .order_by("assignment_id")
    )
    labels = dict(Recommendation.choices)
    peers = []
    for index, review in enumerate(reviews):
        scores = sorted(
            review.scores.all(), key=lambda s: (s.criterion.sort_order or 0, s.criterion.pk)
        )
        peers.append(
            PeerReview(
                label=_("Juror %(letter)s") % {"letter": _letter(index)},
                recommendation=review.recommendation,
                recommendation_label=labels.get(review.recommendation, ""),
                comment=review.comment,
                submitted_at=review.submitted_at,
                scores=[
                    PeerScore(s.criterion, s.value, s.not_applicable, s.comment) for s in scores
                ],
            )
        )
    return peers


def _letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- progress for the staff ----------------------------------------------------------------


def jurors_progress(call):
    """The call's jurors, each annotated with `assigned`, `started` (a draft exists, not yet
    submitted) and `submitted` counts: one query."""
    return (
        Juror.objects.filter(call=call)
        .select_related("user")
        .annotate(
            assigned=Count("assignments"),
            started=Count(
                "assignments__review",
                filter=Q(assignments__review__submitted_at__isnull=True),
            ),
            submitted=Count(
                "assignments__review",
                filter=Q(assignments__review__submitted_at__isnull=False),
            ),
        )
        .order_by("user__last_name", "email")
    )


IN_REVIEW_STATES = [
    DossierState.ELIGIBLE,
    DossierState.UNDER_REVIEW,
    DossierState.SHORTLISTED,
    DossierState.WAITLISTED,
    DossierState.SELECTED,
    DossierState.REJECTED,
]


def dossiers_progress(call):
    """The call's dossiers in (or past) review, and any other with an assignment, each annotated
    with `assigned`, `drafts` and `reviews_in` (submitted reviews); the ones with the fewest
    reviews first. One query per page."""
    return (
        Dossier.objects.filter(call=call)
        .filter(
            Q(state__in=IN_REVIEW_STATES)
            | Exists(Assignment.objects.filter(dossier=OuterRef("pk")))
        )
        .select_related("structure")
        .annotate(
            assigned=Count("assignments"),
            drafts=Count(
                "assignments__review",
                filter=Q(assignments__review__submitted_at__isnull=True),
            ),
            reviews_in=Count(
                "assignments__review",
                filter=Q(assignments__review__submitted_at__isnull=False),
            ),
        )
        .order_by("reviews_in", "reference")
    )
