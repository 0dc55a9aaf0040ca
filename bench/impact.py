"""Benchmark of the impact dashboards (issue 10): a cohort of 1,000 structures reporting 10
indicators over 8 periods, and a cohort of 15 to compare with, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor .venv/bin/python bench/impact.py

It creates a dedicated database (`essor_bench_impact`, or BENCH_DATABASE), migrates it, fabricates
two programmes, each with one cohort: a small one (BENCH_SMALL structures, 15 by default) and a
large one (BENCH_STRUCTURES, 1,000 by default). Then it asks, as a staff user with Django's test
client, for the cohort's impact dashboard (first page of the structures, then filtered to one
département) and the programme's impact page of each, REQUESTS times after a warm-up, and prints
the server time (median and p95) and the query count of each page at both sizes. It drops the
database afterwards (kept when BENCH_KEEP is set). Exit status 0 when every page's query count is
the same at both sizes and the large pages' p95 is under the target (500 ms), 1 when not, 2 when
DATABASE_URL is not PostgreSQL.

The data is written with bulk_create, as a fixture would (going through the forms and the
report machine for 8,000 reports would take many minutes and measure nothing of the
dashboards): per structure an agreed plan of the ten default indicators, eight quarterly reports
validated with a value per indicator (on track, behind or with nothing to compare with), except
one structure in twenty whose eighth report is a late draft. The latest flags are set as
`mark_latest` sets them: the eighth report's values, or the seventh's where the eighth is not
validated.
"""

import datetime
import logging
import os
import random
import statistics
import sys
import time
from decimal import Decimal

from common import analyze, percentile, refuse_without_postgresql, throwaway_database

LARGE = int(os.environ.get("BENCH_STRUCTURES", 1000))
SMALL = int(os.environ.get("BENCH_SMALL", 15))
PERIODS = 8
REQUESTS = 20
TARGET_P95_MS = 500
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "essor_bench_impact")
DEPARTMENTS = [
    ("18", "Cher"),
    ("28", "Eure-et-Loir"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("41", "Loir-et-Cher"),
    ("45", "Loiret"),
]


def fabricate_cohort(rng, name, count, first_siret, departments, indicators):
    """A programme with one cohort of `count` structures in impact measurement, their plans,
    reports and values; returns the cohort."""
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from accelerator.models import (
        Accompaniment,
        Cohort,
        ImpactPlan,
        ImpactReport,
        LegalForm,
        PlannedIndicator,
        Programme,
        ReportState,
        ReportValue,
        Stage,
        Structure,
    )

    now = timezone.now()
    today = timezone.localdate()
    programme = Programme.objects.create(name=f"Programme {name}", slug=f"bench-{name}")
    cohort = Cohort.objects.create(programme=programme, name=f"Cohorte {name}", year=2025)
    structures = Structure.objects.bulk_create(
        Structure(
            name=f"Structure {name} {n:04d}",
            legal_form=LegalForm.ASSOCIATION,
            siret=_siret(first_siret + n),
            department=departments[n % len(departments)],
            creation_year=2015,
            annual_budget=Decimal("120000.00"),
            employees=4,
        )
        for n in range(count)
    )
    accompaniments = Accompaniment.objects.bulk_create(
        Accompaniment(cohort=cohort, structure=s, source="call", stage=Stage.IMPACT_MEASUREMENT)
        for s in structures
    )
    # Eight quarters ending last month: the eighth report is due, and late where not validated.
    first_day = (today.replace(day=1) - relativedelta(months=3 * PERIODS)).replace(day=1)
    baseline_on, target_on = first_day, first_day + relativedelta(months=3 * PERIODS)
    plans = ImpactPlan.objects.bulk_create(
        ImpactPlan(accompaniment=a, structure_agreed_at=now, staff_agreed_at=now)
        for a in accompaniments
    )
    PlannedIndicator.objects.bulk_create(
        (
            PlannedIndicator(
                plan=plan,
                indicator=indicator,
                baseline_value=Decimal(rng.randint(0, 50)),
                baseline_on=baseline_on,
                target_value=Decimal(rng.randint(60, 120)),
                target_on=target_on,
                position=position,
            )
            for plan in plans
            for position, indicator in enumerate(indicators)
        ),
        batch_size=5000,
    )
    # One structure in twenty has not sent its eighth report: a late draft.
    late = {a.pk for n, a in enumerate(accompaniments) if n % 20 == 0}
    reports = []
    for a in accompaniments:
        for number in range(1, PERIODS + 1):
            start = first_day + relativedelta(months=3 * (number - 1))
            end = first_day + relativedelta(months=3 * number) - datetime.timedelta(days=1)
            validated = not (number == PERIODS and a.pk in late)
            reports.append(
                ImpactReport(
                    accompaniment=a,
                    number=number,
                    is_final=number == PERIODS,
                    period_start=start,
                    period_end=end,
                    due_on=end + datetime.timedelta(days=30),
                    state=ReportState.VALIDATED if validated else ReportState.DRAFT,
                    validated_at=now if validated else None,
                )
            )
    reports = ImpactReport.objects.bulk_create(reports, batch_size=5000)
    tracks = [True, True, False, None]
    values = []
    for report in reports:
        latest_number = PERIODS - 1 if report.accompaniment_id in late else PERIODS
        validated = report.state == ReportState.VALIDATED
        for indicator in indicators:
            values.append(
                ReportValue(
                    report=report,
                    indicator=indicator,
                    value=Decimal(rng.randint(0, 150)),
                    on_track=rng.choice(tracks) if validated else None,
                    is_latest=report.number == latest_number,
                )
            )
    ReportValue.objects.bulk_create(values, batch_size=10000)
    return cohort


def _siret(n):
    from tests import factories

    return factories.valid_siret(n)


def fabricate(rng):
    from accelerator.models import Indicator, User
    from tests import factories

    departments = [factories.department(code, name) for code, name in DEPARTMENTS]
    indicators = list(Indicator.objects.order_by("position")[:10])
    small = fabricate_cohort(rng, "petite", SMALL, 300000, departments, indicators)
    large = fabricate_cohort(rng, "grande", LARGE, 400000, departments, indicators)
    staff = User.objects.create(email="staff@bench.example.org", is_staff=True)
    return {"small": small, "large": large, "staff": staff, "indicators": len(indicators)}


def time_page(client, url, query=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm = client.get(url, query or {})
    assert warm.status_code == 200, (url, warm.status_code)
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url, query or {})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url, query or {})
    if os.environ.get("BENCH_VERBOSE"):
        # The slowest queries of the page, to read with EXPLAIN ANALYZE (BENCH_KEEP=1).
        for captured in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"    {float(captured['time']) * 1000:.1f} ms  {captured['sql'][:300]}")
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": len(queries),
        "sql_ms": sum(float(q["time"]) * 1000 for q in queries.captured_queries),
        "slowest_sql_ms": max(float(q["time"]) * 1000 for q in queries.captured_queries),
        "kib": len(warm.content) // 1024,
    }


