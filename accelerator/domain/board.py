"""The cohort board: which structures of a cohort a reader sees, each card's figures read in one
query, the cohort's totals, its progress over time (series and chart) and the export rows.

Everything here costs a constant number of queries, whatever the size of the cohort: the cards
are annotated with subqueries, totals are summed from the cards in Python, and the progress series
is rebuilt from the stage-change logs read in one query.
"""

import bisect
import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain import tabular
from accelerator.domain.support_points import followed_q
from accelerator.models import (
    OPEN_OBSTACLE_STATES,
    STAGE_ORDER,
    Accompaniment,
    AccompanimentTransition,
    Cohort,
    Disbursement,
    FundraisingRound,
    Milestone,
    RegulatoryObstacle,
    SeedGrant,
    Source,
    Stage,
)
from accelerator.money import euros
from accelerator.permissions import is_programme_staff, is_superuser

PARIS = ZoneInfo("Europe/Paris")
ZERO = Decimal("0.00")
# The board's columns: the journey in its order, then the stages aside from it.
BOARD_STAGES = STAGE_ORDER
# The référent filter's value for structures that have none yet.
NO_REFERENT = "none"
# One colour per stage for the chart and the columns, told apart also by colour-blind readers
# (Okabe–Ito palette); the table under the chart gives the same figures without colour.
# accelerator/css/journey-board.css repeats them for the columns and the legend (the policy
# refuses style attributes); a test in tests/test_security_headers.py keeps the two equal.
STAGE_COLOURS = {
    Stage.SOURCING: "#8c96a8",
    Stage.LABELLING: "#56b4e9",
    Stage.SEED_FUNDING: "#0072b2",
    Stage.FUNDRAISING: "#e69f00",
    Stage.IMPACT_MEASUREMENT: "#009e73",
    Stage.ALUMNI: "#cc79a7",
    Stage.PAUSED: "#f0e442",
    Stage.EXITED: "#d55e00",
}


def stage_labels():
    """Stage labels in the active language, read once (get_FOO_display re-reads every choice)."""
    return {stage.value: str(stage.label) for stage in Stage}


# --- who sees what


def territory(user):
    """The départements whose structures `user` sees on cohort boards: None for programme staff
    (every structure), else those of the support points they belong to (empty when none); there
    a support point sees only the accompaniments it follows (`followed_q`)."""
    if is_programme_staff(user) or is_superuser(user):
        return None
    if not user.is_authenticated:
        return frozenset()
    return frozenset(user.support_points.values_list("department_id", flat=True))


def _in_territory(queryset, departments):
    """Accompaniments of the reader's territory that it follows (all of them for staff)."""
    if departments is None:
        return queryset
    return queryset.filter(followed_q(departments))


# --- the list of cohorts


@dataclass
class CohortLine:
    cohort: Cohort
    structures: int
    stages: list  # (stage, label, count) for the stages holding at least one structure


def cohort_lines(departments):
    """Every cohort with its structures counted, per stage too, in one query. For a support point
    (`departments` given) only the cohorts holding structures of its territory, only those
    counted."""
    scope = None if departments is None else followed_q(departments, prefix="accompaniments__")
    counts = {"structure_count": Count("accompaniments", filter=scope)}
    for stage in BOARD_STAGES:
        in_stage = Q(accompaniments__stage=stage)
        counts[f"in_{stage.value}"] = Count(
            "accompaniments", filter=in_stage if scope is None else scope & in_stage
        )
    cohorts = Cohort.objects.select_related("programme").annotate(**counts)
    if departments is not None:
        cohorts = cohorts.filter(structure_count__gt=0)
    labels = stage_labels()
    return [
        CohortLine(
            cohort=cohort,
            structures=cohort.structure_count,
            stages=[
                (stage.value, labels[stage], getattr(cohort, f"in_{stage.value}"))
                for stage in BOARD_STAGES
                if getattr(cohort, f"in_{stage.value}")
            ],
        )
        for cohort in cohorts.order_by("-year", "name", "pk")
    ]


# --- filters


