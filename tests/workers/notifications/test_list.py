"""The full list of one's notifications: the newest first, paginated, constant queries; opening one
marks it read and follows its link, only to a page of this site; marking all as read."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from workers.models import Notification
from workers.views.people import PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_the_list_asks_to_log_in(client):
    response = client.get(reverse("workers:notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_list_shows_the_newest_first_and_marks_the_unread(client, person, make_notifications):
    notices = make_notifications(person, 4)
    # The oldest is read: it stays in its place, unmarked.
    Notification.objects.filter(pk=notices[0].pk).update(read_at=timezone.now())
    make_notifications(UserFactory(), 1, text="Someone else's")
    client.force_login(person)

    html = client.get(reverse("workers:notifications")).content.decode()

    order = [html.index(f"Notice {n}<") for n in (3, 2, 1, 0)]
    assert order == sorted(order)
    assert html.count("notification--unread") == 3
    assert "Someone else" not in html


def test_the_list_is_paginated(client, person, make_notifications):
    make_notifications(person, PAGE_SIZE + 2)
    client.force_login(person)
    first = client.get(reverse("workers:notifications")).content.decode()
    second = client.get(reverse("workers:notifications"), {"page": 2}).content.decode()
    assert first.count('class="notification ') == PAGE_SIZE
    assert second.count('class="notification ') == 2
    assert "?page=2" in first


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_costs_the_same_queries_whatever_the_number(
    client, person, make_notifications, django_assert_num_queries, count
):
    make_notifications(person, count)
    client.force_login(person)
    client.get(reverse("workers:notifications"))  # the site's menu and footer cached
    # Session, person with the unread count, the page's count, the page.
    with django_assert_num_queries(4):
        client.get(reverse("workers:notifications"))


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, person, make_notifications):
    notice, other = make_notifications(person, 2, link="/me/?tab=dossiers")
    client.force_login(person)

    response = client.get(reverse("workers:notification_open", args=[notice.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/me/?tab=dossiers"
    notice.refresh_from_db()
    other.refresh_from_db()
    assert notice.read_at is not None
    assert other.read_at is None


def test_opening_it_again_keeps_the_first_reading_time(client, person, make_notifications):
    (notice,) = make_notifications(person, 1)
    client.force_login(person)
    client.get(reverse("workers:notification_open", args=[notice.pk]))
    notice.refresh_from_db()
    first = notice.read_at
    client.get(reverse("workers:notification_open", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.read_at == first


def test_someone_elses_notice_is_not_found_and_stays_unread(client, person, make_notifications):
    (notice,) = make_notifications(UserFactory(), 1)
    client.force_login(person)

    response = client.get(reverse("workers:notification_open", args=[notice.pk]))

    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_opening_asks_to_log_in(client, person, make_notifications):
    (notice,) = make_notifications(person, 1)
    response = client.get(reverse("workers:notification_open", args=[notice.pk]))
    assert response["Location"].startswith(reverse("account_login"))
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "/\t/evil.example/phish",
        "javascript:alert(1)",
        "evil.example/phish",
        "",
    ],
)
def test_a_link_elsewhere_is_never_followed(client, person, make_notifications, link):
    (notice,) = make_notifications(person, 1, link=link)
    client.force_login(person)

    response = client.get(reverse("workers:notification_open", args=[notice.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("workers:notifications")
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_mark_all_as_read(client, person, make_notifications):
    make_notifications(person, 3)
    (others,) = make_notifications(UserFactory(), 1)
    client.force_login(person)

    response = client.post(reverse("workers:notifications_read_all"), follow=True)

    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None
    assert "Every notification is marked as read." in response.content.decode()


def test_mark_all_as_read_is_a_post(client, person, make_notifications):
    make_notifications(person, 1)
    client.force_login(person)
    assert client.get(reverse("workers:notifications_read_all")).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
