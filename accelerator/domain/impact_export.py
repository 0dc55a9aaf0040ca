"""A cohort's impact reports as a spreadsheet: its columns and one row per structure, indicator
and period, for CSV and XLSX (`tabular`), read in three queries whatever the cohort's size.

Which reports: for each period of each structure, the version in force when the period's report
is validated (a correction under way does not replace it until it is validated itself, as on the
dashboards), otherwise the period's latest version, whatever its state (due, draft, submitted,
changes requested): staff follow the collection from this file, and the "report state" column
says which figures are validated. Superseded versions never appear. `in_force_only` keeps the
validated reports in force alone.

These are staff documents: they hold figures the structure has not agreed to publish. Consent
(`ReportValue.public`) is read by the public site only; nothing here ever goes to a public page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain import tabular
from accelerator.models import (
    ImpactReport,
    PlannedIndicator,
    ReportState,
    ReportValue,
    ValueType,
)


def export_columns():
    """The export's columns, labelled in the active language."""
    T, INT, NUM, DAY = tabular.TEXT, tabular.INTEGER, tabular.NUMBER, tabular.DATE
    C = tabular.Column
    return [
        C(_("Structure"), T, 32),
        C(_("SIRET"), T, 16),
        C(_("Département"), T, 20),
        C(_("Cohort"), T, 24),
        C(_("Indicator code"), T, 18),
        C(_("Indicator"), T, 32),
        C(_("Unit"), T, 10),
        C(_("Report number"), INT, 10),
        C(_("Version"), INT, 8),
        C(_("Final report"), T, 8),
        C(_("Period start"), DAY, 12),
        C(_("Period end"), DAY, 12),
        C(_("Report state"), T, 18),
        C(_("Value"), NUM, 14),
        C(_("Not measured"), T, 10),
        C(_("Why not measured"), T, 32),
        C(_("Baseline"), NUM, 12),
        C(_("Target"), NUM, 12),
        C(_("On track"), T, 10),
        C(_("Validated on"), DAY, 12),
    ]


def unit_of(indicator):
    """The unit figures of `indicator` are counted in ("€" and "%" when staff left it blank)."""
    if indicator.unit.strip():
        return indicator.unit.strip()
    return {ValueType.MONEY: "€", ValueType.PERCENTAGE: "%"}.get(indicator.value_type, "")


class Words:
    """The words of the rows, translated when the export is asked for: the CSV rows are written
    as the response streams, after the view has returned."""

    def __init__(self):
        self.yes, self.no = _("Yes"), _("No")
        self.states = {state.value: str(state.label) for state in ReportState}

    def yes_no(self, flag):
        if flag is None:
            return ""
        return self.yes if flag else self.no


def cell_value(indicator, number, text="", words=None):
    """A figure as a spreadsheet holds it: a number in the indicator's unit, "Yes"/"No" for a
    yes-or-no indicator, the words of a text indicator; None when there is none."""
    if indicator.value_type == ValueType.TEXT:
        return text or None
    if number is None:
        return None
    if indicator.value_type == ValueType.YES_NO:
        return (words or Words()).yes_no(bool(number))
    return number


def exported_reports(cohort, in_force_only=False):
    """The cohort's reports the export shows, one per structure and period, by structure name
    then period (see the module's docstring for which version)."""
    reports = (
        ImpactReport.objects.filter(accompaniment__cohort=cohort, superseded_at__isnull=True)
        .select_related("accompaniment__structure__department", "accompaniment__cohort")
        .order_by("accompaniment__structure__name", "accompaniment_id", "number", "version")
    )
    chosen = {}
    for report in reports:
        key = (report.accompaniment_id, report.number)
        held = chosen.get(key)
        if held is not None and held.state == ReportState.VALIDATED:
            continue
        chosen[key] = report
    shown = chosen.values()
    if in_force_only:
        shown = [report for report in shown if report.state == ReportState.VALIDATED]
    return list(shown)


def export_rows(cohort, in_force_only=False):
    """The rows of `export_columns` for the cohort's reports: for each report, one row per
    indicator of the structure's plan (in the plan's order), then any indicator the report
    holds that the plan has dropped since. Texts, ints, Decimals and dates."""
    reports = exported_reports(cohort, in_force_only)
    lines = {}
    for line in (
        PlannedIndicator.objects.filter(plan__accompaniment__cohort=cohort)
        .select_related("plan", "indicator")
        .order_by("plan_id", "position", "pk")
    ):
        lines.setdefault(line.plan.accompaniment_id, []).append(line)
    values = {}
    for value in ReportValue.objects.filter(
        report__accompaniment__cohort=cohort, report__superseded_at__isnull=True
    ).select_related("indicator"):
        values.setdefault(value.report_id, {})[value.indicator_id] = value
    return _rows(reports, lines, values, Words())


def _rows(reports, lines, values, words):
    for report in reports:
        accompaniment = report.accompaniment
        structure = accompaniment.structure
        department = structure.department
        plan = {line.indicator_id: line for line in lines.get(accompaniment.pk, [])}
        given = values.get(report.pk, {})
        indicators = [line.indicator for line in plan.values()]
        indicators += [v.indicator for k, v in given.items() if k not in plan]
        validated_on = (
            timezone.localdate(report.validated_at)
            if report.state == ReportState.VALIDATED and report.validated_at
            else None
        )
        for indicator in indicators:
            line = plan.get(indicator.pk)
            value = given.get(indicator.pk)
            yield [
                structure.name,
                structure.siret,
                f"{department.code} {department.name}",
                str(accompaniment.cohort),
                indicator.code,
                indicator.name,
                unit_of(indicator),
                report.number,
                report.version,
                words.yes_no(report.is_final),
                report.period_start,
                report.period_end,
                words.states.get(report.state, report.state),
                cell_value(indicator, value.value, value.text, words) if value else None,
                words.yes_no(value.not_measured) if value else "",
                value.not_measured_reason if value else "",
                cell_value(indicator, line.baseline_value, line.baseline_text, words)
                if line
                else None,
                cell_value(indicator, line.target_value, line.target_text, words) if line else None,
                words.yes_no(value.on_track) if value else "",
                validated_on,
            ]
