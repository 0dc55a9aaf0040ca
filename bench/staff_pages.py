"""Benchmark of every staff page of a call at two sizes (issue 12, point 11): 2,000 then 5,000
dossiers with 3 submitted reviews each; each page's median server time must stay under 50 ms at
5,000 dossiers and within 20 % of its time at 2,000.

Run on PostgreSQL only (the figures that matter are production's):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor .venv/bin/python bench/staff_pages.py

It creates a dedicated database (`essor_bench_staff_pages`, or BENCH_DATABASE), migrates it,
fabricates the first 2,000 dossiers (bulk_create, as bench/ranking.py does: no transition runs),
measures every page, adds 3,000 more dossiers to the same call, measures again, prints one line
per page (median of REQUESTS requests after a warm-up, and the query count) and drops the database
(kept when BENCH_KEEP is set). Exit status 0 when the target is met, 1 when it is not, 2 when
DATABASE_URL is not PostgreSQL. Pages whose URL does not resolve yet are skipped with a note.

The ranking's aggregate rows (`DossierRanking`) are filled as the migration backfill does, with
`refresh_call_ranking`: the fabrication writes reviews behind the domain's back.
"""

import logging
import os
import random
import statistics
import sys
import time
from decimal import Decimal

from common import analyze, refuse_without_postgresql, throwaway_database

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "2000,5000").split(",")]
REVIEWS_PER_DOSSIER = 3
JURORS = 40
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 15))
TARGET_MS = 50
TARGET_GROWTH = 1.20
# BENCH_PAGES="jury,letters" measures only those pages (labels as printed).
ONLY = [label for label in os.environ.get("BENCH_PAGES", "").split(",") if label]
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "essor_bench_staff_pages")
GRID = [
    ("Impact social", "3"),
    ("Ancrage territorial", "2"),
    ("Modèle économique", "2"),
    ("Équipe", "1"),
]


def setup_call():
    """The call, its grid, its jury and the staff user; returns (call, criteria, jurors, staff)."""
    from django.utils import timezone

    from accelerator.models import User
    from applications.models import EvaluationCriterion, Juror
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
    users = User.objects.bulk_create(
        User(email=f"juror{n}@bench.example.org", first_name="Juror", last_name=str(n))
        for n in range(JURORS)
    )
    jurors = Juror.objects.bulk_create(
        Juror(
            call=call,
            email=user.email,
            user=user,
            accepted_at=now,
            organisation=f"Réseau {n}" if n % 4 == 0 else "",
        )
        for n, user in enumerate(users)
    )
    staff = User.objects.create(
        email="staff@bench.example.org", is_staff=True, is_superuser=True, first_name="Staff"
    )
    return call, criteria, jurors, staff


def fabricate(rng, call, criteria, jurors, start, stop):
    """Dossiers number `start` to `stop` of the call, with their reviews and declarations."""
    from django.utils import timezone

    from accelerator.models import LegalForm, Structure
    from applications.models import (
        Assignment,
        ConflictDeclaration,
        Dossier,
        DossierState,
        Recommendation,
        Review,
        Score,
    )
    from tests import factories

    now = timezone.now()
    department = factories.department()
    structures = Structure.objects.bulk_create(
        (
            Structure(
                name=f"Structure {n:05d}",
                legal_form=LegalForm.ASSOCIATION,
                siret=factories.valid_siret(100000 + n),
                department=department,
                creation_year=2015,
                annual_budget=Decimal("120000.00"),
                employees=4,
            )
            for n in range(start, stop)
        ),
        batch_size=2000,
    )
    # Most dossiers under review, some further on, as in a deliberation under way.
    states = [DossierState.UNDER_REVIEW] * 16 + [
        DossierState.SHORTLISTED,
        DossierState.SELECTED,
        DossierState.WAITLISTED,
        DossierState.REJECTED,
    ]
    dossiers = Dossier.objects.bulk_create(
        (
            Dossier(
                reference=f"B-{n:05d}",
                call=call,
                structure=structure,
                state=states[n % len(states)],
                submitted_at=now,
                answers={"f-name": f"Projet {n}", "f-desc": "Un projet. " * 50},
            )
            for n, structure in zip(range(start, stop), structures, strict=True)
        ),
        batch_size=2000,
    )
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(juror=jurors[(n + k * 7) % JURORS], dossier=dossier, automatic=True)
            for n, dossier in zip(range(start, stop), dossiers, strict=True)
            for k in range(REVIEWS_PER_DOSSIER)
        ),
        batch_size=5000,
    )
    declarations = [
        ConflictDeclaration(
            juror=a.juror,
            dossier=a.dossier,
            kind="personal" if index % (20 * REVIEWS_PER_DOSSIER) == 0 else "none",
        )
        for index, a in enumerate(assignments)
    ]
    declarations += [
        ConflictDeclaration(juror=jurors[(n + 3) % JURORS], dossier=dossier, kind="partner")
        for n, dossier in zip(range(start, stop), dossiers, strict=True)
        if n % 10 == 0
    ]
    ConflictDeclaration.objects.bulk_create(declarations, batch_size=5000)
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
        batch_size=5000,
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


