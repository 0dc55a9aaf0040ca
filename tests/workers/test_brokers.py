"""Delivery through a real broker and a real (in-process) Celery worker: the embedded filesystem
transport of `make run`, and Redis as in production and CI."""

import time
import uuid
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections

from tests.services import require_redis
from workers.celery import app as celery_app
from workers.celery import create_app, ensure_broker_folders
from workers.models import OutboxMessage, OutboxStatus
from workers.tasks import deliver_message

WAIT_SECONDS = 30
QUEUES = ["default", "mail", "scans"]


def make_message(key, to="camille@example.org"):
    return OutboxMessage.objects.create(
        key=key, to=to, language="en", subject=f"Message {key}", body_text="Hello."
    )


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {WAIT_SECONDS}s waiting for {what}")
        time.sleep(0.1)


def sent_to(address):
    return [email for email in mail.outbox if email.to == [address]]


def _close_worker_connections(**_kwargs):
    # Runs in the worker's thread: its database connections must not outlive the test.
    connections.close_all()


@pytest.fixture
def worker_app(monkeypatch):
    """A fresh Celery app configured from the (overridden) settings, made current for the test.

    `deliver_message.delay` resolves to the current app, as it does in a web process."""
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")
    app = create_app(f"essor-test-{uuid.uuid4().hex[:8]}")
    app.conf.worker_hijack_root_logger = False
    app.set_current()
    task_postrun.connect(_close_worker_connections, weak=False)
    yield app
    task_postrun.disconnect(_close_worker_connections)
    celery_app.set_current()
    celery_app.set_default()


@contextmanager
def running_worker(app, **options):
    """A worker in a thread of the test's process, reading every queue as production's do
    (deliveries are routed to `mail`, scans to `scans`) unless `queues` is given."""
    options.setdefault("queues", QUEUES)
    with start_worker(app, perform_ping_check=False, shutdown_timeout=WAIT_SECONDS, **options):
        yield


@pytest.mark.django_db(transaction=True)
def test_the_embedded_filesystem_broker_carries_a_delivery_to_a_worker(settings, tmp_path, request):
    queue = tmp_path / "broker" / "queue"
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(tmp_path / "broker" / "processed"),
        "store_processed": False,
    }
    ensure_broker_folders()
    app = request.getfixturevalue("worker_app")
    message = make_message("filesystem")

    deliver_message.delay(message.pk)

    # No worker yet: the task waits as a file in the broker folder.
    files = list(queue.iterdir())
    assert len(files) == 1
    assert "workers.tasks.deliver_message" in files[0].read_text()
    assert mail.outbox == []

    with running_worker(app):
        wait_until(lambda: len(mail.outbox) == 1, "the worker to send the e-mail")
        wait_until(lambda: not any(queue.iterdir()), "the worker to consume the message file")

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert sent_to("camille@example.org")[0].subject == "Message filesystem"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_delivery_through_redis_sends_the_email_exactly_once(settings, request):
    redis_url = require_redis()
    # Settings take the broker from REDIS_URL; the test uses exactly that configuration.
    assert redis_url == settings.CELERY_BROKER_URL
    app = request.getfixturevalue("worker_app")
    assert app.conf.broker_url == redis_url
    # A queue of its own, so that nothing else left in Redis is consumed here.
    queue = f"essor-test-{uuid.uuid4().hex}"
    message = make_message("redis", to="camille@example.org")
    last = make_message("redis-last", to="last@example.org")

    with running_worker(app, queues=[queue]):
        # A retry racing the first delivery: the same message twice through Redis.
        deliver_message.apply_async((message.pk,), queue=queue)
        deliver_message.apply_async((message.pk,), queue=queue)
        # Tasks run in order on this one worker: once the last one is sent, both were handled.
        deliver_message.apply_async((last.pk,), queue=queue)
        wait_until(lambda: sent_to("last@example.org"), "the worker to send the last e-mail")

    assert len(sent_to("camille@example.org")) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