@dataclass
class FilterChoices:
    """What the board's filters offer: the départements and référents of the structures the reader
    sees in the cohort. `seen` tells whether the reader sees any structure of it at all."""

    departments: list = field(default_factory=list)  # (code, "45 Loiret")
    referents: list = field(default_factory=list)  # (pk as text or NO_REFERENT, name)
    seen: bool = False


def filter_choices(cohort, departments):
    """The filters' choices, in one query."""
    rows = (
        _in_territory(Accompaniment.objects.filter(cohort=cohort), departments)
        .order_by()
        .values_list(
            "structure__department__code",
            "structure__department__name",
            "referent_id",
            "referent__first_name",
            "referent__last_name",
            "referent__email",
        )
        .distinct()
    )
    found_departments, found_referents, without_referent, seen = {}, {}, False, False
    for code, name, referent_id, first_name, last_name, email in rows:
        seen = True
        found_departments[code] = f"{code} {name}"
        if referent_id is None:
            without_referent = True
        else:
            # As User.display_name reads.
            full_name = f"{first_name} {last_name}".strip()
            found_referents[str(referent_id)] = full_name or email
    referents = sorted(found_referents.items(), key=lambda item: (item[1].lower(), item[0]))
    if without_referent:
        referents.append((NO_REFERENT, _("No référent yet")))
    return FilterChoices(
        departments=sorted(found_departments.items()), referents=referents, seen=seen
    )


def filtered(queryset, department=None, referent=None):
    """Accompaniments of one département (its INSEE code) and of one référent (a user's pk, or
    NO_REFERENT): the same filters for the cards, the totals, the chart and the exports."""
    if department:
        queryset = queryset.filter(structure__department__code=department)
    if referent == NO_REFERENT:
        queryset = queryset.filter(referent__isnull=True)
    elif referent:
        queryset = queryset.filter(referent_id=referent)
    return queryset


# --- the cards


def _per_accompaniment(queryset, key, aggregate, output_field, default):
    """A correlated subquery: `aggregate` over the rows of `queryset` that belong to the outer
    accompaniment (through `key`), `default` when there are none. One subquery per figure keeps
    the joins from multiplying each other's rows."""
    grouped = (
        queryset.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(result=aggregate)
        .values("result")
    )
    return Coalesce(
        Subquery(grouped, output_field=output_field),
        Value(default, output_field=output_field),
        output_field=output_field,
    )


def _count(queryset, key="accompaniment"):
    return _per_accompaniment(queryset, key, Count("pk"), IntegerField(), 0)


def _sum(queryset, column, key="accompaniment"):
    return _per_accompaniment(
        queryset, key, Sum(column), DecimalField(max_digits=14, decimal_places=2), ZERO
    )


def _last_move(column, output_field):
    latest = AccompanimentTransition.objects.filter(accompaniment=OuterRef("pk")).order_by(
        "-at", "-pk"
    )
    return Subquery(latest.values(column)[:1], output_field=output_field)


def annotated(queryset, today):
    """Each accompaniment with the figures of its card, in the same query."""
    open_milestones = Milestone.objects.filter(status=Milestone.Status.OPEN)
    return queryset.select_related("structure__department", "referent", "support_point").annotate(
        milestones_open=_count(open_milestones),
        milestones_overdue=_count(Milestone.objects.filter(Milestone.overdue_q(today))),
        milestones_done=_count(Milestone.objects.filter(status=Milestone.Status.DONE)),
        obstacles_open=_count(RegulatoryObstacle.objects.filter(state__in=OPEN_OBSTACLE_STATES)),
        grant_awarded=_sum(SeedGrant.objects.all(), "amount"),
        grant_disbursed=_sum(Disbursement.objects.all(), "amount", key="grant__accompaniment"),
        funds_raised=_sum(FundraisingRound.objects.all(), "amount_raised"),
        funds_target=_sum(FundraisingRound.objects.all(), "target"),
        last_move_at=_last_move("at", DateTimeField()),
        last_move_source=_last_move("source", CharField()),
        last_move_target=_last_move("target", CharField()),
    )


