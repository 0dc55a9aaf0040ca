"""Impact summaries as PDF documents: one accompanied structure's (its plan, its validated
figures over time, how far it is on its way, what it says of its last period) and one cohort's
(headline figures per indicator, structures on track or behind, a line per structure), in the
active language and French number and date forms, each read in a constant number of queries.

These are staff documents, handed to the structure, its référent, its support point and the
programme's funders: they hold figures the structure has not agreed to publish. Consent
(`ReportValue.public`) is read by the public site only; nothing here goes to a public page."""

from decimal import Decimal

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from accelerator.domain import pdf
from accelerator.domain.impact_dashboards import (
    Scope,
    counts,
    figures,
    period_of,
    standing,
    structure_lines,
)
from accelerator.domain.impact_progress import expected_at
from accelerator.domain.impact_reports import current_reports_q
from accelerator.domain.impact_values import display_value
from accelerator.models import (
    Aggregation,
    ImpactReport,
    PlannedIndicator,
    ReportValue,
)

DASH = "—"


# --- words and figures as the reader reads them


def _progress(flag):
    """Whether a figure is where the plan expects it, in words (never colour alone)."""
    if flag is None:
        return DASH
    return _("On track") if flag else _("Behind")


def _figure(indicator, number, text=""):
    shown = display_value(indicator, number, text)
    return shown if shown != "" else DASH


def _rounded(number):
    """An expected figure to two decimals: a point on a straight path, not a measure."""
    return number.quantize(Decimal("0.01"))


def _name(indicator):
    return f"{indicator.name} ({indicator.unit})" if indicator.unit.strip() else indicator.name


def _report_label(report):
    label = (_("Report %(number)s (final)") if report.is_final else _("Report %(number)s")) % {
        "number": report.number
    }
    if report.version > 1:
        label += " · " + _("version %(version)s") % {"version": report.version}
    return label


def _reported(indicator, value):
    if value is None:
        return DASH
    if value.not_measured:
        reason = value.not_measured_reason.strip()
        return _("Not measured: %(reason)s") % {"reason": reason} if reason else _("Not measured")
    return _figure(indicator, value.value, value.text)


def _point(indicator, number, text, day):
    """A baseline or target: its figure and, beneath it, its date."""
    shown = _figure(indicator, number, text)
    return f"{shown}\n{pdf.day(day)}" if day and shown != DASH else shown


def _covered(reports):
    """The period the figures of `reports` cover, from the first start to the last end."""
    if not reports:
        return _("No validated report yet.")
    return pdf.period(min(r.period_start for r in reports), max(r.period_end for r in reports))


def file_stem(name, day=None):
    """“impact-<name>-2026-12-03”: a file name every system accepts."""
    day = day or timezone.localdate()
    return f"impact-{slugify(name) or 'summary'}-{day:%Y-%m-%d}"


# --- one structure's summary


def _summary_data(accompaniment):
    """The plan's lines, the reports in force (oldest period first) and their values: three
    queries."""
    lines = list(
        PlannedIndicator.objects.filter(plan__accompaniment=accompaniment)
        .select_related("indicator", "plan")
        .order_by("position", "pk")
    )
    reports = list(
        ImpactReport.objects.filter(current_reports_q(), accompaniment=accompaniment).order_by(
            "period_end", "number"
        )
    )
    values = ReportValue.objects.filter(report__in=[r.pk for r in reports])
    return lines, reports, {(v.report_id, v.indicator_id): v for v in values}


def _accompaniment_facts(accompaniment, plan, reports, now):
    structure = accompaniment.structure
    department = structure.department
    covered = _covered(reports)
    agreed = _("Not yet agreed")
    if plan is not None and plan.is_agreed:
        agreed = pdf.day(timezone.localdate(max(plan.structure_agreed_at, plan.staff_agreed_at)))
    return pdf.facts_table(
        [
            (_("Structure"), structure.name),
            (_("SIREN or SIRET"), structure.siret),
            (_("Département"), f"{department.name} ({department.code})"),
            (_("Cohort"), str(accompaniment.cohort)),
            (_("Programme"), accompaniment.cohort.programme.name),
            (_("Référent"), accompaniment.referent.display_name if accompaniment.referent else ""),
            (_("Period covered"), covered),
            (_("Impact plan agreed on"), agreed),
            (_("Generated on"), pdf.moment(now)),
        ]
    )


