"""What every benchmark shares: the project on the import path, the refusal to measure anything
but PostgreSQL where production's figures are asked, the nearest-rank percentile, and the
throwaway database each one creates, fills, measures and drops."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")


def refuse_without_postgresql(script, database_name):
    """Exit with status 2 unless DATABASE_URL names a PostgreSQL server."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        print(
            f"bench/{script} measures PostgreSQL, as in production: set DATABASE_URL to a "
            "PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/essor). It creates and "
            f"then drops its own database, {database_name}; SQLite is refused.",
            file=sys.stderr,
        )
        sys.exit(2)


def percentile(values, fraction):
    """The nearest-rank percentile: the smallest value with `fraction` of the values at or below."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without importing math
    return ordered[int(rank) - 1]


@contextmanager
def throwaway_database(database_name):
    """A database of its own, migrated, for the `with` block, then dropped: `database_name` on
    PostgreSQL (kept when BENCH_KEEP is set, to read with EXPLAIN ANALYZE), a file in a temporary
    folder on SQLite. Your own database is never touched. Yields the connection."""
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    folder = None
    name = database_name
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tempfile.TemporaryDirectory(prefix="essor-bench-")
        name = str(Path(folder.name) / "bench.sqlite3")
    database.setdefault("TEST", {})["NAME"] = name
    print(f"Creating the database {name} and its tables…", flush=True)
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection
    finally:
        if folder is None and os.environ.get("BENCH_KEEP"):
            print(f"BENCH_KEEP is set: {name} is kept (drop it by hand).")
        else:
            connection.creation.destroy_test_db(original, verbosity=0)
        if folder is not None:
            folder.cleanup()


def analyze(connection):
    """Fresh planner statistics and visibility maps after a bulk fabrication, as autovacuum would
    give them; done here, so that autovacuum does not wake up on the new rows in the middle of the
    timed requests (it did: one run's medians rose by half)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction: a caller inside one gets the statistics only.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
