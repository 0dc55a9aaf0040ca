"""What the staff's jury page shows of a call, in a constant number of queries whatever its size:
the jurors a page at a time with their counts, the suggested conflicts and the declared ones a
page at a time, and the count of the rest ("no conflict" answers are only counted: thousands of
them say nothing)."""

from django.core.paginator import Paginator
from django.db.models import Count, Q

from applications.domain.conflicts import KIND_FOR_REASON, declarations_of, suggested_conflicts
from applications.models import Assignment, ConflictDeclaration, ConflictKind, Juror

JURORS_PER_PAGE = 50
CONFLICTS_PER_PAGE = 25
SUGGESTIONS_PER_PAGE = 25


def juror_page(call, number):
    """A page of the call's jurors (user and département read with them), each with
    `assigned_count`, `conflict_count` and `submitted_count` (a juror with a submitted review is
    not removable). Four queries: the count, the page, and two grouped counts over the page's
    jurors only (their assignments, with their submitted reviews, in one pass)."""
    jurors = (
        Juror.objects.filter(call=call)
        .select_related("user", "department")
        .order_by("role", "email")
    )
    page = Paginator(jurors, JURORS_PER_PAGE).get_page(number)
    rows = list(page.object_list)
    ids = [juror.pk for juror in rows]
    if ids:
        work = {
            juror_id: (assigned, submitted)
            for juror_id, assigned, submitted in Assignment.objects.filter(juror__in=ids)
            .order_by()
            .values("juror")
            .annotate(
                assigned=Count("pk"),
                submitted=Count("pk", filter=Q(review__submitted_at__isnull=False)),
            )
            .values_list("juror", "assigned", "submitted")
        }
        conflicts = dict(
            ConflictDeclaration.objects.filter(juror__in=ids)
            .exclude(kind=ConflictKind.NONE)
            .order_by()
            .values("juror")
            .annotate(n=Count("pk"))
            .values_list("juror", "n")
        )
        for juror in rows:
            juror.assigned_count, juror.submitted_count = work.get(juror.pk, (0, 0))
            juror.conflict_count = conflicts.get(juror.pk, 0)
    page.object_list = rows
    return page


def declaration_counts(call):
    """{"total": every declaration, "conflicts": those other than "no conflict", "none": the
    rest}, in one query."""
    counts = ConflictDeclaration.objects.filter(juror__call=call).aggregate(
        total=Count("pk"), conflicts=Count("pk", filter=~Q(kind=ConflictKind.NONE))
    )
    counts["none"] = counts["total"] - counts["conflicts"]
    return counts


def conflict_page(call, number, total):
    """A page of the call's declared conflicts (every kind but "no conflict"), with juror,
    dossier and author. `total` (from `declaration_counts`) spares the paginator its count."""
    conflicts = declarations_of(call).exclude(kind=ConflictKind.NONE)
    paginator = Paginator(conflicts, CONFLICTS_PER_PAGE)
    # The count is already known: reading it again would scan the call's declarations twice.
    paginator.count = total
    return paginator.get_page(number)


def suggestion_page(call, number):
    """A page of the suggestions, grouped per (juror, dossier), each with its reasons and the kind
    of conflict to record when staff accept it. `suggested_conflicts` reads only the dossiers
    where one is possible, so the work follows the suggestions, not the call's size."""
    grouped = {}
    for juror, dossier, reason in suggested_conflicts(call):
        entry = grouped.setdefault(
            (juror.pk, dossier.pk),
            {"juror": juror, "dossier": dossier, "reasons": [], "kind": KIND_FOR_REASON[reason]},
        )
        entry["reasons"].append(reason.label)
    return Paginator(list(grouped.values()), SUGGESTIONS_PER_PAGE).get_page(number)