def _plan_table(lines, reports, values):
    """The plan, one line per indicator: baseline, target, the latest validated figure and
    whether it is on track."""
    rows = []
    for line in lines:
        indicator = line.indicator
        measured = [values.get((report.pk, indicator.pk)) for report in reports]
        measured = [value for value in measured if value and not value.not_measured]
        latest = measured[-1] if measured else None
        rows.append(
            [
                _name(indicator),
                _point(indicator, line.baseline_value, line.baseline_text, line.baseline_on),
                _point(indicator, line.target_value, line.target_text, line.target_on),
                _reported(indicator, latest),
                _progress(latest.on_track if latest else None),
            ]
        )
    header = [_("Indicator"), _("Baseline"), _("Target"), _("Latest figure"), _("Progress")]
    return pdf.data_table(header, rows, [58 * mm, 28 * mm, 28 * mm, 28 * mm, 28 * mm], (1, 2, 3))


def _values_over_time(lines, reports, values):
    """Per indicator, its validated figures period by period, beside what the plan expected."""
    story = []
    header = [_("Report"), _("Period"), _("Value"), _("Expected"), _("Progress")]
    for line in lines:
        indicator = line.indicator
        rows = []
        for report in reports:
            value = values.get((report.pk, indicator.pk))
            expected = expected_at(line, report.period_end) if indicator.is_numeric else None
            rows.append(
                [
                    _report_label(report),
                    pdf.period(report.period_start, report.period_end),
                    _reported(indicator, value),
                    _figure(indicator, _rounded(expected)) if expected is not None else DASH,
                    _progress(value.on_track if value else None),
                ]
            )
        story.append(pdf.paragraph(_name(indicator), "label"))
        widths = [32 * mm, 52 * mm, 32 * mm, 26 * mm, 28 * mm]
        story.append(pdf.data_table(header, rows, widths, (2, 3)))
    return story


def _narrative(reports):
    if not reports:
        return []
    last = reports[-1]
    story = [
        pdf.paragraph(_("What the structure says"), "section"),
        pdf.paragraph(
            f"{_report_label(last)} · {pdf.period(last.period_start, last.period_end)}", "intro"
        ),
    ]
    paragraphs = [text for text in last.narrative.split("\n\n") if text.strip()]
    if not paragraphs:
        return [*story, pdf.paragraph(_("No narrative."), "empty")]
    return story + [pdf.paragraph(text.strip(), "answer") for text in paragraphs]


def accompaniment_summary_pdf(accompaniment, language=None, now=None):
    """The impact summary of one accompanied structure as PDF bytes, in `language` (the
    active one by default). Select_related the cohort's programme, the structure's département
    and the référent to read nothing more than the three queries of its figures."""
    language = language or translation.get_language()
    lines, reports, values = _summary_data(accompaniment)
    plan = lines[0].plan if lines else None
    with translation.override(language):
        structure = accompaniment.structure
        title = _("Impact summary")
        story = [
            pdf.paragraph(structure.name, "title"),
            pdf.paragraph(f"{title} · {accompaniment.cohort}", "subtitle"),
            _accompaniment_facts(accompaniment, plan, reports, now or timezone.now()),
            pdf.paragraph(
                _(
                    "Figures from the validated reports in force. A document for the programme "
                    "and the structure: it may hold figures the structure has not agreed to "
                    "publish."
                ),
                "intro",
            ),
            pdf.paragraph(_("Impact plan"), "section"),
        ]
        if lines:
            story.append(_plan_table(lines, reports, values))
            story.append(pdf.paragraph(_("Reported values over time"), "section"))
            if reports:
                story.extend(_values_over_time(lines, reports, values))
            else:
                story.append(pdf.paragraph(_("No validated report yet."), "empty"))
        else:
            story.append(pdf.paragraph(_("No indicator planned yet."), "empty"))
        story.extend(_narrative(reports))
        return pdf.build(
            story,
            title=f"{title} · {structure.name}",
            subject=str(accompaniment.cohort),
            footer=f"{title} · {structure.name}",
            language=language,
        )