@dataclass
class Card:
    """What the board shows of one accompanied structure."""

    accompaniment: Accompaniment
    stage_label: str
    paused_from_label: str
    entered_on: datetime.date
    days_in_stage: int
    milestones_open: int
    milestones_overdue: int
    milestones_done: int
    obstacles_open: int
    grant_awarded: Decimal
    grant_disbursed: Decimal
    funds_raised: Decimal
    funds_target: Decimal
    last_move_on: datetime.date | None
    last_move_label: str

    @property
    def pk(self):
        return self.accompaniment.pk

    @property
    def structure(self):
        return self.accompaniment.structure

    @property
    def referent(self):
        return self.accompaniment.referent


def make_card(accompaniment, today, labels):
    entered_on = timezone.localtime(accompaniment.stage_entered_at, PARIS).date()
    last_move_on, last_move_label = None, ""
    if accompaniment.last_move_at is not None:
        last_move_on = timezone.localtime(accompaniment.last_move_at, PARIS).date()
        last_move_label = _("%(source)s to %(target)s") % {
            "source": labels.get(accompaniment.last_move_source, accompaniment.last_move_source),
            "target": labels.get(accompaniment.last_move_target, accompaniment.last_move_target),
        }
    return Card(
        accompaniment=accompaniment,
        stage_label=labels[accompaniment.stage],
        paused_from_label=labels.get(accompaniment.paused_from, ""),
        entered_on=entered_on,
        days_in_stage=max((today - entered_on).days, 0),
        milestones_open=accompaniment.milestones_open,
        milestones_overdue=accompaniment.milestones_overdue,
        milestones_done=accompaniment.milestones_done,
        obstacles_open=accompaniment.obstacles_open,
        grant_awarded=euros(accompaniment.grant_awarded),
        grant_disbursed=euros(accompaniment.grant_disbursed),
        funds_raised=euros(accompaniment.funds_raised),
        funds_target=euros(accompaniment.funds_target),
        last_move_on=last_move_on,
        last_move_label=last_move_label,
    )


# --- totals


@dataclass
class Totals:
    structures: int
    grant_awarded: Decimal
    grant_disbursed: Decimal
    funds_raised: Decimal
    funds_target: Decimal
    per_stage: list  # (stage, label, count), every board stage
    per_department: list  # ("45 Loiret", count), most structures first

    @property
    def left_to_disburse(self):
        return self.grant_awarded - self.grant_disbursed

    @property
    def raised_percent(self):
        """Funds raised as a whole percentage of the targets; None without a target."""
        if not self.funds_target:
            return None
        return int((self.funds_raised * 100 / self.funds_target).quantize(1, ROUND_HALF_UP))


def totals(cards, labels):
    per_stage = dict.fromkeys((stage.value for stage in BOARD_STAGES), 0)
    per_department = {}
    for card in cards:
        per_stage[card.accompaniment.stage] += 1
        department = card.structure.department
        name = f"{department.code} {department.name}"
        per_department[name] = per_department.get(name, 0) + 1
    return Totals(
        structures=len(cards),
        grant_awarded=sum((card.grant_awarded for card in cards), ZERO),
        grant_disbursed=sum((card.grant_disbursed for card in cards), ZERO),
        funds_raised=sum((card.funds_raised for card in cards), ZERO),
        funds_target=sum((card.funds_target for card in cards), ZERO),
        per_stage=[(stage, labels[stage], count) for stage, count in per_stage.items()],
        per_department=sorted(per_department.items(), key=lambda item: (-item[1], item[0])),
    )


# --- progress over time


@dataclass
class Week:
    """How many structures were in each stage at the end of the week starting on `starts_on`
    (at the present moment for the current week)."""

    starts_on: datetime.date
    counts: dict  # stage value -> structures, every board stage

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def in_order(self):
        """The counts in the order of the board's columns."""
        return [self.counts[stage] for stage in BOARD_STAGES]


def monday(day):
    return day - datetime.timedelta(days=day.weekday())


