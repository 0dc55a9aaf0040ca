"""The impact dashboards' figures, added up in the database over each structure's latest validated
figure of an indicator (`ReportValue.is_latest`, kept by `impact_reports.mark_latest`): per
indicator for a cohort, a département or a programme, and where each accompanied structure
stands. The programme's page groups them in `impact_programme`.

Every function here costs a constant number of queries, whatever the number of structures:
the database groups the figures (per indicator, and per cohort and département for the
programme), and Python only adds up those few groups."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accelerator.domain.impact_reports import current_reports_q
from accelerator.domain.impact_values import PLACES, display_value
from accelerator.models import (
    Accompaniment,
    Aggregation,
    ImpactReport,
    Indicator,
    PlannedIndicator,
    ReportValue,
    Stage,
    ValueType,
)

# Decimals kept by a mean: one for whole numbers ("12,5 people"), two for the others.
MEAN_PLACES = {ValueType.INTEGER: 1}


class Standing(models.TextChoices):
    """Where a structure stands against its plan, from its latest validated figures."""

    ON_TRACK = "on_track", gettext_lazy("On track")
    BEHIND = "behind", gettext_lazy("Behind")
    NOT_COMPARABLE = "not_comparable", gettext_lazy("Nothing to compare with yet")
    NO_FIGURES = "no_figures", gettext_lazy("No figures yet")


@dataclass(frozen=True)
class Scope:
    """Which accompaniments the figures count: a cohort's or a programme's, of one département
    (its INSEE code) when given."""

    cohort_id: int | None = None
    programme_id: int | None = None
    department: str | None = None

    def q(self, prefix=""):
        """The scope as a filter on accompaniments, reached through `prefix` from other rows."""
        q = Q()
        if self.cohort_id is not None:
            q &= Q(**{f"{prefix}cohort_id": self.cohort_id})
        if self.programme_id is not None:
            q &= Q(**{f"{prefix}cohort__programme_id": self.programme_id})
        if self.department:
            q &= Q(**{f"{prefix}structure__department__code": self.department})
        return q


# --- the figures per indicator


@dataclass
class Tally:
    """What the database says of one indicator's latest figures in one group, in additive parts
    (a mean is kept as a total and a count), so groups add up into larger ones."""

    total: Decimal = Decimal(0)
    counted: int = 0  # figures that are numbers
    reporting: int = 0  # structures with a latest figure
    on_track: int = 0
    behind: int = 0
    not_comparable: int = 0
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    planned: int = 0  # plan lines, of every structure of the scope
    baseline_total: Decimal = Decimal(0)
    baselines: int = 0  # baselines of the structures reporting
    target_total: Decimal = Decimal(0)
    targets: int = 0

    def add(self, other):
        for name in Tally.__dataclass_fields__:
            if not name.startswith("period_"):
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.period_start = _earliest(self.period_start, other.period_start)
        self.period_end = _latest(self.period_end, other.period_end)
        return self


def _earliest(first, second):
    return min(day for day in (first, second) if day) if first or second else None


def _latest(first, second):
    return max(day for day in (first, second) if day) if first or second else None


@dataclass
class Figure:
    """One indicator's figure over a scope: the total or the mean of the structures' latest
    figures (None when the indicator is not added up), the total or mean of their baselines and
    targets, and how many are on track, behind or have nothing to compare with."""

    indicator: Indicator
    tally: Tally = field(default_factory=Tally)

    @property
    def adds_up(self):
        return self.indicator.is_numeric or self.indicator.value_type == ValueType.YES_NO

    @property
    def aggregation(self):
        return self.indicator.aggregation if self.adds_up else Aggregation.NONE

    def _combined(self, total, count):
        if not count or self.aggregation == Aggregation.NONE:
            return None
        if self.aggregation == Aggregation.MEAN:
            places = MEAN_PLACES.get(self.indicator.value_type, 2)
            return (Decimal(total) / count).quantize(Decimal(1).scaleb(-places))
        return Decimal(total)

    @property
    def value(self):
        return self._combined(self.tally.total, self.tally.counted)

    @property
    def baseline(self):
        return self._combined(self.tally.baseline_total, self.tally.baselines)

    @property
    def target(self):
        return self._combined(self.tally.target_total, self.tally.targets)

    # As the pages show them, with their unit.
    @property
    def shown(self):
        return shown(self.indicator, self.value, self.aggregation)

    @property
    def baseline_shown(self):
        return shown(self.indicator, self.baseline, self.aggregation)

    @property
    def target_shown(self):
        return shown(self.indicator, self.target, self.aggregation)


def shown(indicator, number, aggregation):
    """A total or a mean as the dashboards show it, with its unit: "12,5 ETP", "1 250 €"; a yes
    or no indicator counts its yeses (sum) or gives their share (mean)."""
    if number is None:
        return ""
    if indicator.value_type == ValueType.YES_NO:
        if aggregation == Aggregation.MEAN:
            percent = formats.number_format(number * 100, decimal_pos=0, use_l10n=True)
            return _("%(percent)s said yes") % {"percent": f"{percent}\u00a0%"}
        count = int(number)
        return ngettext("%(count)s said yes", "%(count)s said yes", count) % {"count": count}
    if aggregation == Aggregation.MEAN and indicator.value_type == ValueType.INTEGER:
        places = 0 if number == number.to_integral() else 1
        text = formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
        unit = indicator.unit.strip()
        return f"{text}\u00a0{unit}" if unit else text
    places = PLACES.get(indicator.value_type, 4)
    return display_value(indicator, number.quantize(Decimal(1).scaleb(-places)))


def _value_groups(scope, by):
    """Per indicator (and per `by`, fields reached from the accompaniment), the latest figures
    added up, with the baselines and targets of the same structures' plan lines (so that they
    compare with the figures): one grouped query, the lines joined on the indicator."""
    keys = [f"report__accompaniment__{name}" for name in by]
    line = FilteredRelation(
        "report__accompaniment__impact_plan__lines",
        condition=Q(report__accompaniment__impact_plan__lines__indicator=F("indicator")),
    )
    return (
        ReportValue.objects.filter(scope.q("report__accompaniment__"), is_latest=True)
        .annotate(line=line)
        .order_by()
        .values("indicator_id", *keys)
        .annotate(
            total=Sum("value"),
            counted=Count("value"),
            reporting=Count("pk"),
            on_track_count=Count("pk", filter=Q(on_track=True)),
            behind_count=Count("pk", filter=Q(on_track=False)),
            not_comparable_count=Count("pk", filter=Q(on_track__isnull=True)),
            period_start=Min("report__period_start"),
            period_end=Max("report__period_end"),
            baseline_total=Sum("line__baseline_value"),
            baselines=Count("line__baseline_value"),
            target_total=Sum("line__target_value"),
            targets=Count("line__target_value"),
        )
    ), keys


def tallies(scope, by=()):
    """{(indicator pk, *values of `by`): Tally} for the scope: two queries, the latest figures
    and the plan lines of every structure (those that do not report yet too)."""
    found = {}
    values, keys = _value_groups(scope, by)
    for row in values:
        found[(row["indicator_id"], *(row[key] for key in keys))] = Tally(
            total=row["total"] or Decimal(0),
            counted=row["counted"],
            reporting=row["reporting"],
            on_track=row["on_track_count"],
            behind=row["behind_count"],
            not_comparable=row["not_comparable_count"],
            period_start=row["period_start"],
            period_end=row["period_end"],
            baseline_total=row["baseline_total"] or Decimal(0),
            baselines=row["baselines"],
            target_total=row["target_total"] or Decimal(0),
            targets=row["targets"],
        )
    keys = [f"plan__accompaniment__{name}" for name in by]
    plans = (
        PlannedIndicator.objects.filter(scope.q("plan__accompaniment__"))
        .order_by()
        .values("indicator_id", *keys)
        .annotate(planned=Count("pk"))
    )
    for row in plans:
        key = (row["indicator_id"], *(row[name] for name in keys))
        found.setdefault(key, Tally()).planned = row["planned"]
    return found


def figures_from(tallied, indicators):
    """One Figure per indicator that some structure planned or reported, in catalogue order,
    from {(indicator pk, …): Tally}: the groups of each indicator are added up."""
    per_indicator = {}
    for (indicator_id, *_rest), tally in tallied.items():
        per_indicator.setdefault(indicator_id, Tally()).add(tally)
    return [
        Figure(indicator=indicator, tally=per_indicator[indicator.pk])
        for indicator in indicators
        if indicator.pk in per_indicator
    ]


def figures(scope):
    """The figures of every indicator planned or reported in the scope (three queries)."""
    return figures_from(tallies(scope), Indicator.objects.all())


def period_of(figures):
    """The period the figures cover: the earliest start and the latest end of their reports."""
    start = end = None
    for figure in figures:
        tally = figure.tally
        start, end = _earliest(start, tally.period_start), _latest(end, tally.period_end)
    return start, end


# --- where each structure stands


def _latest_values():
    return ReportValue.objects.filter(is_latest=True, report__accompaniment_id=OuterRef("pk"))


def structures(scope):
    """The scope's accompaniments by structure name, to paginate before `structure_lines`."""
    return Accompaniment.objects.filter(scope.q()).order_by("structure__name", "pk")


