"""Delivery and the killed-worker window: a claim that no live worker holds for long, the same
Message-ID (and the provider's idempotency key) at every attempt, and the connection closed only
once the SENT mark is written."""

import json
import os
import re
import runpy
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core import mail
from django.core.mail import get_connection
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import essor.settings
from tests.workers.backends import RecordingEmailBackend, SlowServerEmailBackend
from workers import idempotency, outbox
from workers.models import OutboxMessage, OutboxStatus
from workers.tasks import DELIVERY_LIMITS, deliver_message, deliver_messages, flush_outbox

pytestmark = pytest.mark.django_db
SENDER = "Essor <noreply@essor.example.org>"
MESSAGE_ID = re.compile(r"^<[0-9a-f]{32}@essor\.example\.org>$")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def make_message(key="dossier:1:receipt:7", to="camille@example.org"):
    return OutboxMessage.objects.create(
        key=key, to=to, language="en", subject=f"Message {key}", body_text="Hello."
    )


@pytest.fixture
def recording(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.workers.backends.RecordingEmailBackend"
    settings.DEFAULT_FROM_EMAIL = SENDER
    monkeypatch.setattr(RecordingEmailBackend, "events", [])
    monkeypatch.setattr(RecordingEmailBackend, "fails", False)
    return RecordingEmailBackend


def production_settings(monkeypatch, **environment):
    """The settings module as it reads with `environment`, not a copy of it."""
    monkeypatch.setenv("ESSOR_ENV_FILE", os.devnull)
    for name in ("ESSOR_OUTBOX_CLAIM_SECONDS", "EMAIL_TIMEOUT", "ANYMAIL_REQUESTS_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(essor.settings.__file__)


# The claim window


def test_a_live_worker_never_holds_a_claim_as_long_as_the_claim_timeout(settings):
    claim = outbox.CLAIM_TIMEOUT.total_seconds()

    assert claim == 120
    # One call to the mail server ends long before the task's soft limit, the soft limit before
    # the hard one, and the hard one (the worker process killed) before the claim expires.
    mail_call = settings.EMAIL_TIMEOUT
    soft, hard = DELIVERY_LIMITS["soft_time_limit"], DELIVERY_LIMITS["time_limit"]
    assert mail_call < soft < hard < claim
    assert settings.ANYMAIL["REQUESTS_TIMEOUT"] <= mail_call
    # Every task that claims messages, and a batch's last claim with one slow call after it.
    last_claim = outbox.BATCH_SECONDS + mail_call
    for task in (deliver_message, deliver_messages, flush_outbox):
        assert task.time_limit < claim
        assert last_claim < task.soft_time_limit


def test_the_claim_and_mail_timeouts_come_from_the_environment(monkeypatch):
    defaults = production_settings(monkeypatch)
    assert defaults["ESSOR_OUTBOX_CLAIM_SECONDS"] == 120
    assert defaults["EMAIL_TIMEOUT"] == 20
    assert defaults["ANYMAIL"]["REQUESTS_TIMEOUT"] == 20

    shortened = production_settings(monkeypatch, ESSOR_OUTBOX_CLAIM_SECONDS="3", EMAIL_TIMEOUT="5")
    assert shortened["ESSOR_OUTBOX_CLAIM_SECONDS"] == 3
    assert shortened["EMAIL_TIMEOUT"] == 5
    assert shortened["ANYMAIL"]["REQUESTS_TIMEOUT"] == 5


def test_the_mail_backends_give_up_after_the_email_timeout(settings):
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend")
    brevo = get_connection("anymail.backends.brevo.EmailBackend", api_key="key")

    assert smtp.timeout == settings.EMAIL_TIMEOUT == 20
    assert brevo.timeout == 20


def test_a_claim_younger_than_the_timeout_is_left_alone_and_an_older_one_taken_over():
    message = make_message()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert outbox.claim(message.pk) is not None
    with time_machine.travel(start + outbox.CLAIM_TIMEOUT - timedelta(seconds=1), tick=False):
        assert outbox.flush() == 0
    with time_machine.travel(start + outbox.CLAIM_TIMEOUT + timedelta(seconds=1), tick=False):
        assert outbox.flush() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)


# The connection: opened, message sent, SENT written, and only then closed


def test_the_connection_is_closed_only_after_the_sent_mark_one_write_later(recording):
    message = make_message()

    with CaptureQueriesContext(connection) as queries:
        assert outbox.deliver(message.pk) is True

    events = recording.events
    assert [event[0] for event in events] == ["open", "send", "close"]
    (_open, _opened_at), (_send, sent_at, ids), (_close, closed_at) = events
    assert ids == [idempotency.message_id(message.key)]
    # Between the server's acceptance and the closing: one query, the SENT mark.
    assert closed_at - sent_at == 1
    mark = queries.captured_queries[sent_at]["sql"]
    assert mark.startswith("UPDATE") and "sent_at" in mark and "'sent'" in mark
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_failed_send_closes_the_connection_and_releases_the_claim(recording):
    recording.fails = True
    message = make_message()

    assert outbox.deliver(message.pk) is False

    assert [event[0] for event in recording.events] == ["open", "send", "close"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.claimed_at is None
    assert "dropped the line" in message.last_error


# The same Message-ID at every attempt


def test_every_attempt_carries_the_same_message_id_derived_from_the_key(recording):
    recording.fails = True
    message = make_message()
    outbox.deliver(message.pk)
    recording.fails = False

    with time_machine.travel(timezone.now() + outbox.retry_delay(1) + timedelta(seconds=5)):
        assert outbox.flush() == 1

    attempts = [event[2] for event in recording.events if event[0] == "send"]
    assert len(attempts) == 2
    assert attempts[0] == attempts[1]
    assert MESSAGE_ID.match(attempts[0][0])
    assert mail.outbox[0].extra_headers["Message-ID"] == attempts[0][0]


def test_two_messages_never_share_a_message_id(settings):
    settings.DEFAULT_FROM_EMAIL = SENDER
    first, second = make_message("one"), make_message("two")
    outbox.deliver(first.pk)
    outbox.deliver(second.pk)

    ids = [email.message()["Message-ID"] for email in mail.outbox]
    assert len(set(ids)) == 2
    assert all(MESSAGE_ID.match(value) for value in ids)


# Providers' idempotency keys


class FakeBrevoApi(BaseHTTPRequestHandler):
    """Brevo's send endpoint as far as anymail uses it: records each request's JSON body and
    answers each in turn with the next status of `statuses` (201 once they run out)."""

    requests = []
    statuses = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).requests.append((self.path, json.loads(body)))
        status = type(self).statuses.pop(0) if type(self).statuses else 201
        answer = {"messageId": "<1@relay.brevo>"} if status == 201 else {"message": "down"}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_args):
        pass


