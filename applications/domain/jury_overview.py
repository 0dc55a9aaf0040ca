"""What the staff's jury page shows of a call, in a constant number of queries whatever its size:
the jurors a page at a time with their counts, the declared conflicts a page at a time, and the
count of the rest ("no conflict" answers are only counted: thousands of them say nothing)."""

from django.core.paginator import Paginator
from django.db.models import Count, Q

from applications.domain.conflicts import declarations_of
from applications.models import Assignment, ConflictDeclaration, ConflictKind, Juror, Review

JURORS_PER_PAGE = 50
CONFLICTS_PER_PAGE = 25


def _counts(queryset, juror_field):
    """{juror id: count} by one grouped query."""
    return dict(
        queryset.order_by()
        .values_list(juror_field)
        .annotate(n=Count("pk"))
        .values_list(juror_field, "n")
    )


def juror_page(call, number):
    """A page of the call's jurors (user and département read with them), each with
    `assigned_count`, `conflict_count` and `submitted_count` (a juror with a submitted review is
    not removable). Four queries: the count, the page, and one grouped count per figure over the
    page's jurors only."""
    jurors = (
        Juror.objects.filter(call=call)
        .select_related("user", "department")
        .order_by("role", "email")
    )
    page = Paginator(jurors, JURORS_PER_PAGE).get_page(number)
    rows = list(page.object_list)
    ids = [juror.pk for juror in rows]
    if ids:
        assigned = _counts(Assignment.objects.filter(juror__in=ids), "juror")
        conflicts = _counts(
            ConflictDeclaration.objects.filter(juror__in=ids).exclude(kind=ConflictKind.NONE),
            "juror",
        )
        submitted = _counts(
            Review.objects.filter(assignment__juror__in=ids, submitted_at__isnull=False),
            "assignment__juror",
        )
        for juror in rows:
            juror.assigned_count = assigned.get(juror.pk, 0)
            juror.conflict_count = conflicts.get(juror.pk, 0)
            juror.submitted_count = submitted.get(juror.pk, 0)
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
