"""Benchmark of every staff page of a call at two sizes (issue 12, point 11): a call of 2,000 and
a call of 5,000 dossiers with 3 submitted reviews each; each page's median server time must stay
under 50 ms at 5,000 dossiers and within 20 % of its time at 2,000.

Run on PostgreSQL only (the figures that matter are production's):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor .venv/bin/python bench/staff_pages.py

It creates a dedicated database (`essor_bench_staff_pages`, or BENCH_DATABASE), migrates it,
fabricates a first call of 2,000 dossiers (bulk_create, as bench/ranking.py does: no transition
runs), measures the pages over every call (dashboard, search), fabricates a second call of 5,000
dossiers, measures those pages again (7,000 dossiers in all), then measures each page of a call
on both calls in turns (small, large, large, small…: the shared machine's slower minutes weigh on
both alike), prints two lines per page (median of REQUESTS requests after a warm-up, the query
count and SQL time) and a table, and drops the database (kept when BENCH_KEEP is set). The two
exports are files of every row: their figures (first chunk, whole file) are printed, not judged.
Exit status 0 when the target is met, 1 when it is not, 2 when DATABASE_URL is not PostgreSQL.
Pages whose URL does not resolve yet are skipped with a note.

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


def setup_call(number):
    """Call `number` (1, 2…), its grid and its jury; returns (call, criteria, jurors)."""
    from django.utils import timezone

    from accelerator.models import User
    from applications.models import EvaluationCriterion, Juror
    from tests import factories

    now = timezone.now()
    call = factories.make_call(
        criteria=0, title=f"Appel benchmark {number}", slug=f"appel-benchmark-{number}"
    )
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
        User(email=f"juror{number}-{n}@bench.example.org", first_name="Juror", last_name=str(n))
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
    return call, criteria, jurors


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


CALL_PAGES = [
    ("dossier list", "applications:staff_dossiers", {}),
    ("dossier CSV export", "applications:staff_export", {}),
    ("jury", "applications:staff_jury", {}),
    ("deliberation", "applications:staff_deliberation", {}),
    ("assignments", "applications:staff_assignments", {}),
    ("ranking", "applications:staff_ranking", {}),
    ("ranking CSV export", "applications:staff_ranking_export", {"fmt": "csv"}),
    ("review progress", "applications:staff_review_progress", {}),
    ("letters", "applications:staff_letters", {}),
]
# Files of every row, streamed: their time grows with the rows, as any export's must.
EXPORTS = {"dossier CSV export", "ranking CSV export"}
# Pages over every call: measured when the database holds the small call, then both.
GLOBAL_PAGES = [
    ("staff dashboard", "accelerator:staff_today", ""),
    ("search", "accelerator:search", "?q=Structure%2001234"),
]


def _url(name, suffix="", **kwargs):
    """The page's URL; None for a page not built yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs) + suffix
    except NoReverseMatch:
        return None


def _get(client, url):
    """(ms to the response, or to a streamed export's first chunk; ms to its end; body)."""
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


def _queries(client, label, url):
    """(query count, ms of SQL, bytes) of one request; the profile or slowest queries if asked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _first, _full, body = _get(client, url)
    captured = queries.captured_queries
    if os.environ.get("BENCH_PROFILE") == label:  # where the Python time goes
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(_get, client, url)
        sort = os.environ.get("BENCH_SORT", "cumulative")
        pstats.Stats(profile).sort_stats(sort).print_stats(45)
    if os.environ.get("BENCH_SQL"):  # where a page's time goes: its slowest queries
        for query in sorted(captured, key=lambda q: -float(q["time"]))[:2]:
            print(f"    {float(query['time']) * 1000:.1f} ms  {query['sql'][:300]}")
    return len(captured), sum(float(q["time"]) for q in captured) * 1000, len(body)


def measure(client, label, urls):
    """{url: (median ms, queries, ms of SQL, bytes, median ms to the end)} for the same page at
    each of `urls`, timed in turns (a, b, then b, a, …) after a warm-up of each: a slower minute
    of the shared machine weighs on every size alike, so the ratio compares the pages, not the
    moments. A streamed export is timed to its first chunk (the response has started and the
    rows follow as the database yields them); the time to read the whole file is kept beside it:
    it grows with the rows exported, as any export's must."""
    for url in urls:
        _get(client, url)
    times = {url: [] for url in urls}
    full = {url: [] for url in urls}
    for turn in range(REQUESTS):
        for url in urls if turn % 2 == 0 else list(reversed(urls)):
            first_ms, full_ms, _body = _get(client, url)
            times[url].append(first_ms)
            full[url].append(full_ms)
    return {
        url: (
            statistics.median(times[url]),
            *_queries(client, label, url),
            statistics.median(full[url]),
        )
        for url in urls
    }


