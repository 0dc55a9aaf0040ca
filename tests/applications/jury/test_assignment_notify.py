"""Jurors hear of new assignments in one grouped e-mail, never twice, never naming a structure."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from applications.domain.assignment import assign, notify_new_assignments
from applications.domain.auto_assignment import auto_assign
from applications.models import Assignment, ReviewPhase
from tests import factories
from tests.applications.jury.test_assignment_support import (
    eligible_dossier,
    eligible_dossiers,
    make_juror,
    make_jurors,
)
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return factories.make_call()


def test_several_assignments_by_hand_make_one_email(
    call, staff, django_capture_on_commit_callbacks
):
    dossiers = eligible_dossiers(call, staff, 3)
    juror = make_juror(call)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for dossier in dossiers:
            assign(juror, dossier, staff)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [juror.user.email]
    assert message.subject == f"3 new dossiers to review for “{call.title}”"
    for dossier in dossiers:
        assert dossier.reference in message.body
        assert dossier.structure.name not in message.body
    assert f"/jury/calls/{call.pk}/" in message.body
    assert not Assignment.objects.filter(notified_at__isnull=True).exists()


def test_the_automatic_assignment_sends_one_email_per_juror(
    call, staff, django_capture_on_commit_callbacks
):
    eligible_dossiers(call, staff, 4)
    jurors = make_jurors(call, 2)

    with django_capture_on_commit_callbacks(execute=True):
        auto_assign(call, staff, per_dossier=2)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(j.user.email for j in jurors)
    assert all("4 new dossiers to review" in m.subject for m in mail.outbox)


def test_running_again_sends_nothing_new(call, staff, django_capture_on_commit_callbacks):
    eligible_dossiers(call, staff, 2)
    make_jurors(call, 3)
    with django_capture_on_commit_callbacks(execute=True):
        auto_assign(call, staff)
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        auto_assign(call, staff)

    assert sent == 3
    assert len(mail.outbox) == sent
    assert notify_new_assignments(call) == 0


def test_later_assignments_get_their_own_email_listing_only_them(
    call, staff, django_capture_on_commit_callbacks
):
    first, second = eligible_dossiers(call, staff, 2)
    juror = make_juror(call)
    with django_capture_on_commit_callbacks(execute=True):
        assign(juror, first, staff)
    with django_capture_on_commit_callbacks(execute=True):
        assign(juror, second, staff)

    assert len(mail.outbox) == 2
    later = mail.outbox[1]
    assert "1 new dossier to review" in later.subject
    assert second.reference in later.body and first.reference not in later.body


def test_a_retry_of_the_same_assignments_queues_nothing(call, staff):
    dossiers = eligible_dossiers(call, staff, 2)
    juror = make_juror(call)
    for dossier in dossiers:
        assign(juror, dossier, staff, notify=False)
    assert notify_new_assignments(call) == 1

    # As if the marks were lost and the task ran again for the very same assignments.
    Assignment.objects.update(notified_at=None)
    notify_new_assignments(call)

    assert OutboxMessage.objects.filter(key__startswith=f"jury:{call.pk}:assignments:").count() == 1


def test_in_blind_mode_the_email_gives_only_the_count_and_the_link(
    call, staff, django_capture_on_commit_callbacks
):
    now = timezone.now()
    ReviewPhase.objects.create(
        call=call, name="Blind", starts_at=now, ends_at=now + timedelta(days=10), blind=True
    )
    dossiers = eligible_dossiers(call, staff, 2)
    juror = make_juror(call)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for dossier in dossiers:
            assign(juror, dossier, staff)

    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        for dossier in dossiers:
            assert dossier.reference not in text
            assert dossier.structure.name not in text
    assert "2 new dossiers to review" in message.body
    assert f"/jury/calls/{call.pk}/" in message.body and f"/jury/calls/{call.pk}/" in html


def test_the_email_speaks_the_jurors_language(call, staff, django_capture_on_commit_callbacks):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(
        call, user=factories.UserFactory(language="fr", email="jure@jury.example.net")
    )

    with django_capture_on_commit_callbacks(execute=True):
        assign(juror, dossier, staff)

    assert OutboxMessage.objects.get(to=juror.user.email).language == "fr"
