"""Benchmark of the reminder scan (issue 11, point 10): 10,000 then 100,000 open items on
PostgreSQL, every one of them due for a reminder at the moment measured.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor .venv/bin/python bench/reminders.py

It creates a dedicated database (`essor_bench_reminders`, or BENCH_DATABASE), migrates it and
fabricates, with bulk_create, a quarter of the items of each kind: draft dossiers on calls that
close in two days (each structure's owner is reminded), pending reviews in a review phase that ends
in three days (assignments of 50 dossiers per juror), open milestones due in seven days and impact
reports due in fourteen, in a cohort whose structures each have five of both. Then, at 10:00 Paris
time, it runs the full scan, every scheduled rule's plan (`workers.reminders.plan_rule`), and
prints its time, its SQL queries and the peak of Python memory (tracemalloc) while it runs; then
the time and queries of sending one batch of 500 (rendering, notifications, outbox); then the
median time and queries of two paginated pages of a person who received one notification per ten
items (the bell's list, and the staff's delivery history of that person). It empties
the reminders, grows the data to the large size and measures again.

Exit status 0 when the large scan is under the target (10 s), its query count (and each page's)
equal to the small one's and its peak memory within 1.5 times the small one's; 1 when not; 2
without PostgreSQL.
"""

import datetime
import logging
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from zoneinfo import ZoneInfo

from common import analyze, refuse_without_postgresql, throwaway_database

SMALL = int(os.environ.get("BENCH_SMALL", 10_000))
LARGE = int(os.environ.get("BENCH_ITEMS", 100_000))
TARGET_SECONDS = 10.0
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "essor_bench_reminders")
PARIS = ZoneInfo("Europe/Paris")
# The moment measured: a Friday morning, after the reminder hour.
NOW = datetime.datetime(2027, 1, 15, 10, 0, tzinfo=PARIS)
PER_ACCOMPANIMENT = 5
PER_JUROR = 50


class World:
    """What the fabrication shares between the two sizes, and how far it has gone."""

    def __init__(self):
        from tests import factories

        self.factories = factories
        self.department = factories.department()
        self.drafts_call = None
        self.review_call = None
        self.cohort = None
        self.made = {"drafts": 0, "assignments": 0, "milestones": 0, "reports": 0}
        self.serial = 0


