"""Benchmark of the public pages under gunicorn (issue 13, point 4): a call's page and the agenda,
served to anonymous visitors from the page cache (essor/page_cache.py), against a bare Django view
answered by the same server through the same middleware. Target: each page's throughput at least
half the bare view's.

    .venv/bin/python bench/public_pages.py                    # SQLite file in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor .venv/bin/python bench/public_pages.py

It creates its own database (`essor_bench_public_pages` on PostgreSQL, or BENCH_DATABASE), puts a
call and an agenda of BENCH_ENTRIES entries in it, starts gunicorn as scripts/run.py does (2
workers of 4 threads: BENCH_WORKERS, BENCH_THREADS) on a free port with bench/bench_settings.py,
and sends each URL BENCH_SECONDS (5) of requests from BENCH_CLIENTS (8) threads, each on its own
kept-alive connection, after a warm-up. It then does the same with the page cache turned off
(ESSOR_PAGE_CACHE_SECONDS=0), for comparison. It prints requests per second and the ratio to the
bare view, stops the server and drops the database. Exit status 0 when the target is met, else 1.
"""

import http.client
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from common import ROOT, throwaway_database

DATABASE_NAME = os.environ.get("BENCH_DATABASE", "essor_bench_public_pages")
ENTRIES = int(os.environ.get("BENCH_ENTRIES", 30))
SECONDS = float(os.environ.get("BENCH_SECONDS", 5))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 8))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
THREADS = os.environ.get("BENCH_THREADS", "4")
WARM_UP = 50
TARGET_RATIO = 0.5
BARE = "/bench/bare/"


def fabricate():
    """A live call with its form, and an agenda of ENTRIES upcoming entries from a few actors.
    Returns the call's URL."""
    from tests import factories
    from tests.cms.agenda_helpers import make_actor, make_entry, soon

    call = factories.make_call(title="Tiers-lieux ruraux", slug="tiers-lieux-ruraux")
    actors = [make_actor(name=f"Réseau {n}") for n in range(5)]
    for n in range(ENTRIES):
        make_entry(
            title=f"Rencontre {n}",
            starts_at=soon(days=2 + n),
            themes=["employment", "food"],
            co_organisers=[actors[n % len(actors)]],
        )
    return call.url


def database_url():
    """The URL of the database the `with throwaway_database` block made, for the server."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{database['NAME']}"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port, cache_seconds):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "DATABASE_URL": database_url(),
        "ESSOR_PAGE_CACHE_SECONDS": str(cache_seconds),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "essor.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            WORKERS,
            "--threads",
            THREADS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _cache, _size = get(
                http.client.HTTPConnection("127.0.0.1", port, timeout=5), BARE
            )
            if status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def get(connection, url):
    """(status, X-Essor-Cache, size) of one GET on a kept-alive connection, its body read whole."""
    connection.request("GET", url)
    response = connection.getresponse()
    size = len(response.read())
    return response.status, response.getheader("X-Essor-Cache"), size


def throughput(port, url):
    """(requests per second, count, share of non-200 answers, share served from the cache)."""
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _n in range(WARM_UP):
        get(warm, url)
    warm.close()
    counts = []
    start = threading.Barrier(CLIENTS + 1)

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        done = failed = hits = 0
        start.wait()
        deadline = time.perf_counter() + SECONDS
        while time.perf_counter() < deadline:
            status, cache, _size = get(connection, url)
            done += 1
            failed += status != 200
            hits += cache == "hit"
        counts.append((done, failed, hits))

    threads = [threading.Thread(target=client) for _n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    done = sum(c[0] for c in counts)
    return done / elapsed, done, sum(c[1] for c in counts) / done, sum(c[2] for c in counts) / done


def measure(pages, cache_seconds, same_size=False):
    """{label: (requests per second, count, failed share, hit share)} under one server; with
    `same_size`, also the bare view answering as many bytes as each page."""
    port = free_port()
    server = start_server(port, cache_seconds)
    try:
        results = {label: throughput(port, url) for label, url in pages}
        if same_size:
            for _label, url in pages[1:]:
                _status, _cache, size = get(http.client.HTTPConnection("127.0.0.1", port), url)
                sized = f"{BARE}{size}/"
                results[f"bare, {size // 1024} KiB"] = throughput(port, sized)
        return results
    finally:
        stop_server(server)


def main():
    import django

    django.setup()
    logging.disable(logging.INFO)
    with throwaway_database(DATABASE_NAME):
        call_url = fabricate()
        pages = [("bare Django view", BARE), ("call page", call_url), ("agenda", "/agenda/")]
        print(
            f"A call and {ENTRIES} agenda entries; gunicorn {WORKERS} workers × {THREADS} "
            f"threads, {CLIENTS} client threads, {SECONDS:g} s per URL.",
            flush=True,
        )
        cached = measure(pages, 300, same_size=True)
        uncached = measure(pages, 0)
    met = True
    print(
        f"{'URL':<18} {'cached req/s':>13} {'ratio':>6} {'hits':>5}   "
        f"{'uncached req/s':>15} {'ratio':>6}"
    )
    bare = pages[0][0]
    for label, (rate, _count, failed, hits) in cached.items():
        ratio = rate / cached[bare][0]
        if label in dict(pages) and label != bare:
            met = met and ratio >= TARGET_RATIO and failed == 0
        plain = ""
        if label in uncached:
            plain_rate = uncached[label][0]
            plain = f"{plain_rate:>15.0f} {plain_rate / uncached[bare][0]:>6.2f}"
        errors = f"  ({failed:.0%} not 200)" if failed else ""
        print(f"{label:<18} {rate:>13.0f} {ratio:>6.2f} {hits:>5.0%}   {plain}{errors}")
    print(
        f"Target: each page at least {TARGET_RATIO} of the bare view's throughput: "
        f"{'met' if met else 'NOT met'}."
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
