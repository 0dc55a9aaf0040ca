import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workers.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:workers_outboxmessage_changelist")


def make_messages(count, status=OutboxStatus.SENT, prefix="message"):
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"{prefix}:{number}",
            to=f"person{number}@example.org",
            language="fr",
            subject=f"{prefix.title()} {number}",
            body_text="Bonjour.",
            status=status,
        )
        for number in range(count)
    )


def test_staff_read_the_outbox_and_filter_it_by_status(client, staff):
    make_messages(2, OutboxStatus.SENT, prefix="sent")
    make_messages(1, OutboxStatus.FAILED, prefix="failed")
    client.force_login(staff)

    everything = client.get(CHANGELIST)
    failed_only = client.get(CHANGELIST, {"status__exact": "failed"})

    assert everything.status_code == 200
    assert "Sent 0" in everything.text
    assert "Failed 0" in everything.text
    assert failed_only.status_code == 200
    assert "Failed 0" in failed_only.text
    assert "Sent 0" not in failed_only.text


@pytest.mark.parametrize("who", ["anonymous", "owner", "outsider"])
def test_people_who_are_not_staff_cannot_read_the_outbox(client, request, who):
    make_messages(1)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_messages_cannot_be_written_or_deleted_by_hand(client, staff):
    message = make_messages(1)[0]
    client.force_login(staff)

    detail = client.get(reverse("admin:workers_outboxmessage_change", args=[message.pk]))
    add = client.get(reverse("admin:workers_outboxmessage_add"))
    delete = client.post(
        reverse("admin:workers_outboxmessage_delete", args=[message.pk]), {"post": "yes"}
    )

    assert detail.status_code == 200
    assert message.subject in detail.text
    assert 'name="_save"' not in detail.text
    assert add.status_code == 403
    assert delete.status_code == 403
    assert OutboxMessage.objects.filter(pk=message.pk).exists()


def test_staff_can_send_failed_messages_again(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    failed = make_messages(1, OutboxStatus.FAILED, prefix="failed")[0]
    sent = make_messages(1, OutboxStatus.SENT, prefix="sent")[0]
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "retry_failed", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert "1 failed message will be sent again." in response.text
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.SENT
    assert [email.subject for email in mail.outbox] == ["Failed 0"]


def count_list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_the_outbox_list_runs_the_same_queries_for_1_and_30_messages(client, staff):
    client.force_login(staff)
    make_messages(1, prefix="first")
    with_one = count_list_queries(client)
    make_messages(29, prefix="more")

    assert count_list_queries(client) == with_one
