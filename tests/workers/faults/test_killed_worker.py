"""A worker killed (SIGKILL) in the middle of its deliveries: real `celery worker` processes on a
Redis of the test's own, sending over SMTP to a sink that answers each message slowly, with the
claim window shortened to CLAIM_SECONDS (ESSOR_OUTBOX_CLAIM_SECONDS).

Two workers share the receipts; one is killed. Every message arrives. Only a message in flight in
the dead worker may arrive twice (the server had it, the worker died before its SENT mark); its
second copy carries the same Message-ID and goes once the claim window has passed, when beat's
flush (here every half second) hands it to the worker left.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

import pytest
from django.utils import timezone

from tests.workers.faults.smtp_sink import SmtpSink
from workers import outbox
from workers.idempotency import message_id
from workers.models import OutboxMessage, OutboxStatus
from workers.tasks import flush_outbox

ROOT = Path(__file__).resolve().parents[3]
SENDER = "Essor <noreply@essor.example.org>"
CLAIM_SECONDS = 3
RECEIPTS = 150
CONCURRENCY = 4
# Seconds the sink waits before its 250: most of a delivery is spent there, as with a distant
# server, so the kill finds messages the server has and the worker has not marked.
REPLY_DELAY = 0.1
KILL_AFTER = 30
GIVE_UP_SECONDS = 45


def database_url(database):
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    user = quote(database["USER"])
    return f"postgres://{user}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def worker_environment(database, redis_url, sink):
    return {
        **os.environ,
        "ESSOR_ENV_FILE": os.devnull,
        "DATABASE_URL": database_url(database),
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "DEFAULT_FROM_EMAIL": SENDER,
        "ESSOR_OUTBOX_CLAIM_SECONDS": str(CLAIM_SECONDS),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }


def start_worker(environment, log_path, name):
    """`celery worker` as production runs it (every queue), in a process group of its own."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workers",
                "worker",
                "-Q",
                "default,mail,scans",
                "--concurrency",
                str(CONCURRENCY),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"{name}@%h",
            ],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(worker, signum):
    """Signal the worker's process group (the ones this test started), then reap it."""
    with suppress(ProcessLookupError):
        os.killpg(worker.pid, signum)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)


def wait_for(condition, what, log_path, seconds=GIVE_UP_SECONDS, every=0.05, meanwhile=None):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(
                f"Timed out waiting for {what}; worker log:\n{log_path.read_text()[-3000:]}"
            )
        if meanwhile:
            meanwhile()
        time.sleep(every)


def kill_now(worker, sink):
    """SIGKILL to the worker's processes; when, and how many messages had arrived by then."""
    killed = {"at": time.monotonic(), "clock": timezone.now(), "accepted": len(sink.accepted)}
    stop(worker, signal.SIGKILL)
    return killed


def ready(log_path):
    return " ready." in log_path.read_text()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_loses_nothing_and_resends_only_what_was_in_flight(
    own_redis, postgresql, settings, tmp_path
):
    settings.DEFAULT_FROM_EMAIL = SENDER
    doomed_log, successor_log = tmp_path / "doomed.log", tmp_path / "successor.log"
    with SmtpSink(reply_delay=REPLY_DELAY) as sink:
        environment = worker_environment(postgresql, own_redis.url, sink)
        doomed = start_worker(environment, doomed_log, "doomed")
        successor = start_worker(environment, successor_log, "successor")
        try:
            wait_for(lambda: ready(doomed_log) and ready(successor_log), "workers", doomed_log)
            # Queued as receipts are, each dispatched through Redis once written; the kill comes
            # as soon as KILL_AFTER have arrived, while deliveries go on in both workers.
            keys = [f"dossier:{n}:receipt" for n in range(RECEIPTS)]
            started = time.monotonic()
            kill = {}
            for n, key in enumerate(keys):
                outbox.queue_rendered(
                    key=key,
                    to=f"applicant{n}@example.org",
                    language="en",
                    subject="Your dossier was submitted",
                    body_text="We received your dossier.",
                )
                if not kill and len(sink.accepted) >= KILL_AFTER:
                    kill = kill_now(doomed, sink)
            if not kill:
                wait_for(lambda: len(sink.accepted) >= KILL_AFTER, "deliveries", doomed_log)
                kill = kill_now(doomed, sink)
            killed_at, killed_clock, accepted_at_kill = kill["at"], kill["clock"], kill["accepted"]
            # What the live worker held at the kill is sent and marked a moment later; what the
            # dead one held stays SENDING until its claim expires.
            time.sleep(1)
            in_flight = set(
                OutboxMessage.objects.filter(
                    status=OutboxStatus.SENDING, claimed_at__lte=killed_clock
                ).values_list("key", flat=True)
            )
            wait_for(
                lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists(),
                "every receipt to be sent",
                successor_log,
                every=0.5,
                meanwhile=flush_outbox.apply_async,
            )
            done_at = time.monotonic()
        finally:
            stop(doomed, signal.SIGKILL)
            stop(successor, signal.SIGTERM)

    copies = sink.copies()
    duplicates = {mid: items for mid, items in copies.items() if len(items) > 1}
    resent_after = sorted(items[1].at - items[0].at for items in duplicates.values())
    print(
        f"\nkilled worker: {RECEIPTS} receipts, one of two workers killed after {accepted_at_kill} "
        f"accepted ({killed_at - started:.1f}s), {len(in_flight)} in flight in it; "
        f"{len(copies)} delivered, {len(sink.accepted)} copies, {len(duplicates)} duplicates; "
        f"re-sent {', '.join(f'{s:.1f}' for s in resent_after) or '-'}s after the first copy "
        f"(claim window {CLAIM_SECONDS}s); all sent {done_at - killed_at:.1f}s after the kill"
    )
    # Nothing lost: every receipt reached the server, and is marked sent.
    assert set(copies) == {message_id(key) for key in keys}
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == RECEIPTS
    assert in_flight, "the kill should find deliveries in flight"
    # Twice at most, only what the dead worker held, with the same Message-ID (the copies are
    # grouped by it), once the claim window has passed, and soon after (the flush waits in the
    # `mail` queue behind the receipts still to send).
    assert set(duplicates) <= {message_id(key) for key in in_flight}
    assert len(duplicates) <= CONCURRENCY
    assert all(len(items) == 2 for items in duplicates.values())
    assert all(CLAIM_SECONDS - 0.5 <= seconds <= CLAIM_SECONDS + 10 for seconds in resent_after)
    assert len(sink.accepted) == RECEIPTS + len(duplicates)
    # Only the messages in flight used a second attempt.
    twice = OutboxMessage.objects.filter(attempts=2).values_list("key", flat=True)
    assert set(twice) <= in_flight
    assert not OutboxMessage.objects.filter(attempts__gt=2).exists()
