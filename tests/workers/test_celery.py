"""Celery as production runs it: deliveries on `mail`, scans on `scans`, every worker command
reading every queue, late acknowledgement, and a single beat in the production stack."""

from pathlib import Path

import pytest

from scripts.run import commands
from workers.celery import app as celery_app
from workers.tasks import (
    clear_expired_sessions,
    deliver_message,
    deliver_messages,
    flush_outbox,
    scan_reminders,
    send_digests,
)

ROOT = Path(__file__).resolve().parents[2]
QUEUES = {"default", "mail", "scans"}


def queue_of(task):
    return celery_app.amqp.router.route({}, task.name, (), {})["queue"].name


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        (deliver_message, "mail"),
        (deliver_messages, "mail"),
        (flush_outbox, "mail"),
        (scan_reminders, "scans"),
        (send_digests, "scans"),
        (clear_expired_sessions, "default"),
    ],
)
def test_deliveries_go_to_the_mail_queue_and_scans_to_the_scans_queue(task, queue):
    assert queue_of(task) == queue


def test_tasks_survive_a_worker_crash_and_run_within_time_limits():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    for task in (deliver_message, deliver_messages, flush_outbox, scan_reminders, send_digests):
        assert 0 < task.soft_time_limit < task.time_limit


def test_the_redis_visibility_timeout_is_above_every_time_limit(settings):
    # A task held by a worker that died comes back once this has passed, never while it runs.
    longest = max(t.time_limit for t in (deliver_message, scan_reminders, send_digests))
    assert settings.ESSOR_REDIS_BROKER_OPTIONS["visibility_timeout"] > longest


def worker_queues(command):
    flag = command.index("-Q")
    return set(command[flag + 1].split(","))


def test_the_embedded_worker_reads_every_queue_and_runs_beat():
    worker = commands("127.0.0.1", 8000)["worker"]

    assert worker_queues(worker) == QUEUES
    assert "--beat" in worker
    routed = {route["queue"] for route in celery_app.conf.task_routes.values()}
    assert routed | {celery_app.conf.task_default_queue} == QUEUES


@pytest.fixture(scope="module")
def compose():
    yaml = pytest.importorskip("yaml", reason="PyYAML reads docker-compose.yml")
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_production_worker_reads_every_queue_without_beat(compose):
    worker = compose["services"]["worker"]["command"]

    assert worker_queues(worker) == QUEUES
    assert not {"-B", "--beat"} & set(worker)


def test_the_production_beat_reads_the_database_schedule_and_runs_alone(compose):
    services = compose["services"]
    beat = services["beat"]

    assert beat["command"][:4] == ["celery", "-A", "workers", "beat"]
    assert "--scheduler=django_celery_beat.schedulers:DatabaseScheduler" in beat["command"]
    assert not any(part.startswith(("--schedule=", "-s")) for part in beat["command"])
    # A fixed container name: Compose refuses to start a second beat.
    assert beat["container_name"] == "${COMPOSE_PROJECT_NAME:-essor}-beat"
    assert beat["deploy"]["replicas"] == 1
    assert "beat-schedule" not in (compose.get("volumes") or {})
    beats = [
        name
        for name, service in services.items()
        if "beat" in service.get("command", []) or "--beat" in service.get("command", [])
    ]
    assert beats == ["beat"]
