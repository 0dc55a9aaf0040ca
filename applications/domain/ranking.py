"""The ranking of a call's dossiers, computed by the database from the jurors' submitted reviews.

How the figures are made (each rule is tested with numbers worked out by hand in
tests/applications/jury/test_ranking_aggregates.py):

- A review counts when it is submitted and its juror has declared no conflict on the dossier. A
  declared conflict (a ConflictDeclaration whose kind is not "none") removes that juror from that
  dossier's ranking, even for a review written before the declaration. Suggested conflicts are
  only suggestions to staff: they remove nothing. Drafts never count.
- A review's score is the weighted mean of its scored criteria: Σ(weight × value) / Σ(weight) over
  the criteria that have a value. "Not applicable" (or a criterion left without a value, e.g. one
  added to the grid after the review) is out of both sums, so the other weights are renormalised.
- Scales. When every criterion of the grid has the same scale (the usual grid: 0–5 by default),
  values are used exactly as the jurors gave them and every figure reads on that scale. When the
  scales differ, each value is first placed linearly on the grid's reference scale, which runs from
  the lowest `scale_min` to the highest `scale_max` of the grid (3 on a 1–5 criterion becomes 5 on
  a 0–10 reference): otherwise a criterion scored out of 10 would silently weigh twice one scored
  out of 5, and the weights alone must say what matters. The disagreement threshold of the call is
  read on that same scale ("one point" on a 0–5 grid).
- A dossier's figures over its counted reviews, each review counting once:
  `weighted_mean` (mean of the review scores), `median` (middle score, or mean of the two middle
  ones), `review_count`, `spread` (the POPULATION standard deviation of the review scores: the
  jurors who scored a dossier are the whole population of its scores, not a sample of a larger
  one; it is 0 with one review, where the sample deviation would be undefined), `disagreement`
  (spread > call.disagreement_threshold) and `yes_count`, `maybe_count`, `no_count`
  (recommendations). A review whose every criterion is "not applicable" counts in `review_count`
  and in the recommendations but has no score, so it is out of the mean, median and spread.
- Figures are floats (double precision) on both SQLite and PostgreSQL: SQLite would divide
  integers as integers. They are rounded only when shown or exported.

Everything is done by the database: `ranked_dossiers` returns a Dossier queryset annotated by
one grouped query (each review read once, its score computed from one join per criterion of the
grid), plus one small query to read the grid. It can still be filtered and sorted like any
queryset. The median is PostgreSQL's percentile_cont; on SQLite, which has no median, an
aggregate registered on the connection (as Django does for STDDEV_POP there).
"""

import statistics
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    Avg,
    BooleanField,
    Case,
    Count,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Q,
    StdDev,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, NullIf, Rank

from applications.models import (
    ConflictKind,
    Dossier,
    DossierState,
    EvaluationCriterion,
    Recommendation,
    Review,
)

S = DossierState
# Dossiers that can have reviews: from eligibility (jurors may be assigned before staff start the
# review) to a decision. Drafts, ineligible and withdrawn dossiers are not in the competition.
RANKED_STATES = (S.ELIGIBLE, S.UNDER_REVIEW, S.SHORTLISTED, S.SELECTED, S.WAITLISTED, S.REJECTED)

# Sort keys offered to staff, and the annotation or field each one orders by.
SORTS = {
    "mean": "weighted_mean",
    "median": "median",
    "reviews": "review_count",
    "spread": "spread",
    "reference": "reference",
}
DEFAULT_SORT = "-mean"


@dataclass(frozen=True)
class Scale:
    """The scale every figure of a call's ranking reads on (see the module's docstring)."""

    low: int
    high: int
    uniform: bool


@dataclass(frozen=True)
class GridCriterion:
    """What the ranking's SQL needs of a criterion: its weight, and the linear map (value ×
    factor + offset) that places its values on the reference scale."""

    pk: int
    weight: float
    factor: float
    offset: float