def _structures_with_owners(world, count):
    from accelerator.models import LegalForm, MemberRole, Membership, Structure, User

    first = world.serial
    world.serial += count
    structures = Structure.objects.bulk_create(
        (
            Structure(
                name=f"Structure {first + n:06d}",
                legal_form=LegalForm.ASSOCIATION,
                siret=world.factories.valid_siret(200000 + first + n),
                department=world.department,
                creation_year=2015,
                annual_budget=Decimal("120000.00"),
                employees=4,
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    users = User.objects.bulk_create(
        (
            User(email=f"owner{first + n}@bench.example.org", first_name="Owner", language="fr")
            for n in range(count)
        ),
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        (
            Membership(structure=s, user=u, role=MemberRole.OWNER)
            for s, u in zip(structures, users, strict=True)
        ),
        batch_size=5000,
    )
    return structures


def grow(world, items):
    """Add open items until there are `items`, a quarter of each kind."""
    from django.utils import timezone

    from accelerator.models import Accompaniment, Cohort, ImpactReport, Milestone, Stage, User
    from applications.models import Assignment, Dossier, DossierState, Juror, ReviewPhase

    now = NOW
    today = timezone.localtime(now, PARIS).date()
    quarter = items // 4
    if world.drafts_call is None:
        world.drafts_call = world.factories.make_call(
            title="Appel brouillons",
            slug="appel-brouillons",
            closes_at=now + datetime.timedelta(days=2, hours=-1),
        )
        world.review_call = world.factories.make_call(
            title="Appel en revue",
            slug="appel-en-revue",
            opens_at=now - datetime.timedelta(days=60),
            closes_at=now - datetime.timedelta(days=30),
        )
        ReviewPhase.objects.create(
            call=world.review_call,
            name="Instruction",
            starts_at=now - datetime.timedelta(days=20),
            ends_at=now + datetime.timedelta(days=3, hours=-1),
        )
        programme = world.drafts_call.programme
        world.cohort = Cohort.objects.create(programme=programme, name="Promotion", year=2027)

    # Draft dossiers, one structure each.
    count = quarter - world.made["drafts"]
    structures = _structures_with_owners(world, count)
    Dossier.objects.bulk_create(
        (
            Dossier(
                reference=f"BD-{world.made['drafts'] + n:06d}",
                call=world.drafts_call,
                structure=s,
                state=DossierState.DRAFT,
                answers={"f-name": "Projet"},
            )
            for n, s in enumerate(structures)
        ),
        batch_size=5000,
    )
    world.made["drafts"] = quarter

    # Pending reviews: dossiers under review, one assignment each, 50 per juror.
    count = quarter - world.made["assignments"]
    structures = _structures_with_owners(world, count)
    dossiers = Dossier.objects.bulk_create(
        (
            Dossier(
                reference=f"BR-{world.made['assignments'] + n:06d}",
                call=world.review_call,
                structure=s,
                state=DossierState.UNDER_REVIEW,
                submitted_at=now - datetime.timedelta(days=31),
                answers={"f-name": "Projet"},
            )
            for n, s in enumerate(structures)
        ),
        batch_size=5000,
    )
    first = world.made["assignments"] // PER_JUROR
    jurors_needed = -(-count // PER_JUROR)
    users = User.objects.bulk_create(
        User(email=f"juror{first + n}@bench.example.org", first_name="Juror", language="fr")
        for n in range(jurors_needed)
    )
    jurors = Juror.objects.bulk_create(
        Juror(call=world.review_call, email=u.email, user=u, accepted_at=now) for u in users
    )
    Assignment.objects.bulk_create(
        (
            Assignment(
                juror=jurors[n // PER_JUROR],
                dossier=d,
                assigned_at=now - datetime.timedelta(days=19),
                notified_at=now - datetime.timedelta(days=19),
            )
            for n, d in enumerate(dossiers)
        ),
        batch_size=5000,
    )
    world.made["assignments"] = quarter

    # Milestones and impact reports, five of each per accompanied structure.
    count = quarter - world.made["milestones"]
    structures = _structures_with_owners(world, count // PER_ACCOMPANIMENT)
    accompaniments = Accompaniment.objects.bulk_create(
        (
            Accompaniment(
                cohort=world.cohort,
                structure=s,
                source="call",
                stage=Stage.IMPACT_MEASUREMENT,
                stage_entered_at=now - datetime.timedelta(days=10),
            )
            for s in structures
        ),
        batch_size=5000,
    )
    Milestone.objects.bulk_create(
        (
            Milestone(
                accompaniment=a,
                stage=Stage.IMPACT_MEASUREMENT,
                title=f"Jalon {k}",
                status=Milestone.Status.OPEN,
                due_on=today + datetime.timedelta(days=7 if k == 0 else 6 - k),
            )
            for a in accompaniments
            for k in range(PER_ACCOMPANIMENT)
        ),
        batch_size=5000,
    )
    ImpactReport.objects.bulk_create(
        (
            ImpactReport(
                accompaniment=a,
                number=k + 1,
                period_start=today - datetime.timedelta(days=90),
                period_end=today,
                due_on=today + datetime.timedelta(days=14 if k == 0 else 13 - k),
            )
            for a in accompaniments
            for k in range(PER_ACCOMPANIMENT)
        ),
        batch_size=5000,
    )
    world.made["milestones"] = world.made["reports"] = quarter


def measure(items):
    """Plan every scheduled rule at NOW; then send one batch. Returns the figures."""
    import time_machine
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from workers import reminders
    from workers.models import Reminder

    scheduled = [rule for rule in reminders.rules().values() if rule.scheduled]
    # The query log keeps 9,000 entries: fabricating fills it, and a full log counts nothing.
    reset_queries()
    with time_machine.travel(NOW, tick=False):
        tracemalloc.start()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            planned = {rule.name: reminders.plan_rule(rule, NOW) for rule in scheduled}
        seconds = time.perf_counter() - started
        # Counted now: a capture reads the query log lazily, and the log is reset below.
        scan_queries = len(queries)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as batch_queries:
            reminders.send_batch(NOW)
        batch_seconds = time.perf_counter() - started
        batch_queries = len(batch_queries)
    pages = measure_pages(items)
    total = sum(planned.values())
    print(
        f"{items:>7,} open items: scan {seconds:6.2f} s, {scan_queries} queries, "
        f"peak Python memory {peak / 1024:,.0f} KiB, {total:,} reminders planned "
        f"({', '.join(f'{name} {count:,}' for name, count in planned.items() if count)}); "
        f"one batch of 500 sent in {batch_seconds:.2f} s, {batch_queries} queries"
    )
    for name, (median, count) in pages.items():
        print(f"          {name}: median {median * 1000:.1f} ms, {count} queries")
    Reminder.objects.all().delete()
    return {
        "seconds": seconds,
        "queries": scan_queries,
        "peak": peak,
        "planned": total,
        "pages": pages,
    }


def measure_pages(items):
    """The bell's list and the staff's delivery history of one person who has received one
    notification per ten items (1,000, then 10,000): median of 20 requests, and queries."""
    import statistics

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accelerator.models import User
    from workers.models import Notification

    person, _ = User.objects.get_or_create(
        email="busy@bench.example.org", defaults={"first_name": "Busy", "language": "fr"}
    )
    staff, _ = User.objects.get_or_create(
        email="staff@bench.example.org", defaults={"is_staff": True, "language": "fr"}
    )
    missing = items // 10 - Notification.objects.filter(recipient=person).count()
    Notification.objects.bulk_create(
        (
            Notification(
                recipient=person, topic="dossier_deadlines", text=f"Rappel {n}", link="/me/"
            )
            for n in range(missing)
        ),
        batch_size=5000,
    )
    figures = {}
    for name, user, url in (
        ("bell list", person, reverse("workers:notifications")),
        ("delivery history", staff, reverse("workers:deliveries_person", args=[person.pk])),
    ):
        client = Client()
        client.force_login(user)
        client.get(url)
        times = []
        for _ in range(20):
            reset_queries()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            times.append(time.perf_counter() - started)
            count = len(captured)
            assert response.status_code == 200, (name, response.status_code)
        figures[name] = (statistics.median(times), count)
    return figures


def main():
    refuse_without_postgresql("reminders.py", DATABASE_NAME)
    # The batch's delivery task is published, as in production, but to a broker of the bench's
    # own: the embedded filesystem transport in a temporary folder (no worker reads it).
    os.environ.pop("REDIS_URL", None)
    os.environ["ESSOR_VAR_DIR"] = tempfile.mkdtemp(prefix="essor-bench-reminders-")
    import django

    django.setup()
    logging.disable(logging.WARNING)
    with throwaway_database(DATABASE_NAME) as connection:
        world = World()
        figures = {}
        for size in (SMALL, LARGE):
            started = time.perf_counter()
            grow(world, size)
            analyze(connection)
            print(f"Fabricated {size:,} open items in {time.perf_counter() - started:.0f} s")
            figures[size] = measure(size)
    small, large = figures[SMALL], figures[LARGE]
    for name, (median, count) in large["pages"].items():
        small_median, small_count = small["pages"][name]
        print(
            f"{name}: {small_median * 1000:.1f} ms and {small_count} queries at "
            f"{SMALL // 10:,} notifications, {median * 1000:.1f} ms and {count} queries at "
            f"{LARGE // 10:,}"
        )
    ok = (
        all(count == small["pages"][name][1] for name, (_, count) in large["pages"].items())
        and large["planned"] > small["planned"] > 0
        and large["seconds"] < TARGET_SECONDS
        and large["queries"] == small["queries"]
        and large["peak"] <= 1.5 * max(small["peak"], 1)
    )
    print(
        f"Target: the {LARGE:,} scan under {TARGET_SECONDS:.0f} s "
        f"({large['seconds']:.2f} s), the same queries at both sizes "
        f"({small['queries']} and {large['queries']}), flat memory "
        f"({small['peak'] / 1024:,.0f} and {large['peak'] / 1024:,.0f} KiB): "
        f"{'met' if ok else 'NOT met'}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