@pytest.fixture
def brevo_api(settings, monkeypatch):
    monkeypatch.setattr(FakeBrevoApi, "requests", [])
    monkeypatch.setattr(FakeBrevoApi, "statuses", [])
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBrevoApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "anymail.backends.brevo.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = SENDER
    settings.ANYMAIL = {
        "BREVO_API_KEY": "test-key",
        "BREVO_API_URL": f"http://127.0.0.1:{server.server_address[1]}/v3/",
        "REQUESTS_TIMEOUT": 5,
    }
    yield FakeBrevoApi
    server.shutdown()
    server.server_close()


def test_brevo_gets_the_same_idempotency_key_and_message_id_at_every_attempt(brevo_api):
    brevo_api.statuses = [503]
    message = make_message()

    assert outbox.deliver(message.pk) is False
    with time_machine.travel(timezone.now() + outbox.retry_delay(1) + timedelta(seconds=5)):
        assert outbox.flush() == 1

    assert [path for path, _body in brevo_api.requests] == ["/v3/smtp/email"] * 2
    first, second = (body["headers"] for _path, body in brevo_api.requests)
    assert first["idempotencyKey"] == second["idempotencyKey"]
    assert UUID4.fullmatch(first["idempotencyKey"])
    assert first["Message-ID"] == second["Message-ID"] == idempotency.message_id(message.key)
    assert first["X-Essor-Key"] == message.key
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_resend_over_smtp_gets_its_idempotency_header_and_other_servers_none(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "smtp.resend.com"
    resend = idempotency.idempotency_headers("dossier:1:receipt:7")
    again = idempotency.idempotency_headers("dossier:1:receipt:7")
    other_key = idempotency.idempotency_headers("dossier:2:receipt:7")
    settings.EMAIL_HOST = "smtp.example.org"
    other_server = idempotency.idempotency_headers("dossier:1:receipt:7")

    assert re.fullmatch(r"essor-[0-9a-f]{48}", resend["Resend-Idempotency-Key"])
    assert again == resend != other_key
    assert other_server == {}


# Batches stay within their time


def test_a_batch_claims_nothing_new_after_its_time_and_hands_the_rest_on(
    settings, monkeypatch, eager
):
    messages = [make_message(f"batch:{n}") for n in range(5)]
    ids = [message.pk for message in messages]
    monkeypatch.setattr(SlowServerEmailBackend, "meanwhile", lambda: time.sleep(0.3))
    settings.EMAIL_BACKEND = "tests.workers.backends.SlowServerEmailBackend"

    sent, left = outbox.deliver_many(ids, seconds=0.5)

    assert 1 <= sent < 5
    assert left == ids[sent:]
    untouched = OutboxMessage.objects.filter(pk__in=left)
    assert {(m.status, m.attempts) for m in untouched} == {(OutboxStatus.PENDING, 0)}

    # The batch task hands what it did not reach to a new task (inline here).
    monkeypatch.setattr(outbox, "BATCH_SECONDS", 0.5)
    assert deliver_messages.delay(left).get() >= 1
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 5
    assert len(mail.outbox) == 5
