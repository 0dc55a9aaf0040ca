"""The ranking's stored figures (`DossierRanking`): writing them when a change moves them, and
reading a call's ranking from them, paginated, instead of ranking the whole call at each request.

The figures are those of `ranking.ranked_dossiers` (same SQL, same rules), written for the
dossiers a change touches, in that change's transaction:
- a review saved (drafts included: saving a draft of a submitted review changes it) — `reviews`;
- a conflict declared or recorded (it removes the juror's review from the ranking) — `conflicts`;
- an assignment removed (its review goes with it) — `assignment`.
A change of the evaluation grid (weights, scales, criteria, edited in the page editor) changes
every figure of the call: the grid each call's rows were computed with is kept as a signature,
and a read that finds another grid computes the call's rows again first (once). A dossier
without a row has no counted review, which is what the ranking shows for it.

Two refreshes of the same dossier are serialised by a lock on its row, so the second one (which
runs once the first has committed) reads both reviews: neither overwrites the other with figures
that miss a review.

The same rows hold the review progress's figures (each dossier's assignments, drafts and
submitted reviews; each juror's, and the count of their declarations, in `JurorProgress`),
written by the same refresh, which also recounts every juror of the dossiers refreshed (and the
jurors a declaration names). Its callers beyond the ranking's: an assignment
made or removed (`assignment`), and a dossier transition that moves it in or out of the
progress's list or of the reviews owed (`refresh_after_transition`). Each refresh recounts the
rows it touches from the assignments, never adds or subtracts.
"""

import hashlib
from bisect import bisect_right

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.domain.ranking import DEFAULT_SORT, RANKED_STATES, Grid, ordering, ranked_dossiers
from applications.models import (
    Assignment,
    Call,
    CallRankingGrid,
    ConflictDeclaration,
    ConflictKind,
    Dossier,
    DossierRanking,
    DossierState,
    Juror,
)
from applications.models.ranking import JurorProgress

FIGURES = (
    "weighted_mean",
    "median",
    "spread",
    "review_count",
    "yes_count",
    "maybe_count",
    "no_count",
)
PROGRESS = ("assigned", "drafts", "submitted", "listed")
JUROR_PROGRESS = ("assigned", "started", "submitted", "owed")
JUROR_DECLARATIONS = ("declared", "conflicts")
ALL_STATES = tuple(DossierState.values)
# The review progress lists the dossiers in (or past) review, and any other one assigned.
LISTED_STATES = (
    DossierState.ELIGIBLE,
    DossierState.UNDER_REVIEW,
    DossierState.SHORTLISTED,
    DossierState.WAITLISTED,
    DossierState.SELECTED,
    DossierState.REJECTED,
)


def grid_signature(grid):
    """A short text that changes whenever a figure of the grid's ranking would."""
    parts = [repr((grid.scale.low, grid.scale.high, grid.scale.uniform))]
    parts += [repr((c.pk, c.weight, c.factor, c.offset)) for c in grid.criteria]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _write(call, grid, dossier_ids=None):
    """Compute, by the database, and store the figures of the call's dossiers (all of them, or
    those of `dossier_ids`). Every state is computed: a dossier's row then stays right when it
    moves (e.g. back from the shortlist), and the read filters the states."""
    computed = ranked_dossiers(call, states=ALL_STATES, grid=grid).order_by()
    if dossier_ids is not None:
        computed = computed.filter(pk__in=dossier_ids)
    progress = _dossier_progress(call, dossier_ids)
    now = timezone.now()
    rows = [
        DossierRanking(
            dossier_id=values["pk"],
            call_id=call.pk,
            reference=values["reference"],
            computed_at=now,
            **{name: values[name] for name in FIGURES},
            **progress[values["pk"]],
        )
        for values in computed.values("pk", "reference", *FIGURES)
    ]
    DossierRanking.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["dossier"],
        update_fields=["call", "reference", "computed_at", *FIGURES, *PROGRESS],
    )


def _dossier_progress(call, dossier_ids=None):
    """{dossier id: its review progress figures}, for the call's dossiers (or those of
    `dossier_ids`), in one grouped query (apart from the ranking's, whose joins would multiply
    the assignments)."""
    dossiers = Dossier.objects.filter(call=call)
    if dossier_ids is not None:
        dossiers = dossiers.filter(pk__in=dossier_ids)
    review = "assignments__review"
    rows = (
        dossiers.order_by()
        .values("pk", "state")
        .annotate(
            assigned=Count("assignments"),
            drafts=Count(review, filter=Q(assignments__review__submitted_at__isnull=True)),
            submitted=Count(review, filter=Q(assignments__review__submitted_at__isnull=False)),
        )
    )
    return {
        row["pk"]: {
            "assigned": row["assigned"],
            "drafts": row["drafts"],
            "submitted": row["submitted"],
            "listed": row["state"] in LISTED_STATES or row["assigned"] > 0,
        }
        for row in rows
    }


