"""The staff's view of a call's review progress: per juror and per dossier, read from the figures
stored at each change (`ranking_rows`), so a page costs the same on any call; the same figures
computed from scratch; and what a juror still owes (the reviews, the conflict declarations),
shared with the reminders."""

from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from applications.domain.ranking_rows import JUROR_PROGRESS, LISTED_STATES
from applications.domain.reviews import WRITABLE_STATES
from applications.models import (
    Assignment,
    ConflictDeclaration,
    ConflictKind,
    Dossier,
    DossierRanking,
    Juror,
    JurorRole,
    Review,
    ReviewPhase,
)


def seated_jurors():
    """Jurors who accepted their seat and are linked to a person: the only ones reminded."""
    return Juror.objects.filter(user__isnull=False, accepted_at__isnull=False)


def owed_reviews():
    """Assignments whose review is still owed: the dossier can still be reviewed, the juror
    declared no conflict on it (or has not declared yet) and has not submitted a review."""
    conflicted = ConflictDeclaration.objects.filter(
        juror=OuterRef("juror"), dossier=OuterRef("dossier")
    ).exclude(kind=ConflictKind.NONE)
    submitted = Review.objects.filter(assignment=OuterRef("pk"), submitted_at__isnull=False)
    # Two NOT EXISTS rather than NOT (EXISTS OR EXISTS): PostgreSQL makes each an anti-join
    # over the call at once, where the OR ran two subqueries for every assignment.
    return (
        Assignment.objects.filter(dossier__state__in=WRITABLE_STATES)
        .exclude(Exists(conflicted))
        .exclude(Exists(submitted))
    )


def owing_jurors():
    """Seated jurors who owe at least one review, by their stored count (`JurorProgress.owed`,
    kept as `owed_reviews` counts): the lists of reviews owed across every call look at these
    jurors' assignments only, never at every call's assignments."""
    return seated_jurors().filter(progress__owed__gt=0)


def owed_by(jurors):
    """{juror id: the number of reviews they owe} for `jurors` (e.g. `owing_jurors()`), from their
    stored counts: one query over as many rows as jurors. Its keys, given to the next query as
    plain ids, let PostgreSQL read those jurors' assignments by their index."""
    return dict(jurors.values_list("pk", "progress__owed"))


def undeclared():
    """Assignments on which the juror has not answered the conflict question yet."""
    declared = ConflictDeclaration.objects.filter(
        juror=OuterRef("juror"), dossier=OuterRef("dossier")
    )
    return Assignment.objects.filter(dossier__state__in=WRITABLE_STATES).exclude(Exists(declared))


def jurors_progress(call, *, owed=True):
    """Computed from scratch (the stored figures' reference: the page reads `stored_jurors`):
    the call's jurors (a list), each with `assigned`, `started` (a draft exists, not yet
    submitted), `submitted` and `owed` (reviews still owed, see `owed_reviews`). Three queries:
    the jurors, then two grouped counts (a correlated count per juror ran the owed reviews'
    subqueries once per juror and assignment: seconds on a national call). Without `owed` (no
    phase to be late in), the second count is spared and `owed` is None."""
    jurors = list(
        Juror.objects.filter(call=call).select_related("user").order_by("user__last_name", "email")
    )
    ids = [juror.pk for juror in jurors]
    counts = {
        row["juror"]: row
        for row in Assignment.objects.filter(juror__in=ids)
        .order_by()
        .values("juror")
        .annotate(
            assigned=Count("pk"),
            started=Count("review", filter=Q(review__submitted_at__isnull=True)),
            submitted=Count("review", filter=Q(review__submitted_at__isnull=False)),
        )
    }
    owed_by_juror = dict(
        owed_reviews()
        .filter(juror__in=ids)
        .order_by()
        .values_list("juror")
        .annotate(n=Count("pk"))
        .values_list("juror", "n")
        if owed
        else ()
    )
    for juror in jurors:
        row = counts.get(juror.pk, {})
        juror.assigned = row.get("assigned", 0)
        juror.started = row.get("started", 0)
        juror.submitted = row.get("submitted", 0)
        juror.owed = owed_by_juror.get(juror.pk, 0) if owed else None
    return jurors


def reminding_phase(call, now):
    """The phase whose reviews a late juror owes: the call's last started phase (open or
    closed), or None before any phase started, when nobody is late yet."""
    return ReviewPhase.objects.filter(call=call, starts_at__lte=now).order_by("-starts_at").first()


def reviews_in_phase(phase, juror):
    """Whether `juror` reviews in `phase`: a phase for presidents only leaves the others out."""
    return not phase.presidents_only or juror.role == JurorRole.PRESIDENT


def is_late(juror, phase):
    """Whether staff may remind `juror` (of `jurors_progress`) of the reviews of `phase`: they
    sit on the jury, review in the phase and still owe reviews."""
    return bool(
        phase
        and juror.user_id
        and juror.accepted_at
        and juror.owed
        and reviews_in_phase(phase, juror)
    )


IN_REVIEW_STATES = list(LISTED_STATES)


def _in_progress(call):
    return Dossier.objects.filter(call=call).filter(
        Q(state__in=IN_REVIEW_STATES) | Exists(Assignment.objects.filter(dossier=OuterRef("pk")))
    )


def dossiers_progress(call):
    """Computed from scratch (the stored figures' reference: the page reads `stored_dossiers`):
    the call's dossiers in (or past) review, and any other with an assignment, each annotated
    with `assigned`, `drafts` and `reviews_in` (submitted reviews); the ones with the fewest
    reviews first. One query per page; only what the list shows is read (the answers would be
    sorted with the counts)."""
    return (
        _in_progress(call)
        .select_related("structure")
        .only("reference", "state", "structure__name")
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


def dossiers_in_progress_count(call):
    """How many dossiers `dossiers_progress` lists, counted without its grouped counts."""
    return _in_progress(call).count()


def stored_jurors(call, *, owed=True):
    """As `jurors_progress`, from the stored figures: one query, whatever the call's size."""
    figures = {name: Coalesce(F(f"progress__{name}"), Value(0)) for name in JUROR_PROGRESS}
    jurors = list(
        Juror.objects.filter(call=call)
        .select_related("user")
        .annotate(**figures)
        .order_by("user__last_name", "email")
    )
    if not owed:
        for juror in jurors:
            juror.owed = None
    return jurors


def stored_dossiers(call, *, below=None):
    """As `dossiers_progress` (those with fewer than `below` reviews in, when given), from the
    stored figures: a page of it reads its own rows down their index (call, reviews in,
    reference), whatever the call's size."""
    rows = Dossier.objects.filter(ranking__call_id=call.pk, ranking__listed=True)
    if below is not None:
        rows = rows.filter(ranking__submitted__lt=below)
    return (
        rows.select_related("structure")
        .only("reference", "state", "structure__name")
        .annotate(
            assigned=F("ranking__assigned"),
            drafts=F("ranking__drafts"),
            reviews_in=F("ranking__submitted"),
        )
        .order_by("ranking__submitted", "ranking__reference")
    )


def stored_dossiers_count(call, *, below=None):
    """How many dossiers `stored_dossiers` lists, counted on the stored rows' index alone."""
    rows = DossierRanking.objects.filter(call_id=call.pk, listed=True)
    if below is not None:
        rows = rows.filter(submitted__lt=below)
    return rows.count()
