"""Redis down or hung: applicants keep their sessions, save and submit, and no e-mail is lost or
sent twice. Settings are those the project reads with REDIS_URL pointing at a Redis of the test's
own (a real redis-server, a closed port, or a socket that never answers), never the shared one."""

import os
import runpy
import shutil
import socket
import subprocess
import threading
import time
import uuid
from contextlib import contextmanager

import pytest
import redis
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

import essor.settings
from applications.domain.attachments import attach_file
from applications.models import Dossier
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, ensure_wagtail_tree, form_post
from tests.applications.test_files import PDF, upload
from tests.workers.test_brokers import running_worker, sent_to, wait_until
from workers import outbox
from workers.celery import app as celery_app
from workers.celery import create_app
from workers.idempotency import message_id
from workers.models import OutboxMessage, OutboxStatus
from workers.tasks import flush_outbox

# One call to a hung Redis waits for its read timeout (1 s for the cache, 2 s for the broker);
# the limits leave a wide margin for a busy CI machine, and stay far below GIVE_UP_SECONDS, what
# a client with no timeout would wait.
LIMIT_SECONDS = 6
# A request that meets both the cache and the broker (1 s + 2 s), and does its own work.
REQUEST_LIMIT_SECONDS = 9
PASSWORD = "correct-horse-battery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed(action):
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


class HungRedis:
    """A TCP server that accepts connections and never answers, as a hung Redis does.

    It drops each connection after GIVE_UP_SECONDS, so that code without socket timeouts fails
    the test instead of hanging it for ever."""

    GIVE_UP_SECONDS = 30

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.listener.settimeout(0.1)
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.held = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while not self.stopped.is_set():
            try:
                connection, _address = self.listener.accept()
                self.held.append((time.monotonic(), connection))
            except TimeoutError:
                pass
            for accepted, connection in list(self.held):
                if time.monotonic() - accepted > self.GIVE_UP_SECONDS:
                    connection.close()
                    self.held.remove((accepted, connection))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()
        for _accepted, connection in self.held:
            connection.close()
        self.listener.close()