def _write_jurors(call_id, juror_ids):
    """Recount the progress of these jurors (of one call) over all their assignments, under a
    lock on their rows: two changes that touch the same juror count one after the other, the
    second with the first's change. Five queries, none when no juror is given."""
    # Imported here: `reviews` writes through this module.
    from applications.domain.reviews import WRITABLE_STATES

    juror_ids = sorted(set(juror_ids))
    if not juror_ids:
        return
    JurorProgress.objects.bulk_create(
        [JurorProgress(juror_id=pk, call_id=call_id) for pk in juror_ids], ignore_conflicts=True
    )
    list(
        JurorProgress.objects.select_for_update()
        .filter(pk__in=juror_ids)
        .order_by("pk")
        .values_list("pk")
    )
    conflicted = ConflictDeclaration.objects.filter(
        juror=OuterRef("juror"), dossier=OuterRef("dossier")
    ).exclude(kind=ConflictKind.NONE)
    pending = Q(review__submitted_at__isnull=True)
    counts = {
        row["juror"]: row
        for row in Assignment.objects.filter(juror__in=juror_ids)
        .alias(conflicted=Exists(conflicted))
        .order_by()
        .values("juror")
        .annotate(
            assigned=Count("pk"),
            started=Count("review", filter=pending),
            submitted=Count("review", filter=Q(review__submitted_at__isnull=False)),
            # As `review_progress.owed_reviews` counts them.
            owed=Count(
                "pk", filter=pending & Q(dossier__state__in=WRITABLE_STATES, conflicted=False)
            ),
        )
    }
    declarations = {
        row["juror"]: row
        for row in ConflictDeclaration.objects.filter(juror__in=juror_ids)
        .order_by()
        .values("juror")
        .annotate(declared=Count("pk"), conflicts=Count("pk", filter=~Q(kind=ConflictKind.NONE)))
    }
    now = timezone.now()
    JurorProgress.objects.bulk_create(
        [
            JurorProgress(
                juror_id=pk,
                call_id=call_id,
                computed_at=now,
                **{name: counts.get(pk, {}).get(name, 0) for name in JUROR_PROGRESS},
                **{name: declarations.get(pk, {}).get(name, 0) for name in JUROR_DECLARATIONS},
            )
            for pk in juror_ids
        ],
        update_conflicts=True,
        unique_fields=["juror"],
        update_fields=["call", "computed_at", *JUROR_PROGRESS, *JUROR_DECLARATIONS],
    )


def refresh_dossier_ranking(dossier_ids, jurors=()):
    """Compute again the stored figures of these dossiers (ids, or one id), and the progress of
    every juror assigned to them and of `jurors` (ids: e.g. one whose assignment was removed);
    call it in the transaction of the change that moves them. A few queries per call concerned."""
    if isinstance(dossier_ids, int):
        dossier_ids = [dossier_ids]
    dossier_ids = sorted(set(dossier_ids))
    if not dossier_ids:
        return
    with transaction.atomic():
        assigned = Assignment.objects.filter(dossier__in=dossier_ids).values_list("juror_id")
        juror_calls = dict(
            Juror.objects.filter(Q(pk__in=assigned) | Q(pk__in=list(jurors))).values_list(
                "pk", "call_id"
            )
        )
        by_call = {}
        for dossier_id, call_id, reference in Dossier.objects.filter(
            pk__in=dossier_ids
        ).values_list("pk", "call_id", "reference"):
            by_call.setdefault(call_id, []).append((dossier_id, reference))
        for call_id, dossiers in by_call.items():
            # An empty row first, so that there is a row to lock (the figures come next).
            DossierRanking.objects.bulk_create(
                [
                    DossierRanking(dossier_id=pk, call_id=call_id, reference=ref)
                    for pk, ref in dossiers
                ],
                ignore_conflicts=True,
            )
            list(
                DossierRanking.objects.select_for_update()
                .filter(pk__in=[pk for pk, _ref in dossiers])
                .order_by("pk")
                .values_list("pk")
            )
            call = Call.objects.get(pk=call_id)
            _write(call, Grid.of(call), [pk for pk, _ref in dossiers])
            _write_jurors(
                call_id, [pk for pk, juror_call in juror_calls.items() if juror_call == call_id]
            )


def refresh_after_transition(dossier, log):
    """The dossier machine's after-step: a transition that moves the dossier in or out of the
    review progress's list, or of the states where reviews are owed, moves its figures and its
    jurors'. Starting the review (thousands at once) moves neither: nothing to do."""
    from applications.domain.reviews import WRITABLE_STATES

    if any(
        (log.source in states) != (log.target in states)
        for states in (LISTED_STATES, WRITABLE_STATES)
    ):
        refresh_dossier_ranking(dossier.pk)


def refresh_call_ranking(call, grid=None):
    """Compute again every stored figure of `call` (a grid change, a backfill, data written
    behind the domain's back). Linear in the call's reviews, once."""
    grid = grid or Grid.of(call)
    with transaction.atomic():
        CallRankingGrid.objects.get_or_create(call_id=call.pk, defaults={"signature": ""})
        # Serialises two full refreshes of a call (two staff opening the ranking after a change).
        CallRankingGrid.objects.select_for_update().filter(call_id=call.pk).values_list("pk").get()
        _write(call, grid)
        _write_jurors(call.pk, Juror.objects.filter(call=call).values_list("pk", flat=True))
        CallRankingGrid.objects.filter(call_id=call.pk).update(
            signature=grid_signature(grid), computed_at=timezone.now()
        )


