"""The staff's delivery history per dossier, structure and person: subjects and statuses, never
bodies; constant queries; a failed e-mail sent again; programme staff only."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory
from workers.models import OutboxMessage, OutboxStatus
from workers.views.staff import PAGE_SIZE

pytestmark = pytest.mark.django_db
SECRET_BODY = "The body that staff must never read here"


@pytest.fixture
def message(db):
    def make(key, status=OutboxStatus.SENT, **fields):
        return OutboxMessage.objects.create(
            key=key,
            to="camille@example.org",
            language="en",
            subject=f"Subject {key}",
            body_text=SECRET_BODY,
            body_html=f"<p>{SECRET_BODY}</p>",
            status=status,
            **fields,
        )

    return make


@pytest.fixture
def sent_about(make_notifications, message):
    """`count` notices, each with its e-mail, about dossier 12 of structure 7."""

    def make(recipient, count, *, about="dossier:12", within="structure:7"):
        notices = make_notifications(recipient, count, about=about, within=within)
        for notice in notices:
            notice.email = message(f"n{notice.pk}")
            notice.save(update_fields=["email"])
        return notices

    return make


# The histories of dossier 12 and structure 7; a person's is built from the test's person.
HISTORIES = [("workers:deliveries_dossier", 12), ("workers:deliveries_structure", 7), "person"]


def history_url(history, person):
    if history == "person":
        return reverse("workers:deliveries_person", args=[person.pk])
    name, pk = history
    return reverse(name, args=[pk])


def test_each_view_shows_what_concerns_it(client, staff, person, sent_about, make_notifications):
    sent_about(person, 1)
    make_notifications(person, 1, text="About the structure itself", about="structure:7")
    make_notifications(person, 1, text="About another dossier", about="dossier:13")
    client.force_login(staff)

    dossier = client.get(reverse("workers:deliveries_dossier", args=[12])).content.decode()
    structure = client.get(reverse("workers:deliveries_structure", args=[7])).content.decode()
    other = client.get(reverse("workers:deliveries_person", args=[person.pk])).content.decode()

    assert "Subject n" in dossier and "About" not in dossier
    assert "Subject n" in structure and "About the structure itself" in structure
    assert "About another dossier" not in structure
    assert "About another dossier" in other and "About the structure itself" in other


def test_a_row_shows_status_attempts_error_and_never_the_body(
    client, staff, person, make_notifications, message
):
    (notice,) = make_notifications(person, 1, about="dossier:12")
    notice.email = message(
        "failed", status=OutboxStatus.FAILED, attempts=8, last_error="SMTPServerDisconnected()"
    )
    notice.save()
    client.force_login(staff)

    html = client.get(reverse("workers:deliveries_dossier", args=[12])).content.decode()

    assert "Subject failed" in html
    assert "delivery--failed" in html
    assert "8 attempts" in html
    assert "SMTPServerDisconnected()" in html
    assert SECRET_BODY not in html
    assert reverse("workers:delivery_retry", args=[notice.email.pk]) in html


def test_only_a_failed_email_has_a_send_again_button(client, staff, person, sent_about):
    (notice,) = sent_about(person, 1)
    client.force_login(staff)
    html = client.get(reverse("workers:deliveries_dossier", args=[12])).content.decode()
    assert reverse("workers:delivery_retry", args=[notice.email_id]) not in html


@pytest.mark.parametrize("history", HISTORIES)
@pytest.mark.parametrize("count", [1, 12])
def test_a_history_costs_the_same_queries_whatever_the_number(
    client, staff, sent_about, django_assert_num_queries, history, count
):
    recipients = [UserFactory() for _ in range(3)]
    for n in range(count):
        sent_about(recipients[n % 3], 1)
    client.force_login(staff)
    client.get(history_url(history, recipients[0]))  # the site's menu and footer cached
    # Session, staff, (the person,) the count, the page.
    with django_assert_num_queries(5 if history == "person" else 4):
        response = client.get(history_url(history, recipients[0]))
    assert response.status_code == 200
    assert "Subject n" in response.content.decode()


def test_the_history_is_paginated(client, staff, person, sent_about):
    sent_about(person, PAGE_SIZE + 1)
    client.force_login(staff)
    url = reverse("workers:deliveries_dossier", args=[12])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert first.count("Subject n") == PAGE_SIZE
    assert second.count("Subject n") == 1


def test_an_unknown_person_is_not_found(client, staff):
    client.force_login(staff)
    assert client.get(reverse("workers:deliveries_person", args=[999999])).status_code == 404


def test_staff_send_a_failed_email_again(client, staff, person, make_notifications, message):
    (notice,) = make_notifications(person, 1, about="dossier:12")
    failed = message("failed", status=OutboxStatus.FAILED, attempts=8, last_error="boom")
    notice.email = failed
    notice.save()
    client.force_login(staff)
    back = reverse("workers:deliveries_dossier", args=[12])

    response = client.post(
        reverse("workers:delivery_retry", args=[failed.pk]), {"next": back}, follow=True
    )

    failed.refresh_from_db()
    assert failed.status == OutboxStatus.PENDING
    assert failed.attempts == 0
    assert response.redirect_chain[0][0] == back
    assert "The e-mail will be sent again in a moment." in response.content.decode()


@pytest.mark.parametrize("status", [OutboxStatus.SENT, OutboxStatus.PENDING])
def test_an_email_that_did_not_fail_is_left_alone(client, staff, message, status):
    sent = message("sent", status=status, attempts=1)
    client.force_login(staff)

    response = client.post(reverse("workers:delivery_retry", args=[sent.pk]), follow=True)

    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == (status, 1)
    assert "Only an e-mail that failed can be sent again." in response.content.decode()


def test_send_again_never_goes_to_another_site(client, staff, message):
    failed = message("failed", status=OutboxStatus.FAILED)
    client.force_login(staff)
    response = client.post(
        reverse("workers:delivery_retry", args=[failed.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil")


@pytest.mark.parametrize("history", HISTORIES)
def test_the_history_asks_to_log_in_and_refuses_people_who_are_not_staff(client, person, history):
    url = history_url(history, person)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    client.force_login(person)
    assert client.get(url).status_code == 403

    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


def test_only_staff_send_again(client, person, message):
    failed = message("failed", status=OutboxStatus.FAILED)
    url = reverse("workers:delivery_retry", args=[failed.pk])

    assert client.post(url)["Location"].startswith(reverse("account_login"))
    client.force_login(person)
    assert client.post(url).status_code == 403
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 405

    failed.refresh_from_db()
    assert failed.status == OutboxStatus.FAILED


def test_the_staff_pages_link_to_the_histories(client, staff, structure, dossier):
    client.force_login(staff)
    page = client.get(reverse("accelerator:structure", args=[structure.pk])).content.decode()
    staff_dossier = reverse("applications:staff_dossier", kwargs={"dossier_id": dossier.pk})
    dossier_page = client.get(staff_dossier).content.decode()
    assert reverse("workers:deliveries_structure", args=[structure.pk]) in page
    assert reverse("workers:deliveries_dossier", args=[dossier.pk]) in dossier_page


def test_members_see_no_link_to_the_history(client, owner, structure):
    client.force_login(owner)
    page = client.get(reverse("accelerator:structure", args=[structure.pk])).content.decode()
    assert reverse("workers:deliveries_structure", args=[structure.pk]) not in page