@dataclass(frozen=True)
class Grid:
    """A call's evaluation grid as the ranking reads it, loaded once per ranking (one query)."""

    scale: Scale
    criteria: tuple

    @classmethod
    def of(cls, call):
        rows = list(
            EvaluationCriterion.objects.filter(call=call)
            .order_by("sort_order", "pk")
            .values_list("pk", "weight", "scale_min", "scale_max")
        )
        if not rows:
            return cls(scale=Scale(low=0, high=5, uniform=True), criteria=())
        low = min(row[2] for row in rows)
        high = max(row[3] for row in rows)
        uniform = all(row[2] == low and row[3] == high for row in rows)
        criteria = tuple(
            GridCriterion(
                pk=pk,
                weight=float(weight),
                factor=(high - low) / (scale_max - scale_min),
                offset=low - scale_min * (high - low) / (scale_max - scale_min),
            )
            for pk, weight, scale_min, scale_max in rows
        )
        return cls(scale=Scale(low=low, high=high, uniform=uniform), criteria=criteria)


def reference_scale(call):
    """The grid's reference scale: lowest minimum to highest maximum of its criteria."""
    return Grid.of(call).scale


class Median(Aggregate):
    """The median of a group: PostgreSQL's percentile_cont(0.5), the mean of the two middle
    values of an even count; on SQLite, which has none, an aggregate registered on the
    connection, as Django itself does for STDDEV_POP there. NULLs are skipped."""

    name = "Median"
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return _as_sqlite_aggregate(self, "ESSOR_MEDIAN", compiler, connection, **extra_context)