def progress_series(starts, moves, first_day, now):
    """The cohort's weekly progress, from the week of `first_day` to the week of `now`.

    `starts` maps each accompaniment to its creation (it is in sourcing from then on); `moves` are
    its stage changes as (accompaniment, at, source, target), from the logs. A structure counts
    from its creation; before its first logged move it is in that move's source (sourcing, as every
    structure starts). Pure: the caller reads the logs in one query.
    """
    today = timezone.localtime(now, PARIS).date()
    history = {pk: ([], []) for pk in starts}  # times, stages after each time
    for pk, at, source, target in sorted(moves, key=lambda move: move[1]):
        if pk not in history:
            continue
        times, stages = history[pk]
        if not times:
            # Before its first move the structure was in the move's source.
            times.append(min(starts[pk], at))
            stages.append(source)
        times.append(at)
        stages.append(target)
    for pk, (times, stages) in history.items():
        if not times:
            times.append(starts[pk])
            stages.append(Stage.SOURCING.value)

    weeks = []
    week = monday(min(first_day, today))
    while week <= today:
        next_week = week + datetime.timedelta(days=7)
        cutoff = min(datetime.datetime.combine(next_week, datetime.time.min, PARIS), now)
        counts = dict.fromkeys((stage.value for stage in BOARD_STAGES), 0)
        for times, stages in history.values():
            # The last change strictly before the cutoff; none means not yet in the cohort.
            index = bisect.bisect_left(times, cutoff) - 1
            if index >= 0:
                counts[stages[index]] += 1
        weeks.append(Week(starts_on=week, counts=counts))
        week = next_week
    return weeks


def first_day(cohort, starts):
    """The first week of the chart: the cohort's start, else its first structure's arrival."""
    if cohort.starts_on:
        return cohort.starts_on
    if starts:
        return timezone.localtime(min(starts.values()), PARIS).date()
    return timezone.localdate()


# The chart's geometry, in SVG user units.
CHART_WIDTH, CHART_HEIGHT = 720, 260
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 40, 10, 10, 40


@dataclass
class Segment:
    stage: str
    label: str
    count: int
    y: float
    height: float
    colour: str


@dataclass
class Bar:
    week: Week
    x: float
    width: float
    segments: list
    label_x: float
    show_label: bool


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list
    ticks: list  # (value, y)
    legend: list  # (stage, label, colour), stages that appear at least once


def progress_chart(weeks, labels):
    """A stacked bar per week, stages stacked in the journey's order, for an inline SVG."""
    plot_width = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    top = max([week.total for week in weeks] + [1])
    step = max(1, math.ceil(top / 4))
    top = step * math.ceil(top / step)
    scale = plot_height / top
    slot = plot_width / max(len(weeks), 1)
    # At most about eight dates under the axis, whatever the number of weeks.
    label_every = max(1, math.ceil(len(weeks) / 8))
    bars = []
    for index, week in enumerate(weeks):
        base = PLOT_TOP + plot_height
        segments = []
        for stage in BOARD_STAGES:
            count = week.counts[stage]
            if not count:
                continue
            height = count * scale
            base -= height
            segments.append(
                Segment(
                    stage=stage.value,
                    label=labels[stage],
                    count=count,
                    y=round(base, 2),
                    height=round(height, 2),
                    colour=STAGE_COLOURS[stage],
                )
            )
        x = PLOT_LEFT + index * slot
        bars.append(
            Bar(
                week=week,
                x=round(x + slot * 0.1, 2),
                width=round(max(slot * 0.8, 1), 2),
                segments=segments,
                label_x=round(x + slot / 2, 2),
                show_label=index % label_every == 0,
            )
        )
    used = {stage for week in weeks for stage, count in week.counts.items() if count}
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=CHART_WIDTH - PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=PLOT_TOP + plot_height,
        bars=bars,
        ticks=[
            (value, round(PLOT_TOP + plot_height - value * scale, 2))
            for value in range(0, top + 1, step)
        ],
        legend=[
            (stage.value, labels[stage], STAGE_COLOURS[stage])
            for stage in BOARD_STAGES
            if stage in used
        ],
    )


# --- the board


