"""The impact dashboards cost the same number of queries with 1 structure and with 60: the
figures are added up in the database and the structures list is annotated and paginated. The
reports and values are written directly (bulk_create), their latest flags by `mark_latest`."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accelerator.domain.impact_reports import mark_latest
from accelerator.models import (
    Accompaniment,
    ImpactPlan,
    ImpactReport,
    PlannedIndicator,
    ReportState,
    ReportValue,
    Stage,
    Structure,
)
from tests import factories
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.impact.world import indicator

CODES = ("jobs-fte", "people-reached", "own-revenue-share")
START = datetime.date(2026, 1, 1)
DEPARTMENTS = (("45", "Loiret"), ("18", "Cher"), ("37", "Indre-et-Loire"))


def fill(cohort, count, referent):
    """`count` structures in impact measurement, with a plan of three indicators, two validated
    reports (the second one's figures the latest) and a third one late (its quarter ended in
    2026), spread over three départements."""
    indicators = [indicator(code) for code in CODES]
    departments = [factories.department(*pair) for pair in DEPARTMENTS]
    offset = Structure.objects.count()
    structures = Structure.objects.bulk_create(
        Structure(
            name=f"Structure {offset + n:03d}",
            legal_form="association",
            siret=factories.valid_siret(500000 + offset + n),
            department=departments[n % len(departments)],
            creation_year=2015,
        )
        for n in range(count)
    )
    accompaniments = Accompaniment.objects.bulk_create(
        Accompaniment(
            cohort=cohort,
            structure=structure,
            source="call",
            referent=referent,
            stage=Stage.IMPACT_MEASUREMENT,
        )
        for structure in structures
    )
    plans = ImpactPlan.objects.bulk_create(ImpactPlan(accompaniment=a) for a in accompaniments)
    PlannedIndicator.objects.bulk_create(
        PlannedIndicator(
            plan=plan,
            indicator=item,
            baseline_value=Decimal(10),
            baseline_on=START,
            target_value=Decimal(20),
            target_on=START + datetime.timedelta(days=365),
        )
        for plan in plans
        for item in indicators
    )
    reports = ImpactReport.objects.bulk_create(
        ImpactReport(
            accompaniment=a,
            number=number,
            period_start=START + datetime.timedelta(days=90 * (number - 1)),
            period_end=START + datetime.timedelta(days=90 * number - 1),
            due_on=START + datetime.timedelta(days=90 * number + 29),
            state=ReportState.VALIDATED if number < 3 else ReportState.DUE,
        )
        for a in accompaniments
        for number in (1, 2, 3)
    )
    ReportValue.objects.bulk_create(
        ReportValue(
            report=report,
            indicator=item,
            value=Decimal(5 + n % 30),
            on_track=(n % 3 == 0) if n % 5 else None,
        )
        for n, report in enumerate(r for r in reports if r.state == ReportState.VALIDATED)
        for item in indicators
    )
    for accompaniment in accompaniments:
        mark_latest(accompaniment.pk)
    return accompaniments


@pytest.fixture
def referent(db):
    return factories.StaffFactory()


@pytest.mark.parametrize(
    "url_name, query",
    [
        ("accelerator:cohort_impact", {}),
        ("accelerator:cohort_impact", {"department": "45"}),
        ("accelerator:programme_impact", {}),
    ],
)
def test_the_dashboards_run_as_many_queries_for_1_and_60_structures(
    referent, client_for, django_assert_num_queries, url_name, query
):
    cohort = make_cohort()
    fill(cohort, 1, referent)
    pk = cohort.programme_id if url_name.endswith("programme_impact") else cohort.pk
    url = reverse(url_name, kwargs={"pk": pk})
    client = client_for(referent)
    client.get(url, query)  # the session and the caches warmed
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, query).status_code == 200
    expected = len(one)
    fill(cohort, 59, referent)
    # A second cohort of the same programme: the programme page groups per cohort.
    fill(make_cohort(name="Cohorte B"), 3, referent)
    client.get(url, query)  # what the new rows made the cache forget is read again
    with django_assert_num_queries(expected):
        response = client.get(url, query)
    assert response.status_code == 200
    html = response.content.decode()
    if url_name.endswith("cohort_impact"):
        # 60 structures, 21 of them in Loiret (the first, then one in three), 25 a page; each
        # has a late report.
        shown = 21 if query else 60
        assert html.count("<tr data-accompaniment=") == min(shown, 25)
        assert ("Page 1 of 3" in html) is not bool(query)
        assert f'data-count="late">{shown}<' in html
    else:
        assert html.count('data-group="') == 2 + len(DEPARTMENTS)