class PopulationStdDev(StdDev):
    """STDDEV_POP, skipping NULLs on SQLite too: Django's SQLite version, written in Python,
    does not skip them as SQL aggregates do."""

    output_field = FloatField()

    def __init__(self, expression, **extra):
        super().__init__(expression, sample=False, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return _as_sqlite_aggregate(self, "ESSOR_STDDEV_POP", compiler, connection, **extra_context)


class _SQLiteAggregate:
    """A SQLite aggregate over the non-NULL values of a group; NULL for an empty group."""

    compute = None

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return type(self).compute(self.values) if self.values else None


SQLITE_AGGREGATES = {
    "ESSOR_MEDIAN": type("SQLiteMedian", (_SQLiteAggregate,), {"compute": statistics.median}),
    "ESSOR_STDDEV_POP": type(
        "SQLiteStdDevPop", (_SQLiteAggregate,), {"compute": statistics.pstdev}
    ),
}


def _as_sqlite_aggregate(aggregate, function, compiler, connection, **extra_context):
    # Registering again is harmless; doing it when the SQL is built covers every new connection.
    connection.ensure_connection()
    connection.connection.create_aggregate(function, 1, SQLITE_AGGREGATES[function])
    clone = aggregate.copy()
    clone.function = function
    clone.template = Aggregate.template
    return clone.as_sql(compiler, connection, **extra_context)


def _score_alias(criterion):
    return f"ranking_score_{criterion.pk}"


def _score_relations(grid, path):
    """One LEFT JOIN per criterion of the grid to the review's score on that criterion (a review
    has at most one score per criterion, so no join multiplies the rows)."""
    return {
        _score_alias(criterion): FilteredRelation(
            path, condition=Q(**{f"{path}__criterion": criterion.pk})
        )
        for criterion in grid.criteria
    }


def _review_score(grid):
    """A review's weighted score as a row expression over the joins of `_score_relations`:
    Σ(weight × value) / Σ(weight) over the criteria with a value; NULL when none has one."""
    if not grid.criteria:
        # A typed NULL: PostgreSQL reads a bare NULL as text, and AVG(text) does not exist.
        return Cast(Value(None), output_field=FloatField())
    numerator = denominator = Value(0.0)
    for criterion in grid.criteria:
        value = Cast(F(f"{_score_alias(criterion)}__value"), FloatField())
        if not grid.scale.uniform:
            value = value * Value(criterion.factor) + Value(criterion.offset)
        has_value = Q(**{f"{_score_alias(criterion)}__value__isnull": False})
        numerator = numerator + Case(
            When(has_value, then=Value(criterion.weight) * value),
            default=Value(0.0),
            output_field=FloatField(),
        )
        denominator = denominator + Case(
            When(has_value, then=Value(criterion.weight)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return numerator / NullIf(denominator, Value(0.0))


def scored_reviews(call, juror_ids=None, grid=None):
    """The reviews of `call` that count in its ranking (submitted, by a juror who declared no
    conflict on the dossier), each annotated with its `weighted_score`. One query."""
    grid = grid or Grid.of(call)
    reviews = (
        Review.objects.filter(assignment__dossier__call=call, submitted_at__isnull=False)
        .alias(
            blocking_conflict=FilteredRelation(
                "assignment__dossier__conflicts",
                condition=Q(assignment__dossier__conflicts__juror=F("assignment__juror"))
                & ~Q(assignment__dossier__conflicts__kind=ConflictKind.NONE),
            ),
            **_score_relations(grid, "scores"),
        )
        .filter(blocking_conflict__isnull=True)
        .annotate(weighted_score=_review_score(grid))
    )
    if juror_ids is not None:
        reviews = reviews.filter(assignment__juror__in=list(juror_ids))
    return reviews


def ranked_dossiers(call, juror_ids=None, *, states=RANKED_STATES, grid=None):
    """The dossiers of `call` annotated, by the database, with `weighted_mean`, `median`,
    `review_count`, `spread`, `disagreement`, `yes_count`, `maybe_count` and `no_count`.

    `juror_ids` restricts the figures to those jurors' reviews (e.g. the presidents). Ordered by
    weighted mean (best first, unscored last), then median, then reference.

    One query, grouped by dossier: each dossier's assignments are joined with their review, the
    review's score on each criterion (one join per criterion) and the juror's declared conflict,
    so every review is read once, whatever the number of dossiers. Further annotations over
    multi-valued relations would multiply these rows: add them as subqueries.
    """
    grid = grid or Grid.of(call)
    review = "assignments__review"
    counted = Q(**{f"{review}__submitted_at__isnull": False}, blocking_conflict__isnull=True)
    if juror_ids is not None:
        counted &= Q(assignments__juror__in=list(juror_ids))

    def if_counted(expression):
        # NULL for a review that does not count: aggregates skip NULLs, COUNT included.
        return Case(When(counted, then=expression))

    def recommended(value):
        return Count("counted_review", filter=Q(counted_recommendation=value))

    return (
        Dossier.objects.filter(call=call, state__in=states)
        .select_related("structure")
        .alias(
            blocking_conflict=FilteredRelation(
                "conflicts",
                condition=Q(conflicts__juror=F("assignments__juror"))
                & ~Q(conflicts__kind=ConflictKind.NONE),
            ),
            **_score_relations(grid, f"{review}__scores"),
        )
        .alias(
            counted_review=if_counted(F(f"{review}__pk")),
            counted_recommendation=if_counted(F(f"{review}__recommendation")),
            # NULL too for a counted review without a scored criterion.
            counted_score=if_counted(_review_score(grid)),
        )
        .annotate(
            weighted_mean=Avg("counted_score", output_field=FloatField()),
            median=Median("counted_score"),
            spread=PopulationStdDev("counted_score"),
            review_count=Count("counted_review"),
            yes_count=recommended(Recommendation.YES),
            maybe_count=recommended(Recommendation.MAYBE),
            no_count=recommended(Recommendation.NO),
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


def ordering(sort):
    """ORDER BY terms for a sort key of SORTS, "-" first for descending; unscored rows last and
    the reference as a tie-breaker so the order is stable."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    field = SORTS.get(key, SORTS["mean"])
    if field == "reference":
        return [F("reference").desc() if descending else F("reference").asc()]
    term = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return [term, F("reference").asc()]


def filter_ranking(dossiers, *, state=None, disagreement_only=False, min_reviews=None):
    """Narrow a ranking with the filters of the staff page and its exports."""
    if state:
        dossiers = dossiers.filter(state=state)
    if disagreement_only:
        dossiers = dossiers.filter(disagreement=True)
    if min_reviews:
        dossiers = dossiers.filter(review_count__gte=min_reviews)
    return dossiers


def with_rank(dossiers):
    """Annotate `rank`: the place by weighted mean among `dossiers` (after their filters), ties
    sharing a place (1, 2, 2, 4), None without a score. Computed by the database, so that every
    page of a ranking shows the same places whatever the order chosen."""
    return dossiers.annotate(
        rank=Case(
            When(weighted_mean__isnull=True, then=Value(None)),
            default=Window(Rank(), order_by=F("weighted_mean").desc(nulls_last=True)),
            output_field=IntegerField(),
        )
    )