def measure(data):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(data["staff"])
    figures = {}
    for size in ("small", "large"):
        cohort = data[size]
        cohort_url = reverse("accelerator:cohort_impact", kwargs={"pk": cohort.pk})
        programme_url = reverse("accelerator:programme_impact", kwargs={"pk": cohort.programme_id})
        figures[size] = {
            "cohort dashboard": time_page(client, cohort_url),
            "cohort dashboard, one département": time_page(
                client, cohort_url, {"department": "45"}
            ),
            "programme page": time_page(client, programme_url),
        }
    return figures


def main():
    refuse_without_postgresql("impact.py", DATABASE_NAME)
    import django

    django.setup()
    from django.conf import settings

    # Page and task logs of the fabrication would bury the figures.
    logging.disable(logging.INFO)
    # Not setup_test_environment(): its instrumented template rendering would add to the time.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with throwaway_database(DATABASE_NAME) as connection:
        started = time.perf_counter()
        data = fabricate(random.Random(2026))
        analyze(connection)
        values = (SMALL + LARGE) * data["indicators"] * PERIODS
        print(
            f"Fabricated {SMALL} and {LARGE} structures × {data['indicators']} indicators × "
            f"{PERIODS} periods ({values:,} reported values) in "
            f"{time.perf_counter() - started:.1f} s."
        )
        figures = measure(data)
    met = True
    print(f"Server time over {REQUESTS} requests after a warm-up, and SQL queries per request:")
    for page in figures["small"]:
        small, large = figures["small"][page], figures["large"][page]
        same = small["queries"] == large["queries"]
        fast = large["p95"] < TARGET_P95_MS
        met = met and same and fast
        print(f"  {page}:")
        for count, row in ((SMALL, small), (LARGE, large)):
            print(
                f"    {count:>5} structures: median {row['median']:.1f} ms, "
                f"p95 {row['p95']:.1f} ms, {row['queries']} queries "
                f"({row['sql_ms']:.1f} ms of SQL, slowest {row['slowest_sql_ms']:.1f} ms), "
                f"{row['kib']} KiB"
            )
        print(f"    same query count at both sizes: {'yes' if same else 'NO'}")
    print(f"Target: same query counts, p95 < {TARGET_P95_MS} ms at {LARGE}: "
          f"{'met' if met else 'NOT met'}.")  # fmt: skip
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
