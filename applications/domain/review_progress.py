"""The staff's view of a call's review progress: per juror and per dossier, counted in one query."""

from django.db.models import Count, Exists, OuterRef, Q

from applications.models import Assignment, Dossier, DossierState, Juror


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