class OwnRedis:
    """A redis-server of the test's own, on a free port, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    pytest.fail("The test's own redis-server did not start")
                time.sleep(0.05)
            finally:
                client.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def settings_with_redis_url(monkeypatch, url):
    """The project's settings module as it reads with REDIS_URL=url: production's configuration
    of the cache, the sessions and the broker, not a copy of it."""
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setenv("ESSOR_ENV_FILE", os.devnull)
    return runpy.run_path(essor.settings.__file__)


@contextmanager
def redis_at(url, settings, monkeypatch):
    """Cache, sessions and broker on the Redis at `url`, with a fresh Celery app made current
    (a web process publishes through the current app)."""
    production = settings_with_redis_url(monkeypatch, url)
    for name in (
        "REDIS_URL",
        "CACHES",  # Django's test signal closes and forgets the cache connections
        "SESSION_ENGINE",
        "CELERY_BROKER_URL",
        "CELERY_BROKER_TRANSPORT_OPTIONS",
    ):
        setattr(settings, name, production[name])
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")
    app = create_app(f"essor-outage-{uuid.uuid4().hex[:8]}")
    app.conf.worker_hijack_root_logger = False
    app.set_current()
    try:
        yield app
    finally:
        app.close()
        celery_app.set_current()
        celery_app.set_default()


@pytest.fixture
def hung_redis(settings, monkeypatch):
    with HungRedis() as hung, redis_at(hung.url, settings, monkeypatch):
        yield hung


@pytest.fixture
def stopped_redis(settings, monkeypatch):
    """REDIS_URL names a port where nothing listens: Redis is down."""
    with redis_at(f"redis://127.0.0.1:{free_port()}/0", settings, monkeypatch):
        yield


@pytest.fixture
def own_redis(settings, monkeypatch):
    if shutil.which("redis-server") is None:
        # Marked `services`: in CI this skip is a failure.
        pytest.skip("redis-server is not installed")
    server = OwnRedis()
    server.start()
    try:
        with redis_at(server.url, settings, monkeypatch) as app:
            server.app = app
            yield server
    finally:
        server.stop()


def applicant_dossier(*, answers):
    """A draft of an owner's structure (with its budget file), and an editor who gets the
    receipt too."""
    ensure_wagtail_tree()
    owner = factories.MembershipFactory(role="owner").user
    structure = owner.memberships.get().structure
    factories.MembershipFactory(structure=structure, role="editor")
    call = factories.make_call(form=FULL_FORM)
    dossier = factories.make_dossier(
        call=call, structure=structure, answers=answers, created_by=owner
    )
    attach_file(dossier, "q-files", upload("budget.pdf", PDF), owner)
    return owner, dossier


def page(dossier):
    return reverse("applications:dossier", args=[dossier.pk])


def log_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accelerator:landing")


# Settings


def test_sessions_never_live_in_redis_and_every_redis_client_has_timeouts(monkeypatch):
    production = settings_with_redis_url(monkeypatch, "redis://cache.internal:6379/0")

    assert production["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    cache_settings = production["CACHES"]["default"]
    assert cache_settings["BACKEND"] == "essor.cache.DegradingRedisCache"
    assert cache_settings["OPTIONS"]["socket_connect_timeout"] <= 1
    assert cache_settings["OPTIONS"]["socket_timeout"] <= 1
    broker = production["CELERY_BROKER_TRANSPORT_OPTIONS"]
    assert broker["socket_connect_timeout"] <= 1
    # Above kombu's BRPOP timeout (1 s), at most a couple of seconds.
    assert 1 < broker["socket_timeout"] <= 2
    assert broker["max_retries"] == 0


# Redis down


@pytest.mark.django_db
def test_log_in_save_and_submit_work_while_redis_is_down(stopped_redis, client):
    owner, dossier = applicant_dossier(answers={**COMPLETE_ANSWERS, "q-desc": ""})

    log_in(client, owner)  # allauth's rate limits read the cache
    saved = client.post(page(dossier), form_post(revision=0))
    submitted = client.post(page(dossier), form_post(revision=1, action="submit"))

    assert saved.status_code == submitted.status_code == 302
    assert submitted["Location"] == page(dossier)
    dossier.refresh_from_db()
    assert dossier.answers["q-desc"] == COMPLETE_ANSWERS["q-desc"]
    assert dossier.state == "submitted"
    assert Session.objects.count() == 1


@pytest.mark.django_db
def test_an_impact_report_is_submitted_and_its_notice_queued_once_while_redis_is_down(
    stopped_redis, client
):
    from accelerator.models import ImpactReport
    from tests.accelerator.impact.test_report_page import TYPED, post_data, url, world
    from tests.accelerator.impact.world import first_report

    accompaniment = world()
    report = first_report(accompaniment)
    client.force_login(accompaniment.editor)
    data = post_data("submit", TYPED, "Un semestre riche.")

    submitted = client.post(url(report), data)
    again = client.post(url(report), data)  # the same click, sent twice

    assert submitted.status_code == 302
    assert again.status_code == 200  # refused in place: it is submitted already
    report = ImpactReport.objects.get(pk=report.pk)
    assert (report.state, report.narrative) == ("submitted", "Un semestre riche.")
    assert report.values.count() == len(TYPED)
    notices = list(OutboxMessage.objects.filter(key__startswith="impact-report-moved:"))
    assert [(n.to, n.status) for n in notices] == [
        (accompaniment.referent.email, OutboxStatus.PENDING)
    ]
    assert mail.outbox == []


def test_the_cache_answers_a_miss_while_redis_is_down(stopped_redis):
    assert cache.get("key", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("key", "value")
    assert cache.add("lock", True) is True  # locks and first hits go through
    assert cache.get_or_set("computed", lambda: 42) == 42
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.delete("key") is False


# Redis hung


@pytest.mark.django_db
def test_a_hung_redis_holds_a_dispatch_a_cache_read_and_the_health_check_a_few_seconds(
    hung_redis, client
):
    message = OutboxMessage.objects.create(
        key="hung", to="camille@example.org", language="en", subject="Hello", body_text="Hello."
    )

    _result, dispatch_seconds = timed(lambda: outbox.dispatch(message.pk))
    value, cache_seconds = timed(lambda: cache.get("key", "miss"))
    health, health_seconds = timed(lambda: client.get(reverse("healthz")))
    # Within the pause after a failure, the next dispatch does not wait at all.
    _result, second_dispatch_seconds = timed(lambda: outbox.dispatch(message.pk))

    print(
        f"hung Redis: dispatch {dispatch_seconds:.2f}s, then {second_dispatch_seconds:.2f}s; "
        f"cache read {cache_seconds:.2f}s; health check {health_seconds:.2f}s"
    )
    assert dispatch_seconds < LIMIT_SECONDS
    assert second_dispatch_seconds < 1.0
    assert value == "miss" and cache_seconds < LIMIT_SECONDS
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "redis": "unreachable"}
    assert health_seconds < LIMIT_SECONDS
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING  # nothing lost: the flush sends it
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_submitting_while_redis_hangs_answers_within_seconds_and_keeps_the_receipts(
    hung_redis, client
):
    owner, dossier = applicant_dossier(answers=dict(COMPLETE_ANSWERS))
    client.force_login(owner)

    response, seconds = timed(
        lambda: client.post(page(dossier), form_post(revision=0, action="submit"))
    )

    print(f"hung Redis: submitting (two receipts to dispatch) took {seconds:.2f}s")
    assert response.status_code == 302
    assert seconds < REQUEST_LIMIT_SECONDS
    assert Dossier.objects.get(pk=dossier.pk).state == "submitted"
    receipts = OutboxMessage.objects.all()
    assert len(receipts) == 2
    assert {receipt.status for receipt in receipts} == {OutboxStatus.PENDING}


# A real Redis stopped in the middle of the work, then started again


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_redis_stopped_while_an_applicant_saves_and_submits_then_restarted(own_redis, client):
    owner, dossier = applicant_dossier(answers={**COMPLETE_ANSWERS, "q-desc": ""})
    log_in(client, owner)
    assert client.get(page(dossier)).status_code == 200
    cache.set("proof", "the cache is this Redis")
    assert redis.Redis.from_url(own_redis.url).exists(":1:proof") == 1

    own_redis.stop()
    saved, save_seconds = timed(lambda: client.post(page(dossier), form_post(revision=0)))
    submitted, submit_seconds = timed(
        lambda: client.post(page(dossier), form_post(revision=1, action="submit"))
    )
    later_client = Client()
    log_in(later_client, owner)  # a log-in during the outage

    print(f"Redis stopped: save {save_seconds:.2f}s, submit {submit_seconds:.2f}s")
    assert saved.status_code == submitted.status_code == 302
    assert submitted["Location"] == page(dossier)  # still logged in, not sent to log in
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert dossier.answers["q-desc"] == COMPLETE_ANSWERS["q-desc"]
    receipts = list(OutboxMessage.objects.all())
    assert len(receipts) == 2
    assert {receipt.status for receipt in receipts} == {OutboxStatus.PENDING}
    assert mail.outbox == []

    own_redis.start()
    with running_worker(own_redis.app):
        # Beat's flush, through the broker, races a flush of its own: each receipt goes once.
        flush_outbox.delay()
        outbox.flush()
        wait_until(
            lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 2,
            "the receipts to be sent",
        )
        outbox.flush()

    assert len(mail.outbox) == 2
    assert len(sent_to(owner.email)) == 1
    assert {receipt.to for receipt in receipts} == {m.to[0] for m in mail.outbox}
    # Once each, by Message-ID: the same at every attempt, derived from the outbox key.
    sent_ids = sorted(m.message()["Message-ID"] for m in mail.outbox)
    assert sent_ids == sorted(message_id(receipt.key) for receipt in receipts)
