"""One-click unsubscribe (RFC 8058): the routine e-mail carries the headers, its link is sealed in
the outbox, and the link works from a mail client with no session and no CSRF cookie."""

import json
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.workers.notifications import ESSENTIAL, ROUTINE
from workers import outbox, preferences, reminders
from workers.models import Delivery, OutboxMessage, Preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_client():
    """A mail client: no session, and CSRF checked as in production."""
    return Client(enforce_csrf_checks=True)


def test_the_page_names_the_topic_and_needs_no_login(mail_client, person, topics):
    token = preferences.unsubscribe_token(person, ROUTINE)

    response = mail_client.get(reverse("workers:unsubscribe", args=[token]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Routine news" in html
    # The form posts back to the same address, the token being its authority.
    assert '<form method="post">' in html
    assert reverse("workers:preferences") in html
    assert not Preference.objects.exists()


def test_a_post_without_session_or_csrf_turns_the_topic_off(mail_client, person, topics):
    token = preferences.unsubscribe_token(person, ROUTINE)

    response = mail_client.post(
        reverse("workers:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert preferences.choices_of(person) == {ROUTINE: Delivery.OFF}


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        # Signed with another salt: a token of some other feature is refused here.
        "eyJ1IjoxLCJ0IjoidWlfcm91dGluZSJ9:1tXXXX:abc",
    ],
)
def test_a_bad_token_is_not_found(mail_client, person, topics, token):
    assert mail_client.get(reverse("workers:unsubscribe", args=[token])).status_code == 404
    assert mail_client.post(reverse("workers:unsubscribe", args=[token])).status_code == 404
    assert not Preference.objects.exists()


def test_a_token_for_an_essential_topic_is_not_found(mail_client, person, topics):
    token = preferences.unsubscribe_token(person, ESSENTIAL)
    assert mail_client.post(reverse("workers:unsubscribe", args=[token])).status_code == 404
    assert not Preference.objects.exists()


def test_a_token_for_a_topic_gone_is_not_found(mail_client, person, topics):
    token = preferences.unsubscribe_token(person, "a_topic_that_was_removed")
    assert mail_client.get(reverse("workers:unsubscribe", args=[token])).status_code == 404


def test_a_token_of_a_person_gone_is_not_found(mail_client, topics):
    gone = UserFactory(is_active=False)
    token = preferences.unsubscribe_token(gone, ROUTINE)
    assert mail_client.post(reverse("workers:unsubscribe", args=[token])).status_code == 404
    assert not Preference.objects.exists()


def test_the_token_decides_not_who_is_signed_in(client, person, topics):
    token = preferences.unsubscribe_token(person, ROUTINE)
    someone = UserFactory()
    client.force_login(someone)

    client.post(reverse("workers:unsubscribe", args=[token]))

    assert preferences.choices_of(person) == {ROUTINE: Delivery.OFF}
    assert preferences.choices_of(someone) == {}


def reminded(rule):
    person = UserFactory(last_name="Remind1")
    reminders.scan(names={rule})
    stored = OutboxMessage.objects.get(key__startswith=f"reminder:{rule}:", to=person.email)
    return person, stored


def test_a_routine_reminder_carries_one_click_headers_that_work(mail_client, topics):
    person, stored = reminded("ui_rule")

    assert outbox.deliver(stored.pk)

    delivered = mail.outbox[-1].message()
    header = delivered["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(">")
    assert delivered["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = urlsplit(header[1:-1]).path
    assert path.startswith("/notifications/unsubscribe/")
    assert path in mail.outbox[-1].body

    # What the mail client does when the person clicks its "unsubscribe" button.
    assert mail_client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert preferences.choices_of(person) == {ROUTINE: Delivery.OFF}


def test_the_unsubscribe_link_is_sealed_in_the_outbox(topics):
    person, stored = reminded("ui_rule")
    readable_before = stored.body_text + stored.body_html + json.dumps(stored.headers)

    outbox.deliver(stored.pk)

    token = urlsplit(mail.outbox[-1].message()["List-Unsubscribe"][1:-1]).path.split("/")[-2]
    stored.refresh_from_db()
    readable_after = stored.body_text + stored.body_html + json.dumps(stored.headers)
    assert len(token) > 20
    assert token not in readable_before
    assert token not in readable_after
    assert "List-Unsubscribe" in stored.headers


def test_an_essential_reminder_has_no_unsubscribe_header(topics):
    person, stored = reminded("ui_essential_rule")

    outbox.deliver(stored.pk)

    delivered = mail.outbox[-1].message()
    assert delivered["List-Unsubscribe"] is None
    assert "/notifications/unsubscribe/" not in mail.outbox[-1].body
    assert reverse("workers:preferences") in mail.outbox[-1].body
