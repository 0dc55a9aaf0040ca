"""The programme's impact page, the one a funder reads first: its headline figures with the period
they cover, and the same figures per cohort and per département, from the dashboards' grouped
queries (`impact_dashboards`), in a constant number of queries."""

from dataclasses import dataclass

from accelerator.domain.impact_dashboards import (
    Counts,
    Figure,
    Scope,
    Tally,
    counts,
    figures_from,
    period_of,
    tallies,
)
from accelerator.models import Cohort, Indicator

# The figures a funder reads first, by indicator code (the default catalogue's), in this order.
HEADLINE_CODES = ("jobs-fte", "people-reached", "funds-raised")


@dataclass
class Group:
    """A line of the programme's tables: a cohort or a département, its structures and its
    headline figures (in HEADLINE_CODES order, None where no structure reports it)."""

    key: object
    label: str
    counts: Counts
    headline: list
    cohort: Cohort | None = None


@dataclass
class ProgrammeImpact:
    counts: Counts
    headline_indicators: list  # the indicators of HEADLINE_CODES found in the catalogue
    headline: list  # their Figures, over the whole programme
    figures: list  # every indicator's Figure
    period: tuple  # (start, end) of the figures
    cohorts: list  # Groups
    departments: list  # Groups


def programme_impact(programme, today=None):
    """Everything the programme's impact page shows, in five queries: cohorts, catalogue,
    figures and plans grouped per cohort and département, structures grouped likewise."""
    scope = Scope(programme_id=programme.pk)
    cohorts = list(Cohort.objects.filter(programme=programme).order_by("-year", "name", "pk"))
    indicators = list(Indicator.objects.all())
    by_code = {indicator.code: indicator for indicator in indicators}
    headline_indicators = [by_code[code] for code in HEADLINE_CODES if code in by_code]
    by = ("cohort_id", "structure__department__code", "structure__department__name")
    tallied = tallies(scope, by)
    counted = counts(scope, by, today)

    def group_figures(position):
        groups = {}
        for (indicator_id, *key), tally in tallied.items():
            groups.setdefault((indicator_id, key[position]), Tally()).add(tally)
        return groups

    def headline(groups, key):
        return [
            Figure(indicator, groups[(indicator.pk, key)])
            if (indicator.pk, key) in groups
            else None
            for indicator in headline_indicators
        ]

    per_cohort, per_department, names, total = {}, {}, {}, Counts()
    for (cohort_id, code, name), group in counted.items():
        per_cohort.setdefault(cohort_id, Counts()).add(group)
        per_department.setdefault(code, Counts()).add(group)
        names[code] = f"{code} {name}"
        total.add(group)
    for _indicator_id, _cohort_id, code, name in tallied:
        names.setdefault(code, f"{code} {name}")
    cohort_figures, department_figures = group_figures(0), group_figures(1)
    all_figures = figures_from(tallied, indicators)
    found = {figure.indicator.pk: figure for figure in all_figures}
    return ProgrammeImpact(
        counts=total,
        headline_indicators=headline_indicators,
        headline=[
            found.get(indicator.pk) or Figure(indicator) for indicator in headline_indicators
        ],
        figures=all_figures,
        period=period_of(all_figures),
        cohorts=[
            Group(
                key=cohort.pk,
                label=str(cohort),
                counts=per_cohort.get(cohort.pk, Counts()),
                headline=headline(cohort_figures, cohort.pk),
                cohort=cohort,
            )
            for cohort in cohorts
        ],
        departments=[
            Group(
                key=code,
                label=names[code],
                counts=per_department.get(code, Counts()),
                headline=headline(department_figures, code),
            )
            for code in sorted(names)
        ],
    )