def _line(label, size, figures):
    median, queries, sql_ms, size_bytes, full_ms = figures
    whole = f", whole file {full_ms:.0f} ms" if full_ms - median > 0.5 else ""
    print(
        f"  {label} at {size:,}: {median:.1f} ms, {queries} queries ({sql_ms:.1f} ms of SQL), "
        f"{size_bytes // 1024} KiB{whole}",
        flush=True,
    )


def _fabricated(connection, number, rng, start, stop):
    """Call `number` with dossiers `start` to `stop`, its stored figures, fresh statistics."""
    from applications.domain.ranking_rows import refresh_call_ranking

    started = time.perf_counter()
    call, criteria, jurors = setup_call(number)
    fabricate(rng, call, criteria, jurors, start, stop)
    refresh_call_ranking(call)
    analyze(connection)
    print(
        f"Fabricated call {number}: {stop - start:,} dossiers × {REVIEWS_PER_DOSSIER} submitted "
        f"reviews ({JURORS} jurors) in {time.perf_counter() - started:.1f} s.",
        flush=True,
    )
    return call


def main():
    refuse_without_postgresql("staff_pages.py", DATABASE_NAME)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from accelerator.models import User

    logging.disable(logging.INFO)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    small, large = SIZES[0], SIZES[-1]
    rows = []  # (label, small figures, large figures, what the sizes are)
    with throwaway_database(DATABASE_NAME) as connection:
        rng = random.Random(2026)
        staff = User.objects.create(
            email="staff@bench.example.org", is_staff=True, is_superuser=True, first_name="Staff"
        )
        client = Client()
        client.force_login(staff)
        small_call = _fabricated(connection, 1, rng, 0, small)
        global_urls = [
            (label, _url(name, suffix)) for label, name, suffix in GLOBAL_PAGES if wanted(label)
        ]
        before = {label: measure(client, label, [url])[url] for label, url in global_urls if url}
        large_call = _fabricated(connection, 2, rng, small, small + large)
        for label, url in global_urls:
            if url is None:
                rows.append((label, None, None, ""))
                continue
            after = measure(client, label, [url])[url]
            _line(label, small, before[label])
            _line(label, small + large, after)
            rows.append((label, before[label], after, f"{small:,} → {small + large:,} in all"))
        for label, name, kwargs in CALL_PAGES:
            if not wanted(label):
                continue
            urls = [_url(name, **kwargs, call_id=call.pk) for call in (small_call, large_call)]
            if None in urls:
                rows.append((label, None, None, ""))
                continue
            figures = measure(client, label, urls)
            _line(label, small, figures[urls[0]])
            _line(label, large, figures[urls[1]])
            rows.append((label, figures[urls[0]], figures[urls[1]], ""))
    print()
    print(f"| page | {small:,} dossiers | {large:,} dossiers | ratio |")
    print("| --- | --- | --- | --- |")
    met = True
    for label, a, b, note in rows:
        if a is None:
            print(f"| {label} | (skipped: its URL does not resolve yet) | | |")
            continue
        ratio = b[0] / a[0]
        if label in EXPORTS:
            # A file of every row grows with the rows: its figures are printed, not judged.
            print(
                f"| {label} (first chunk; whole file) | {a[0]:.1f} ms; {a[4]:.0f} ms, {a[1]} q | "
                f"{b[0]:.1f} ms; {b[4]:.0f} ms, {b[1]} q | {ratio:.2f}; {b[4] / a[4]:.2f} |"
            )
            continue
        ok = b[0] < TARGET_MS and ratio <= TARGET_GROWTH
        met = met and ok
        print(
            f"| {label}{f' ({note})' if note else ''} | {a[0]:.1f} ms, {a[1]} q | "
            f"{b[0]:.1f} ms, {b[1]} q | {ratio:.2f}{'' if ok else ' NOT met'} |"
        )
    print(
        f"Target: every page (the exports apart) < {TARGET_MS} ms at {large:,} dossiers and within "
        f"{round((TARGET_GROWTH - 1) * 100)} % of its time at {small:,}: "
        f"{'met' if met else 'NOT met'}."
    )
    return 0 if met else 1


def wanted(label):
    return not ONLY or label in ONLY


if __name__ == "__main__":
    sys.exit(main())
