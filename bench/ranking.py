"""Benchmark of a call's ranking page (issue 3, point 15): 2,000 dossiers, 3 submitted reviews each.

Run on PostgreSQL only (the figures that matter are production's):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor .venv/bin/python bench/ranking.py

It creates a dedicated database (`essor_bench_ranking`, or BENCH_DATABASE), migrates it, fabricates
the data, asks for the ranking page REQUESTS times as a staff user with Django's test client, prints
the server time (median and p95) and the page's query count, then drops the database (kept when
BENCH_KEEP is set). The exit status is 0 when the p95 is under the target (150 ms), 1 when it is
not, 2 when DATABASE_URL is not PostgreSQL.

The data is fabricated directly with bulk_create (structures, dossiers created in the
"under_review" state, jurors, assignments, "no conflict" declarations, reviews and scores): going
through the domain's transitions and forms for 2,000 dossiers would take minutes and measure
nothing of the ranking. A few declared conflicts and "not applicable" scores are mixed in so that
every branch of the ranking's SQL has rows to read.
"""

import logging
import os
import random
import statistics
import sys
import time
from decimal import Decimal

from common import analyze, percentile, refuse_without_postgresql, throwaway_database

DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", 2000))
REVIEWS_PER_DOSSIER = 3
JURORS = 40
REQUESTS = 20
TARGET_P95_MS = 150
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "essor_bench_ranking")
# Weight, scale of the call's grid: a realistic four-criterion grid on 0–5.
GRID = [
    ("Impact social", "3"),
    ("Ancrage territorial", "2"),
    ("Modèle économique", "2"),
    ("Équipe", "1"),
]


def fabricate(rng):
    """The call, its grid, its jury and its reviewed dossiers; returns (call, staff user)."""
    from django.utils import timezone

    from accelerator.models import LegalForm, Structure, User
    from applications.models import (
        Assignment,
        ConflictDeclaration,
        Dossier,
        DossierState,
        EvaluationCriterion,
        Juror,
        Recommendation,
        Review,
        Score,
    )
    from tests import factories

    now = timezone.now()
    call = factories.make_call(criteria=0, title="Appel benchmark", slug="appel-benchmark")
    criteria = [
        EvaluationCriterion.objects.create(
            call=call,
            title=title,
            weight=Decimal(weight),
            scale_min=0,
            scale_max=5,
            allow_not_applicable=True,
            sort_order=i,
        )
        for i, (title, weight) in enumerate(GRID)
    ]
    department = factories.department()
    structures = Structure.objects.bulk_create(
        Structure(
            name=f"Structure {n:04d}",
            legal_form=LegalForm.ASSOCIATION,
            siret=factories.valid_siret(100000 + n),
            department=department,
            creation_year=2015,
            annual_budget=Decimal("120000.00"),
            employees=4,
        )
        for n in range(DOSSIERS)
    )
    # The state is given at creation, as a fixture would: no transition runs.
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            reference=f"B-{n:05d}",
            call=call,
            structure=structure,
            state=DossierState.UNDER_REVIEW,
            submitted_at=now,
            answers={"f-name": f"Projet {n}", "f-desc": "Un projet. " * 50},
        )
        for n, structure in enumerate(structures)
    )
    users = User.objects.bulk_create(
        User(email=f"juror{n}@bench.example.org", first_name="Juror", last_name=str(n))
        for n in range(JURORS)
    )
    jurors = Juror.objects.bulk_create(
        Juror(call=call, email=user.email, user=user, accepted_at=now) for user in users
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(juror=jurors[(n + k * 7) % JURORS], dossier=dossier, automatic=True)
        for n, dossier in enumerate(dossiers)
        for k in range(REVIEWS_PER_DOSSIER)
    )
    # Every assigned juror declared "no conflict", except the first juror of one dossier in
    # twenty, who declared a conflict after reviewing: their review must not count.
    declarations = [
        ConflictDeclaration(
            juror=a.juror,
            dossier=a.dossier,
            kind="personal" if index % (20 * REVIEWS_PER_DOSSIER) == 0 else "none",
        )
        for index, a in enumerate(assignments)
    ]
    # And a conflict declared by an unassigned juror on one dossier in ten.
    declarations += [
        ConflictDeclaration(juror=jurors[(n + 3) % JURORS], dossier=dossier, kind="partner")
        for n, dossier in enumerate(dossiers)
        if n % 10 == 0
    ]
    ConflictDeclaration.objects.bulk_create(declarations, batch_size=2000)
    recommendations = list(Recommendation.values)
    reviews = Review.objects.bulk_create(
        (
            Review(
                assignment=a,
                recommendation=rng.choice(recommendations),
                submitted_at=now,
                comment="Commentaire.",
            )
            for a in assignments
        ),
        batch_size=2000,
    )
    scores = []
    for review in reviews:
        for criterion in criteria:
            not_applicable = rng.random() < 0.05
            scores.append(
                Score(
                    review=review,
                    criterion=criterion,
                    not_applicable=not_applicable,
                    value=None if not_applicable else rng.randint(0, 5),
                )
            )
    Score.objects.bulk_create(scores, batch_size=5000)
    staff = User.objects.create(email="staff@bench.example.org", is_staff=True)
    return call, staff