def ensure_current(call, grid):
    """Compute the call's rows first when they were computed with another grid (or never). One
    small query when they are current."""
    signature = grid_signature(grid)
    stored = (
        CallRankingGrid.objects.filter(call_id=call.pk).values_list("signature", flat=True).first()
    )
    if stored != signature:
        refresh_call_ranking(call, grid)


def stored_ranking(call, grid=None, *, states=RANKED_STATES):
    """The dossiers of `call` annotated with their stored figures (the names of
    `ranked_dossiers`: `weighted_mean`, `median`, `spread`, `review_count`, `disagreement`,
    `yes_count`, `maybe_count`, `no_count`), in the ranking's default order. A queryset: filter
    it with `filter_ranking`, sort it with `ordering`, slice it; `page_ranks` gives the places."""
    grid = grid or Grid.of(call)
    ensure_current(call, grid)
    counts = {
        name: Coalesce(F(f"ranking__{name}"), Value(0), output_field=IntegerField())
        for name in ("review_count", "yes_count", "maybe_count", "no_count")
    }
    return (
        Dossier.objects.filter(call=call, state__in=states)
        .select_related("structure")
        .annotate(
            weighted_mean=F("ranking__weighted_mean"),
            median=F("ranking__median"),
            spread=F("ranking__spread"),
            **counts,
        )
        .annotate(
            disagreement=Case(
                When(spread__gt=float(call.disagreement_threshold), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(*ordering(DEFAULT_SORT))
    )


def _rank_counts(dossiers, page_rows, call=None):
    """{distinct mean of `page_rows`: rows of `dossiers` above it}, in one query that reads the
    means above the page's lowest only (given the call, through the stored rows' index on (call,
    mean)): the first pages cost the same on any call, and the places are counted here rather
    than by one SQL filter per mean, which Django took longer to compile than to run."""
    means = sorted({row.weighted_mean for row in page_rows if row.weighted_mean is not None})
    above = dossiers.order_by()
    if call is not None and means:
        above = above.filter(ranking__call_id=call.pk)
    # A page without a score still asks (mean > mean matches nothing): a constant query count.
    higher = sorted(
        above.filter(weighted_mean__gt=means[0] if means else F("weighted_mean")).values_list(
            "weighted_mean", flat=True
        )
    )
    return {m: len(higher) - bisect_right(higher, m) for m in means}


def _set_ranks(page_rows, above):
    for row in page_rows:
        row.rank = None if row.weighted_mean is None else above[row.weighted_mean] + 1
    return page_rows


def page_ranks(dossiers, page_rows, call=None):
    """Set `rank` on each of `page_rows` (a slice of `dossiers`): its place by weighted mean
    among all of `dossiers` (after their filters), ties sharing a place (1, 2, 2, 4), None
    without a score — as `ranking.with_rank` does for the whole call. One query, counting for
    each distinct mean of the page the rows above it, whatever page and order are shown."""
    # Asked even for a page without a score, so the page's query count never depends on the data.
    above = _rank_counts(dossiers, page_rows, call) if page_rows else {}
    return _set_ranks(page_rows, above)


def _best_first(call, dossiers, start, per_page):
    """Rows `start` to `start + per_page` of `dossiers` in the default order (best mean first,
    unscored rows last, by reference). The scored rows are read down the index on (call, mean),
    so the first pages read their own rows only; a page reaching the unscored rows counts the
    scored ones (once) to know where it starts among them."""
    scored = dossiers.filter(ranking__call_id=call.pk, weighted_mean__isnull=False)
    rows = list(scored.order_by(F("weighted_mean").desc(), "reference")[start : start + per_page])
    if len(rows) < per_page:
        first = max(0, start - scored.order_by().count())
        unscored = dossiers.filter(weighted_mean__isnull=True).order_by("reference")
        rows += unscored[first : first + per_page - len(rows)]
    return rows


def ranking_page(call, dossiers, sort, number, per_page):
    """Page `number` (as typed: the first when not a number, the last when past it) of
    `dossiers` (a filtered `stored_ranking` of `call`) sorted by `sort` (a key of SORTS), its
    rows ranked as `page_ranks` does. Three queries: how many rows, the page's rows, the means
    above the page's (two more on a page that reaches the unscored rows, in the default order).
    The default order reads the rows through the stored rows' index, so that its first pages
    cost the same whatever the call's size; the other sorts read the call's rows."""
    paginator = Paginator(dossiers.order_by(*ordering(sort)), per_page)
    # Set here, so that the paginator does not count with the sort.
    paginator.count = dossiers.order_by().count()
    page = paginator.get_page(number)
    start = (page.number - 1) * per_page
    if sort == DEFAULT_SORT:
        rows = _best_first(call, dossiers, start, per_page)
    else:
        rows = list(page.object_list)
    page.object_list = page_ranks(dossiers, rows, call)
    return page