# --- a cohort's summary


def _headline_table(figures):
    """Per indicator: its total or mean as the dashboards add it up, how many structures report
    it, on track, behind."""
    labels = {
        Aggregation.SUM: _("Total"),
        Aggregation.MEAN: _("Mean"),
        Aggregation.NONE: _("Not added up"),
    }
    rows = [
        [
            _name(figure.indicator),
            labels[figure.aggregation],
            figure.shown or DASH,
            *(
                pdf.number(getattr(figure.tally, key))
                for key in ("reporting", "on_track", "behind")
            ),
        ]
        for figure in figures
    ]
    header = [_("Indicator"), _("Aggregation"), _("Figure"), _("Structures"), _("On track")]
    widths = [52 * mm, 26 * mm, 30 * mm, 20 * mm, 21 * mm, 21 * mm]
    return pdf.data_table([*header, _("Behind")], rows, widths, (2, 3, 4, 5))


def _structure_table(lines):
    rows = []
    for line in lines:
        department = line.structure.department
        rows.append(
            [
                line.structure.name,
                f"{department.name} ({department.code})",
                pdf.day(line.last_report_period_end) or DASH,
                pdf.number(line.late_reports),
                str(standing(line).label),
            ]
        )
    header = [_("Structure"), _("Département"), _("Last validated period ends")]
    header += [_("Late reports"), _("Progress")]
    widths = [50 * mm, 32 * mm, 32 * mm, 20 * mm, 36 * mm]
    return pdf.data_table(header, rows, widths, (3,))


def cohort_summary_pdf(cohort, language=None, now=None):
    """The impact summary of a cohort as PDF bytes, in `language` (the active one by
    default): what a funder reads first, with the dashboards' figures (`impact_dashboards`) in
    their constant number of queries."""
    language = language or translation.get_language()
    scope = Scope(cohort_id=cohort.pk)
    with translation.override(language):
        figures_ = figures(scope)
        lines = list(structure_lines(scope))
        total = counts(scope)[()]
        start, end = period_of(figures_)
        title = _("Impact summary")
        story = [
            pdf.paragraph(str(cohort), "title"),
            pdf.paragraph(f"{title} · {cohort.programme.name}", "subtitle"),
            pdf.facts_table(
                [
                    (_("Programme"), cohort.programme.name),
                    (_("Cohort"), str(cohort)),
                    (
                        _("Period covered"),
                        pdf.period(start, end) if start else _("No validated report yet."),
                    ),
                    (_("Structures accompanied"), pdf.number(total.structures)),
                    (_("Structures with validated figures"), pdf.number(total.reporting)),
                    (_("Structures on track"), pdf.number(total.on_track)),
                    (_("Structures behind"), pdf.number(total.behind)),
                    (_("Structures with a late report"), pdf.number(total.late)),
                    (_("Generated on"), pdf.moment(now or timezone.now())),
                ]
            ),
            pdf.paragraph(
                _(
                    "Each structure's latest validated figure of each indicator, added up or "
                    "averaged as the indicator allows. A document for the programme: it may hold "
                    "figures the structures have not agreed to publish."
                ),
                "intro",
            ),
            pdf.paragraph(_("Headline figures"), "section"),
        ]
        if figures_:
            story.append(_headline_table(figures_))
        else:
            story.append(pdf.paragraph(_("No validated report yet."), "empty"))
        story.append(pdf.paragraph(_("Structures"), "section"))
        if lines:
            story.append(_structure_table(lines))
        else:
            story.append(pdf.paragraph(_("No structure in this cohort yet."), "empty"))
        return pdf.build(
            story,
            title=f"{title} · {cohort}",
            subject=cohort.programme.name,
            footer=f"{title} · {cohort}",
            language=language,
        )