def measure(call, staff):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(staff)
    url = reverse("applications:staff_ranking", kwargs={"call_id": call.pk})
    warm = client.get(url)  # connection, templates and translations loaded once
    assert warm.status_code == 200, warm.status_code
    assert f"{DOSSIERS} dossiers" in warm.content.decode(), "the page does not rank them all"
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        client.get(url)
        one_request_ms = (time.perf_counter() - start) * 1000
    query_ms = [float(query["time"]) * 1000 for query in queries.captured_queries]
    exports = {}
    for fmt in ("csv", "xlsx"):
        export_url = reverse(
            "applications:staff_ranking_export", kwargs={"call_id": call.pk, "fmt": fmt}
        )
        start = time.perf_counter()
        response = client.get(export_url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        exports[fmt] = ((time.perf_counter() - start) * 1000, len(content))
        assert response.status_code == 200
    from applications.domain.ranking import ranked_dossiers

    sql_times = []
    for _ in range(5):
        sql_start = time.perf_counter()
        list(ranked_dossiers(call).only("reference", "state", "structure__name"))
        sql_times.append((time.perf_counter() - sql_start) * 1000)
    # A yardstick for the machine: the plainest read of every score, joined to its review.
    calibration = []
    with connection.cursor() as cursor:
        for _ in range(5):
            start = time.perf_counter()
            cursor.execute(
                "SELECT COUNT(*), SUM(s.value) FROM applications_score s "
                "JOIN applications_review r ON r.id = s.review_id"
            )
            cursor.fetchall()
            calibration.append((time.perf_counter() - start) * 1000)
    return {
        "times": times,
        "size": len(warm.content),
        "one_request_ms": one_request_ms,
        "query_ms": query_ms,
        "ranking_ms": min(sql_times),
        "calibration_ms": min(calibration),
        "exports": exports,
    }


def main():
    refuse_without_postgresql("ranking.py", DATABASE_NAME)
    import django

    django.setup()
    from django.conf import settings

    # Page and task logs of the fabrication would bury the figures.
    logging.disable(logging.INFO)
    # Not setup_test_environment(): its instrumented template rendering would add to the time.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with throwaway_database(DATABASE_NAME) as connection:
        started = time.perf_counter()
        call, staff = fabricate(random.Random(2026))
        analyze(connection)
        print(
            f"Fabricated {DOSSIERS} dossiers × {REVIEWS_PER_DOSSIER} submitted reviews "
            f"({JURORS} jurors, {len(GRID)} criteria) in {time.perf_counter() - started:.1f} s."
        )
        figures = measure(call, staff)
    times = figures["times"]
    median = statistics.median(times)
    p95 = percentile(times, 0.95)
    met = p95 < TARGET_P95_MS
    queries = figures["query_ms"]
    print(f"Ranking page (first page, {figures['size'] // 1024} KiB of HTML), {REQUESTS} requests:")
    print(
        f"  server time median {median:.1f} ms, p95 {p95:.1f} ms "
        f"(min {min(times):.1f}, max {max(times):.1f})"
    )
    print(f"  SQL queries per request: {len(queries)}")
    print(
        f"  one more request: {figures['one_request_ms']:.1f} ms, of which SQL "
        f"{sum(queries):.1f} ms ({', '.join(f'{ms:.0f}' for ms in queries)})"
    )
    print(
        f"  the ranking of all {DOSSIERS} dossiers alone (ORM, best of 5): "
        f"{figures['ranking_ms']:.1f} ms"
    )
    for fmt, (ms, size) in figures["exports"].items():
        print(
            f"  export of all {DOSSIERS} dossiers to {fmt.upper()}: {ms:.0f} ms "
            f"({size // 1024} KiB)"
        )
    print(
        f"Machine yardstick: reading the {DOSSIERS * REVIEWS_PER_DOSSIER * len(GRID)} scores "
        f"joined to their reviews takes {figures['calibration_ms']:.1f} ms (best of 5)."
    )
    print(f"Target p95 < {TARGET_P95_MS} ms: {'met' if met else 'NOT met'}.")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
