"""What an accompaniment's impact page shows, read in a constant number of queries: its plan (each
planned indicator with its baseline, target and every validated value over time, as a chart and
a table), its reports with the late ones, and the impact flags of the journey pages."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef
from django.utils import timezone

from accelerator.domain.impact_chart import Mark, indicator_chart
from accelerator.domain.impact_plans import missing_for_agreement, plan_of
from accelerator.domain.impact_reports import current_reports_q, late_reports
from accelerator.domain.impact_values import display_value
from accelerator.models import (
    Accompaniment,
    ImpactPlan,
    ImpactReport,
    ReportValue,
    Stage,
)

# The stages in which an accompaniment's impact page is worth a link even with nothing on it.
IMPACT_STAGES = [Stage.IMPACT_MEASUREMENT, Stage.ALUMNI]


@dataclass
class Reading:
    """One validated value of a planned indicator: the report (in force) it comes from."""

    report: ImpactReport
    value: ReportValue
    shown: str

    @property
    def day(self):
        return self.report.period_end

    @property
    def on_track(self):
        return self.value.on_track


@dataclass
class PlanRow:
    """A line of the plan as the page shows it: its values in words, its readings over time and,
    for a numeric indicator, its chart."""

    line: object
    baseline: str
    target: str
    readings: list = field(default_factory=list)
    chart: object = None

    @property
    def indicator(self):
        return self.line.indicator


@dataclass
class ImpactPage:
    accompaniment: Accompaniment
    plan: ImpactPlan | None
    rows: list
    missing: list  # what the plan lacks before it can be agreed
    reports: list  # every version, in order; each has `.late`
    late: list  # the late ones, oldest due first
    today: datetime.date

    @property
    def numeric_rows(self):
        return [row for row in self.rows if row.indicator.is_numeric]

    @property
    def oldest_late(self):
        return self.late[0].due_on if self.late else None


def _mark(indicator, number, day, text="", behind=None):
    if number is None or day is None:
        return None
    return Mark(day=day, value=number, label=display_value(indicator, number, text), behind=behind)


def _chart(row):
    indicator, line = row.indicator, row.line
    reported = [
        _mark(
            indicator,
            reading.value.value,
            reading.day,
            behind=None if reading.on_track is None else not reading.on_track,
        )
        for reading in row.readings
    ]
    return indicator_chart(
        [mark for mark in reported if mark is not None],
        baseline=_mark(indicator, line.baseline_value, line.baseline_on),
        target=_mark(indicator, line.target_value, line.target_on),
        tick_label=lambda value: display_value(indicator, value),
    )


def impact_page(accompaniment, today=None):
    """The page's data: four queries with a plan (plan, lines, reports, values), whatever the
    number of indicators and reports."""
    today = today or timezone.localdate()
    plan = plan_of(accompaniment)
    reports = list(ImpactReport.objects.filter(accompaniment=accompaniment))
    for report in reports:
        report.late = report.is_late(today)
    by_pk = {report.pk: report for report in reports}
    lines = plan.line_list if plan is not None else []
    values = {}
    if lines:
        # The figures of the reports in force only: a corrected version gives way to its
        # correction once that is validated.
        for value in ReportValue.objects.filter(
            current_reports_q("report__"), report__accompaniment=accompaniment
        ).order_by("report__period_end", "pk"):
            values.setdefault(value.indicator_id, []).append(value)
    rows = []
    for line in lines:
        indicator = line.indicator
        row = PlanRow(
            line=line,
            baseline=display_value(indicator, line.baseline_value, line.baseline_text),
            target=display_value(indicator, line.target_value, line.target_text),
        )
        for value in values.get(indicator.pk, []):
            report = by_pk[value.report_id]
            value.report = report
            shown = display_value(indicator, value.value, value.text)
            row.readings.append(Reading(report=report, value=value, shown=shown))
        if indicator.is_numeric:
            row.chart = _chart(row)
        rows.append(row)
    return ImpactPage(
        accompaniment=accompaniment,
        plan=plan,
        rows=rows,
        missing=missing_for_agreement(plan) if plan is not None else [],
        reports=reports,
        late=sorted((r for r in reports if r.late), key=lambda r: (r.due_on, r.pk)),
        today=today,
    )


@dataclass
class ImpactFlag:
    """What a journey page says of an accompaniment's impact: whether to link to its impact page,
    and how many of its reports are late, the oldest due when."""

    link: bool = False
    late_count: int = 0
    oldest_due: datetime.date | None = None


def impact_flags(accompaniments, today=None):
    """{accompaniment pk: ImpactFlag} for `accompaniments` (objects): two queries, whatever their
    number."""
    accompaniments = list(accompaniments)
    if not accompaniments:
        return {}
    pks = [accompaniment.pk for accompaniment in accompaniments]
    late = {
        row["accompaniment_id"]: row
        for row in late_reports(pks, today)
        .order_by()
        .values("accompaniment_id")
        .annotate(count=Count("pk"), oldest=Min("due_on"))
    }
    with_impact = set(
        Accompaniment.objects.filter(pk__in=pks)
        .filter(
            Exists(ImpactPlan.objects.filter(accompaniment=OuterRef("pk")))
            | Exists(ImpactReport.objects.filter(accompaniment=OuterRef("pk")))
        )
        .values_list("pk", flat=True)
    )
    flags = {}
    for accompaniment in accompaniments:
        row = late.get(accompaniment.pk, {})
        flags[accompaniment.pk] = ImpactFlag(
            link=accompaniment.pk in with_impact or accompaniment.stage in IMPACT_STAGES,
            late_count=row.get("count", 0),
            oldest_due=row.get("oldest"),
        )
    return flags