def structure_lines(scope, today=None, pks=None):
    """The scope's accompaniments (of `pks` only, one page of `structures`, when given), by
    structure name, each with what the dashboard's list shows, annotated in one query: whether
    it has latest figures, any behind, any on track; its late reports; its last validated
    report in force."""
    today = today or timezone.localdate()
    latest = _latest_values()
    late = (
        ImpactReport.objects.filter(ImpactReport.late_q(today), accompaniment_id=OuterRef("pk"))
        .order_by()
        .values("accompaniment_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    in_force = ImpactReport.objects.filter(
        current_reports_q(), accompaniment_id=OuterRef("pk")
    ).order_by("-period_end", "-number", "-version")
    lines = Accompaniment.objects.filter(scope.q())
    if pks is not None:
        lines = lines.filter(pk__in=pks)
    return (
        lines.select_related("structure__department")
        .annotate(
            has_figures=Exists(latest),
            has_behind=Exists(latest.filter(on_track=False)),
            has_on_track=Exists(latest.filter(on_track=True)),
            late_reports=Coalesce(Subquery(late), 0),
            last_report_id=Subquery(in_force.values("pk")[:1]),
            last_report_number=Subquery(in_force.values("number")[:1]),
            last_report_period_end=Subquery(in_force.values("period_end")[:1]),
        )
        .order_by("structure__name", "pk")
    )


def standing(accompaniment):
    """Where an accompaniment of `structure_lines` stands: behind when any of its latest figures
    is behind; on track when all of those that compare with the plan are on track."""
    if accompaniment.has_behind:
        return Standing.BEHIND
    if accompaniment.has_on_track:
        return Standing.ON_TRACK
    if accompaniment.has_figures:
        return Standing.NOT_COMPARABLE
    return Standing.NO_FIGURES


@dataclass
class Counts:
    """Structures of a group (a cohort, a département, all of them) and where they stand."""

    structures: int = 0
    in_impact_measurement: int = 0
    alumni: int = 0
    reporting: int = 0
    on_track: int = 0
    behind: int = 0
    late: int = 0  # structures with at least one late report

    def add(self, other):
        for name in Counts.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def _grouped(rows, by, aggregates):
    """{values of `by`: aggregates} of `rows` (one aggregate, under the key (), without `by`)."""
    if not by:
        return {(): rows.aggregate(**aggregates)}
    return {tuple(row[key] for key in by): row for row in rows.values(*by).annotate(**aggregates)}


def counts(scope, by=(), today=None):
    """{(values of `by`, fields of the accompaniment): Counts} for the scope: two grouped
    queries, each one pass over its rows (the accompaniments, then the latest figures), never a
    lookup per accompaniment (one aggregate, under the key (), without `by`)."""
    today = today or timezone.localdate()
    late = Exists(
        ImpactReport.objects.filter(ImpactReport.late_q(today), accompaniment=OuterRef("pk"))
    )
    accompaniments = _grouped(
        Accompaniment.objects.filter(scope.q()).order_by(),
        by,
        {
            "structures": Count("pk"),
            "in_impact_measurement": Count("pk", filter=Q(stage=Stage.IMPACT_MEASUREMENT)),
            "alumni": Count("pk", filter=Q(stage=Stage.ALUMNI)),
            "late": Count("pk", filter=Q(late)),
        },
    )
    structure = "report__accompaniment_id"
    behind = ReportValue.objects.filter(is_latest=True, on_track=False).values(structure)
    figures_by = [f"report__accompaniment__{name}" for name in by]
    reported = _grouped(
        ReportValue.objects.filter(scope.q("report__accompaniment__"), is_latest=True).order_by(),
        figures_by,
        {
            "reporting": Count(structure, distinct=True),
            "behind": Count(structure, distinct=True, filter=Q(on_track=False)),
            # On track: some figure on track and none behind.
            "on_track": Count(
                structure,
                distinct=True,
                filter=Q(on_track=True) & ~Q(**{f"{structure}__in": behind}),
            ),
        },
    )
    found = {}
    for key, row in accompaniments.items():
        figures = reported.get(key, {})
        found[key] = Counts(
            **{
                name: row.get(name) or figures.get(name) or 0
                for name in Counts.__dataclass_fields__
            }
        )
    return found