@dataclass
class StageColumn:
    stage: str
    label: str
    colour: str
    cards: list


@dataclass
class Board:
    cohort: Cohort
    cards: list
    columns: list
    totals: Totals
    weeks: list
    chart: Chart


def seen(cohort, departments, department=None, referent=None):
    """The accompaniments of `cohort` the reader sees (`departments` from `territory`), filtered."""
    queryset = _in_territory(Accompaniment.objects.filter(cohort=cohort), departments)
    return filtered(queryset, department=department, referent=referent)


def cards_of(accompaniments, now=None):
    """The cards of `accompaniments` (a queryset), by structure name, in one query."""
    now = now or timezone.now()
    today = timezone.localtime(now, PARIS).date()
    labels = stage_labels()
    return [
        make_card(accompaniment, today, labels)
        for accompaniment in annotated(accompaniments, today)
    ]


def build_board(cohort, departments, department=None, referent=None, now=None):
    """The whole board, in two queries: the cards, then the stage-change logs of the chart."""
    now = now or timezone.now()
    labels = stage_labels()
    accompaniments = seen(cohort, departments, department=department, referent=referent)
    cards = cards_of(accompaniments, now=now)
    starts = {card.pk: card.accompaniment.created_at for card in cards}
    moves = (
        AccompanimentTransition.objects.filter(accompaniment__in=accompaniments.values("pk"))
        .order_by("at", "pk")
        .values_list("accompaniment_id", "at", "source", "target")
    )
    weeks = progress_series(starts, list(moves), first_day(cohort, starts), now)
    by_stage = {stage.value: [] for stage in BOARD_STAGES}
    for card in cards:
        by_stage[card.accompaniment.stage].append(card)
    columns = [
        StageColumn(stage.value, labels[stage], STAGE_COLOURS[stage], by_stage[stage])
        for stage in BOARD_STAGES
    ]
    return Board(
        cohort=cohort,
        cards=cards,
        columns=columns,
        totals=totals(cards, labels),
        weeks=weeks,
        chart=progress_chart(weeks, labels),
    )


# --- exports


def export_columns():
    """The export's columns, labelled in the active language."""
    T, INT, EUR, DAY = tabular.TEXT, tabular.INTEGER, tabular.MONEY, tabular.DATE
    C = tabular.Column
    return [
        C(_("Structure"), T, 32),
        C(_("SIRET"), T, 16),
        C(_("Département"), T, 20),
        C(_("Source"), T, 20),
        C(_("Référent"), T, 24),
        C(_("Support point"), T, 24),
        C(_("Stage"), T, 20),
        C(_("Days in stage"), INT, 12),
        C(_("Entered the stage on"), DAY, 14),
        C(_("Open milestones"), INT, 12),
        C(_("Overdue milestones"), INT, 12),
        C(_("Done milestones"), INT, 12),
        C(_("Seed grant awarded (€)"), EUR, 16),
        C(_("Seed grant disbursed (€)"), EUR, 16),
        C(_("Funds raised (€)"), EUR, 16),
        C(_("Fundraising target (€)"), EUR, 16),
        C(_("Open regulatory obstacles"), INT, 12),
    ]


def export_rows(cards):
    """One row per card, in the order of `export_columns`: texts, ints, Decimals and dates."""
    sources = {source.value: str(source.label) for source in Source}
    rows = []
    for card in cards:
        accompaniment = card.accompaniment
        structure = accompaniment.structure
        department = structure.department
        rows.append(
            [
                structure.name,
                structure.siret,
                f"{department.code} {department.name}",
                sources.get(accompaniment.source, accompaniment.source),
                accompaniment.referent.display_name if accompaniment.referent else "",
                accompaniment.support_point.name if accompaniment.support_point else "",
                card.stage_label,
                card.days_in_stage,
                card.entered_on,
                card.milestones_open,
                card.milestones_overdue,
                card.milestones_done,
                card.grant_awarded,
                card.grant_disbursed,
                card.funds_raised,
                card.funds_target,
                card.obstacles_open,
            ]
        )
    return rows
