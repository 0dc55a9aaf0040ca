"""What a juror sees of the other jurors' reviews of a dossier, by the active phase's rule."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from applications.domain.review_phases import active_phase
from applications.domain.reviews import no_conflict_declared
from applications.models import (
    Assignment,
    ConflictDeclaration,
    ConflictKind,
    PeerScores,
    Recommendation,
    Review,
)


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
