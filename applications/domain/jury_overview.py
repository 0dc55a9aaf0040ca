"""What the staff's jury page shows of a call, in a constant number of queries whatever its size:
the jurors a page at a time with their stored counts, the suggested conflicts and the declared
ones a page at a time, and the count of the rest ("no conflict" answers are only counted:
thousands of them say nothing)."""

from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce

from applications.domain.conflicts import KIND_FOR_REASON, declarations_of, suggested_conflicts
from applications.models import ConflictKind, Juror
from applications.models.ranking import JurorProgress

# Three lists share the page, each with its pager: short pages keep it quick to read and to draw
# (50, 25 and 25 rows took 10 ms more to draw than these).
JURORS_PER_PAGE = 25
CONFLICTS_PER_PAGE = 10
SUGGESTIONS_PER_PAGE = 10


def juror_page(call, number):
    """A page of the call's jurors (user, département and stored figures read with them), each
    with `assigned_count`, `conflict_count` and `submitted_count` (a juror with a submitted review
    is not removable). Two queries, the count and the page: the figures are `JurorProgress`'s,
    kept up to date by every assignment, review and declaration, so the page does not count the
    call's assignments."""
    jurors = (
        Juror.objects.filter(call=call)
        .select_related("user", "department", "progress")
        .order_by("role", "email")
    )
    page = Paginator(jurors, JURORS_PER_PAGE).get_page(number)
    rows = list(page.object_list)
    for juror in rows:
        progress = JurorProgress.of(juror)
        juror.assigned_count = progress.assigned
        juror.submitted_count = progress.submitted
        juror.conflict_count = progress.conflicts
    page.object_list = rows
    return page


def declaration_counts(call):
    """{"total": every declaration, "conflicts": those other than "no conflict", "none": the
    rest}, in one query over the jurors' stored counts (as many rows as jurors, whatever the
    number of dossiers)."""
    counts = JurorProgress.objects.filter(juror__call=call).aggregate(
        total=Coalesce(Sum("declared"), 0), conflicts=Coalesce(Sum("conflicts"), 0)
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