def pages(call):
    """(label, url) of every staff page measured; None for the URL of a page not built yet."""
    from django.urls import NoReverseMatch, reverse

    def url(name, suffix="", **kwargs):
        try:
            return reverse(name, kwargs=kwargs) + suffix
        except NoReverseMatch:
            return None

    return [
        ("dossier list", url("applications:staff_dossiers", call_id=call.pk)),
        ("dossier CSV export", url("applications:staff_export", call_id=call.pk)),
        ("jury", url("applications:staff_jury", call_id=call.pk)),
        ("deliberation", url("applications:staff_deliberation", call_id=call.pk)),
        ("assignments", url("applications:staff_assignments", call_id=call.pk)),
        ("ranking", url("applications:staff_ranking", call_id=call.pk)),
        (
            "ranking CSV export",
            url("applications:staff_ranking_export", call_id=call.pk, fmt="csv"),
        ),
        ("review progress", url("applications:staff_review_progress", call_id=call.pk)),
        ("letters", url("applications:staff_letters", call_id=call.pk)),
        ("staff dashboard", url("accelerator:staff_today")),
        ("search", url("accelerator:search", suffix="?q=Structure%2001234")),
    ]


def measure(client, label, url):
    """(median ms, queries, bytes, full ms) of `url`: a warm-up, then REQUESTS timed requests.

    A streamed export is timed to its first chunk (the header line: the response has started and
    the rows follow as the database yields them); `full ms`, the median time to read the whole
    file, is printed beside it: it grows with the rows exported, as any export must."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        start = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if not response.streaming:
            elapsed = (time.perf_counter() - start) * 1000
            return elapsed, elapsed, response.content
        chunks = iter(response.streaming_content)
        first = next(chunks, b"")
        elapsed = (time.perf_counter() - start) * 1000
        body = first + b"".join(chunks)
        response.close()
        return elapsed, (time.perf_counter() - start) * 1000, body

    get()
    times, full = [], []
    for _ in range(REQUESTS):
        first_ms, full_ms, _body = get()
        times.append(first_ms)
        full.append(full_ms)
    with CaptureQueriesContext(connection) as queries:
        _first, _full, body = get()
    captured = queries.captured_queries
    sql_ms = sum(float(query["time"]) for query in captured) * 1000
    if os.environ.get("BENCH_PROFILE") == label:  # where the Python time goes
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(get)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
    if os.environ.get("BENCH_SQL"):  # where a page's time goes: its slowest queries
        slowest = sorted(captured, key=lambda q: -float(q["time"]))[:2]
        for query in slowest:
            print(f"    {float(query['time']) * 1000:.1f} ms  {query['sql'][:300]}")
    return (
        statistics.median(times),
        len(captured),
        len(body),
        statistics.median(full),
        sql_ms,
    )


def main():
    refuse_without_postgresql("staff_pages.py", DATABASE_NAME)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    logging.disable(logging.INFO)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    results = {}
    with throwaway_database(DATABASE_NAME) as connection:
        from applications.domain.ranking_rows import refresh_call_ranking

        rng = random.Random(2026)
        call, criteria, jurors, staff = setup_call()
        client = Client()
        client.force_login(staff)
        done = 0
        for size in SIZES:
            started = time.perf_counter()
            fabricate(rng, call, criteria, jurors, done, size)
            refresh_call_ranking(call)
            done = size
            analyze(connection)
            print(
                f"Fabricated {size} dossiers × {REVIEWS_PER_DOSSIER} submitted reviews "
                f"({JURORS} jurors) in {time.perf_counter() - started:.1f} s.",
                flush=True,
            )
            for label, url in pages(call):
                if url is None or (ONLY and label not in ONLY):
                    continue
                results.setdefault(label, {})[size] = measure(client, label, url)
                median, queries, size_bytes, full_ms, sql_ms = results[label][size]
                whole = f", whole file {full_ms:.0f} ms" if full_ms - median > 0.5 else ""
                print(
                    f"  {label}: {median:.1f} ms, {queries} queries ({sql_ms:.1f} ms of SQL), "
                    f"{size_bytes // 1024} KiB{whole}",
                    flush=True,
                )
    small, large = SIZES[0], SIZES[-1]
    print()
    print(f"| page | {small:,} dossiers | {large:,} dossiers | ratio |")
    print("| --- | --- | --- | --- |")
    met = True
    for label, _url in pages(call):
        if ONLY and label not in ONLY:
            continue
        if label not in results:
            print(f"| {label} | (skipped: its URL does not resolve yet) | | |")
            continue
        (a_ms, a_q, *_a), (b_ms, b_q, *_b) = results[label][small], results[label][large]
        ratio = b_ms / a_ms
        ok = b_ms < TARGET_MS and ratio <= TARGET_GROWTH
        met = met and ok
        print(
            f"| {label} | {a_ms:.1f} ms, {a_q} q | {b_ms:.1f} ms, {b_q} q | "
            f"{ratio:.2f}{'' if ok else ' NOT met'} |"
        )
    print(
        f"Target: every page < {TARGET_MS} ms at {large:,} dossiers and within "
        f"{round((TARGET_GROWTH - 1) * 100)} % of its time at {small:,}: "
        f"{'met' if met else 'NOT met'}."
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
