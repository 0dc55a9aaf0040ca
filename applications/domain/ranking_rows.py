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
"""

import hashlib

from django.db import transaction
from django.db.models import BooleanField, Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.domain.ranking import DEFAULT_SORT, RANKED_STATES, Grid, ordering, ranked_dossiers
from applications.models import Call, CallRankingGrid, Dossier, DossierRanking, DossierState

FIGURES = (
    "weighted_mean",
    "median",
    "spread",
    "review_count",
    "yes_count",
    "maybe_count",
    "no_count",
)
ALL_STATES = tuple(DossierState.values)


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
    now = timezone.now()
    rows = [
        DossierRanking(
            dossier_id=values["pk"],
            call_id=call.pk,
            reference=values["reference"],
            computed_at=now,
            **{name: values[name] for name in FIGURES},
        )
        for values in computed.values("pk", "reference", *FIGURES)
    ]
    DossierRanking.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["dossier"],
        update_fields=["call", "reference", "computed_at", *FIGURES],
    )


def refresh_dossier_ranking(dossier_ids):
    """Compute again the stored figures of these dossiers (ids, or one id); call it in the
    transaction of the change that moves them. A few queries per call concerned."""
    if isinstance(dossier_ids, int):
        dossier_ids = [dossier_ids]
    dossier_ids = sorted(set(dossier_ids))
    if not dossier_ids:
        return
    with transaction.atomic():
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


def refresh_call_ranking(call, grid=None):
    """Compute again every stored figure of `call` (a grid change, a backfill, data written
    behind the domain's back). Linear in the call's reviews, once."""
    grid = grid or Grid.of(call)
    with transaction.atomic():
        CallRankingGrid.objects.get_or_create(call_id=call.pk, defaults={"signature": ""})
        # Serialises two full refreshes of a call (two staff opening the ranking after a change).
        CallRankingGrid.objects.select_for_update().filter(call_id=call.pk).values_list("pk").get()
        _write(call, grid)
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


def page_ranks(dossiers, page_rows):
    """Set `rank` on each of `page_rows` (a slice of `dossiers`): its place by weighted mean
    among all of `dossiers` (after their filters), ties sharing a place (1, 2, 2, 4), None
    without a score — as `ranking.with_rank` does for the whole call. One query, counting for
    each distinct mean of the page the rows above it, whatever page and order are shown."""
    means = sorted({row.weighted_mean for row in page_rows if row.weighted_mean is not None})
    above = {}
    # Asked even for a page without a score, so the page's query count never depends on the data.
    if page_rows:
        counts = dossiers.order_by().aggregate(
            rows=Count("pk"),
            **{
                f"above_{i}": Count("pk", filter=Q(weighted_mean__gt=m))
                for i, m in enumerate(means)
            },
        )
        above = {m: counts[f"above_{i}"] for i, m in enumerate(means)}
    for row in page_rows:
        row.rank = None if row.weighted_mean is None else above[row.weighted_mean] + 1
    return page_rows
