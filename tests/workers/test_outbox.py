from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from tests.workers.backends import SlowServerEmailBackend
from workers import outbox
from workers.celery import app as celery_app
from workers.celery import create_app
from workers.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


def queue_notice(key="dossier:1:receipt:7", to="camille@example.org", **options):
    return outbox.queue_email(
        key=key,
        to=to,
        template="tests_workers/notice",
        context={
            "structure_name": "L'Atelier & Co",
            "action_url": "https://essor.example.org/me/dossiers/1/",
        },
        language="en",
        **options,
    )


# Queuing


def test_a_message_queued_in_a_rolled_back_transaction_is_neither_stored_nor_sent(
    eager, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_notice()
        raise RuntimeError("the change that caused the e-mail failed")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_queuing_the_same_key_twice_keeps_one_message_with_the_first_content():
    first = queue_notice(to="camille@example.org")
    second = queue_notice(to="someone.else@example.org")

    assert second.pk == first.pk
    assert OutboxMessage.objects.get().to == "camille@example.org"


def test_a_queued_message_is_rendered_now_in_text_and_html():
    message = queue_notice()

    assert message.status == OutboxStatus.PENDING
    assert message.language == "en"
    # Plain text is not HTML-escaped; the HTML part is.
    assert message.subject == "News for L'Atelier & Co"
    assert "Hello L'Atelier & Co," in message.body_text
    assert "https://essor.example.org/me/dossiers/1/" in message.body_text
    assert "Hello L&#x27;Atelier &amp; Co," in message.body_html
    assert 'href="https://essor.example.org/me/dossiers/1/"' in message.body_html


def test_the_shared_base_templates_carry_the_programme_name_and_a_footer(settings):
    settings.ESSOR_PROGRAMME_NAME = "Accélérateur Centre-Val de Loire"
    settings.SITE_URL = "https://essor.example.org"

    message = queue_notice()

    for body in (message.body_text, message.body_html):
        assert "Accélérateur Centre-Val de Loire" in body
        assert "Please do not reply to this automatic message." in body
        assert "https://essor.example.org/" in body
    assert "<title>News for L&#x27;Atelier &amp; Co</title>" in message.body_html
    assert "style=" in message.body_html  # inline styles: mail clients drop <style> blocks


def test_a_held_message_waits_until_it_is_released(eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_notice(hold=True)
    assert mail.outbox == []
    assert outbox.flush() == 0

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.release([message.pk]) == 1

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


# Dispatch on commit


def test_delivery_is_dispatched_only_when_the_transaction_commits(
    eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            message = queue_notice()
        # Not yet committed: nothing has been sent.
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["camille@example.org"]
    assert sent.subject == "News for L'Atelier & Co"
    assert sent.alternatives[0].mimetype == "text/html"
    assert sent.extra_headers["X-Essor-Key"] == "dossier:1:receipt:7"
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_sends_and_a_real_rollback_does_not(eager):
    with transaction.atomic():
        queue_notice(key="committed")
        assert mail.outbox == []
    assert [m.extra_headers["X-Essor-Key"] for m in mail.outbox] == ["committed"]

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_notice(key="rolled-back")
        raise RuntimeError("rolled back")
    assert len(mail.outbox) == 1
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["committed"]


def test_a_message_queued_while_the_broker_is_down_is_kept_and_sent_by_the_flush(
    settings, django_capture_on_commit_callbacks
):
    # Nothing listens on port 1: publishing fails, the caller must not notice.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = settings.ESSOR_REDIS_BROKER_OPTIONS
    create_app("essor-broker-down").set_current()
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            message = queue_notice()
    finally:
        celery_app.set_current()

    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert mail.outbox == []

    assert outbox.flush() == 1
    assert len(mail.outbox) == 1


# Delivery


def test_delivering_the_same_message_twice_sends_one_email():
    message = queue_notice()

    assert outbox.deliver(message.pk) is True
    assert outbox.deliver(message.pk) is False

    assert len(mail.outbox) == 1


def test_a_message_being_sent_by_another_worker_is_not_sent_again():
    message = queue_notice()
    assert outbox.claim(message.pk) is not None  # another worker holds the claim

    assert outbox.deliver(message.pk) is False
    assert outbox.flush() == 0
    assert mail.outbox == []


def test_a_message_due_later_is_not_sent_before_its_time():
    message = queue_notice(send_after=timezone.now() + timedelta(hours=1))

    assert outbox.deliver(message.pk) is False
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert outbox.deliver(message.pk) is True
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_retried_later_without_raising(unreachable_mail_server):
    message = queue_notice()
    before = timezone.now()

    assert outbox.deliver(message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "refused the connection" in message.last_error
    assert message.send_after >= before + outbox.retry_delay(1)
    assert message.claimed_at is None


def test_the_delay_between_attempts_grows_up_to_a_cap():
    delays = [outbox.retry_delay(attempts) for attempts in range(1, 12)]

    assert delays[:3] == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert delays == sorted(delays)
    assert delays[-1] == outbox.MAX_RETRY_DELAY


def test_a_message_fails_for_good_after_the_maximum_number_of_attempts(unreachable_mail_server):
    message = queue_notice()
    now = timezone.now()

    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        with time_machine.travel(now, tick=False):
            assert outbox.flush() == 0
        message.refresh_from_db()
        assert message.attempts == attempt
        now = message.send_after + timedelta(seconds=1)

    assert message.status == OutboxStatus.FAILED
    assert "refused the connection" in message.last_error
    with time_machine.travel(now + timedelta(days=1)):
        assert outbox.due_message_ids() == []


def test_the_flush_sends_a_failed_message_once_its_delay_has_passed(
    settings, unreachable_mail_server
):
    message = queue_notice()
    outbox.deliver(message.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert outbox.flush() == 0  # still waiting for its delay
    with time_machine.travel(timezone.now() + outbox.retry_delay(1) + timedelta(seconds=5)):
        assert outbox.flush() == 1

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert len(mail.outbox) == 1


def test_the_flush_sends_due_messages_only():
    due = queue_notice(key="due")
    queue_notice(key="later", send_after=timezone.now() + timedelta(hours=2))
    queue_notice(key="held", hold=True)
    already_sent = queue_notice(key="sent")
    outbox.deliver(already_sent.pk)
    mail.outbox.clear()

    assert outbox.flush() == 1

    assert [m.extra_headers["X-Essor-Key"] for m in mail.outbox] == ["due"]
    due.refresh_from_db()
    assert due.status == OutboxStatus.SENT


def test_a_stale_claim_from_a_worker_that_died_is_retried():
    long_ago = timezone.now() - outbox.CLAIM_TIMEOUT - timedelta(minutes=1)
    with time_machine.travel(long_ago):
        stale = queue_notice(key="stale")
        assert outbox.claim(stale.pk) is not None
    recent = queue_notice(key="recent")
    assert outbox.claim(recent.pk) is not None

    assert outbox.flush() == 1

    assert [m.extra_headers["X-Essor-Key"] for m in mail.outbox] == ["stale"]
    stale.refresh_from_db()
    assert stale.status == OutboxStatus.SENT
    assert stale.attempts == 2
    recent.refresh_from_db()
    assert recent.status == OutboxStatus.SENDING


@pytest.mark.parametrize("slow_send", ["fails", "succeeds"])
def test_a_worker_that_finishes_after_its_claim_was_taken_over_does_not_overwrite_it(
    settings, monkeypatch, slow_send
):
    message = queue_notice()
    later = timezone.now() + outbox.CLAIM_TIMEOUT + timedelta(minutes=1)
    taken_over = []

    def another_worker_takes_over():
        # The slow worker's claim has expired: the periodic flush takes the message over.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        with time_machine.travel(later, tick=False):
            taken_over.append(outbox.flush())
        settings.EMAIL_BACKEND = "tests.workers.backends.SlowServerEmailBackend"

    monkeypatch.setattr(SlowServerEmailBackend, "meanwhile", another_worker_takes_over)
    monkeypatch.setattr(SlowServerEmailBackend, "fails", slow_send == "fails")
    settings.EMAIL_BACKEND = "tests.workers.backends.SlowServerEmailBackend"

    outbox.deliver(message.pk)  # the slow worker

    assert taken_over == [1]
    # Its final update only touches the row while its claim stands: the row is the one the
    # worker that took over wrote, never sent again nor stamped with the slow worker's time.
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at == later
    assert message.attempts == 2
    assert message.last_error == ""
    assert message.claimed_at == later
    assert outbox.due_message_ids() == []
    assert len(mail.outbox) == (1 if slow_send == "fails" else 2)


def test_a_last_attempt_that_died_mid_send_ends_as_failed():
    long_ago = timezone.now() - outbox.CLAIM_TIMEOUT - timedelta(minutes=1)
    with time_machine.travel(long_ago):
        message = queue_notice()
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
        assert outbox.claim(message.pk) is not None

    assert outbox.flush() == 0

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "stopped while sending" in message.last_error
    assert mail.outbox == []


def test_staff_can_give_failed_messages_a_fresh_set_of_attempts(
    eager, django_capture_on_commit_callbacks
):
    message = queue_notice()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, attempts=outbox.MAX_ATTEMPTS
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.retry_failed([message.pk]) == 1

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 1


# Tasks


def test_the_deliver_task_sends_one_message(eager):
    from workers.tasks import deliver_message

    message = queue_notice()

    assert deliver_message.delay(message.pk).get() is True
    assert deliver_message.delay(message.pk).get() is False
    assert len(mail.outbox) == 1


def test_the_flush_task_is_scheduled_every_minute_by_beat(beat_schedule):
    from django_celery_beat.models import PeriodicTask

    from workers.tasks import flush_outbox

    # Beat's schedule lives in the database (workers/migrations/0004_beat_schedule.py).
    flush = PeriodicTask.objects.select_related("interval").get(task=flush_outbox.name)
    assert flush.enabled
    assert (flush.interval.every, flush.interval.period) == (60, "seconds")


def test_the_flush_task_sends_what_is_due(eager):
    from workers.tasks import flush_outbox

    queue_notice(key="one")
    queue_notice(key="two")

    assert flush_outbox.delay().get() == 2
    assert len(mail.outbox) == 2
