"""Benchmark of the automatic assignment (issue 3, point 4): 500 dossiers, 40 jurors.

    .venv/bin/python bench/assignment.py                      # SQLite, in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor .venv/bin/python bench/assignment.py

It creates its own throwaway database (a SQLite file in a temporary folder, or on PostgreSQL the
database `essor_bench_assignment`, or BENCH_DATABASE), migrates it, fabricates a call, then times
`auto_assign` RUNS times with time.perf_counter. Every run starts from the same state (500
eligible dossiers, no assignment): it runs in a transaction that is rolled back afterwards, so
each run plans 1,500 assignments, moves 500 dossiers to "under review" through `change_state` and
writes the assignments. It prints the median and the maximum, the SQL query count of one run, and
the run's report; then drops the database. Exit status 0 when the maximum is under the target
(2 s), 1 otherwise.

The fabricated call asks for 3 jurors per dossier and keeps jurors away from their own
département; 40 jurors spread over the six départements of Centre-Val de Loire (three of them
with their own maximum of 20 dossiers), 30 declared conflicts, 200 "no conflict" declarations,
and a few suggested conflicts (jurors who are members of a structure, or share a member's e-mail
domain). The rows are written with bulk_create, dossiers directly in the "eligible" state as a
fixture would: going through the applicant's forms for 500 dossiers would measure nothing of the
assignment.
"""

import os
import random
import statistics
import sys
import time
from decimal import Decimal

from common import analyze, throwaway_database  # also puts the project on the import path

DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", 500))
JURORS = int(os.environ.get("BENCH_JURORS", 40))
RUNS = 5
TARGET_SECONDS = 2.0
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "essor_bench_assignment")
DEPARTMENTS = [
    ("18", "Cher"),
    ("28", "Eure-et-Loir"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("41", "Loir-et-Cher"),
    ("45", "Loiret"),
]
CONFLICT_KINDS = ["member", "partner", "personal", "financial"]


def fabricate(rng):
    """The call, its eligible dossiers and its jury; returns (call, staff user)."""
    from django.utils import timezone

    from accelerator.models import LegalForm, MemberRole, Membership, Structure, User
    from applications.models import ConflictDeclaration, Dossier, DossierState, Juror
    from tests import factories

    now = timezone.now()
    call = factories.make_call(
        title="Appel benchmark",
        slug="appel-benchmark-assignment",
        jurors_per_dossier=3,
        exclude_same_department=True,
    )
    departments = [factories.department(code, name) for code, name in DEPARTMENTS]
    structures = Structure.objects.bulk_create(
        Structure(
            name=f"Structure {n:04d}",
            legal_form=LegalForm.ASSOCIATION,
            siret=factories.valid_siret(200000 + n),
            department=departments[n % len(departments)],
            creation_year=2015,
            annual_budget=Decimal("120000.00"),
            employees=4,
        )
        for n in range(DOSSIERS)
    )
    owners = User.objects.bulk_create(
        User(email=f"contact@structure-{n}.example.org", first_name="Owner", last_name=str(n))
        for n in range(DOSSIERS)
    )
    Membership.objects.bulk_create(
        Membership(structure=structure, user=owner, role=MemberRole.OWNER)
        for structure, owner in zip(structures, owners, strict=True)
    )
    # The state is given at creation, as a fixture would: no transition runs.
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            reference=f"A-{n:05d}",
            call=call,
            structure=structure,
            state=DossierState.ELIGIBLE,
            submitted_at=now,
            answers={"f-name": f"Projet {n}", "f-desc": "Un projet. " * 50},
        )
        for n, structure in enumerate(structures)
    )
    # Two jurors share a member's e-mail domain: Essor suggests a conflict for those pairs.
    emails = [f"juror{n}@jury-{n}.example.net" for n in range(JURORS)]
    emails[0], emails[1] = "juror0@structure-7.example.org", "juror1@structure-8.example.org"
    users = User.objects.bulk_create(
        User(email=email, first_name="Juror", last_name=str(n)) for n, email in enumerate(emails)
    )
    jurors = Juror.objects.bulk_create(
        Juror(
            call=call,
            email=user.email,
            user=user,
            accepted_at=now,
            department=departments[n % len(departments)],
            max_dossiers=20 if n in (5, 6, 7) else None,
        )
        for n, user in enumerate(users)
    )
    # Two jurors are members of a structure: suggested conflicts too.
    Membership.objects.bulk_create(
        Membership(
            structure=structures[n % DOSSIERS], user=users[(n + 2) % JURORS], role=MemberRole.VIEWER
        )
        for n in (20, 30)
    )
    everyone = [(j, d) for j in range(JURORS) for d in range(DOSSIERS)]
    pairs = rng.sample(everyone, min(230, len(everyone) // 2))
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            juror=jurors[j],
            dossier=dossiers[d],
            kind=rng.choice(CONFLICT_KINDS) if i < 30 else "none",
            declared_at=now,
        )
        for i, (j, d) in enumerate(pairs)
    )
    staff = User.objects.create(email="staff@bench.example.org", is_staff=True)
    return call, staff


def one_run(call, staff):
    """Time one automatic assignment from the fabricated state, then roll it back."""
    from django.db import transaction

    from applications.domain.auto_assignment import auto_assign

    with transaction.atomic():
        start = time.perf_counter()
        report = auto_assign(call, staff)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed, report


def measure(call, staff):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from applications.domain.auto_assignment import auto_assign

    runs = [one_run(call, staff) for _ in range(RUNS)]
    with CaptureQueriesContext(connection) as queries:
        one_run(call, staff)
    # A second run on top of the first finds nothing missing: the cost of "only fill the gaps".
    with transaction.atomic():
        auto_assign(call, staff)
        start = time.perf_counter()
        auto_assign(call, staff)
        rerun = time.perf_counter() - start
        transaction.set_rollback(True)
    return runs, len(queries), rerun


def main():
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    with throwaway_database(DATABASE_NAME) as connection:
        started = time.perf_counter()
        call, staff = fabricate(random.Random(2026))
        analyze(connection)
        print(
            f"Fabricated {DOSSIERS} eligible dossiers and {JURORS} jurors on "
            f"{connection.vendor} in {time.perf_counter() - started:.1f} s."
        )
        runs, query_count, rerun = measure(call, staff)
    times = [elapsed for elapsed, _report in runs]
    report = runs[0][1]
    worst = max(times)
    met = worst < TARGET_SECONDS
    print(f"auto_assign, {RUNS} runs from the same state ({report.created} assignments each):")
    print(
        f"  median {statistics.median(times):.3f} s, max {worst:.3f} s "
        f"(runs: {', '.join(f'{t:.3f}' for t in times)})"
    )
    print(f"  SQL queries per run: {query_count}")
    print(f"  a second run with nothing missing: {rerun:.3f} s")
    print("  report:")
    for line in report.messages():
        print(f"    {line}")
    print(f"Target < {TARGET_SECONDS:.0f} s: {'met' if met else 'NOT met'}.")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
