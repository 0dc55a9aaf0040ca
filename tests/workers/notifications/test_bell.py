"""The bell in the header: its unread count costs no query, goes down once a notice is opened,
and its dropdown is a fragment of the latest notices."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from workers.models import Notification

pytestmark = pytest.mark.django_db


def bell_label(response):
    match = re.search(
        r'class="bell__toggle".*?<span class="visually-hidden">(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page has no bell"
    return match.group(1).strip()


def test_the_bell_shows_the_unread_count_and_it_goes_down_once_one_is_opened(
    client, person, make_notifications
):
    first, *_ = make_notifications(person, 3)
    client.force_login(person)

    page = client.get(reverse("accelerator:home"))
    assert bell_label(page) == "Notifications, 3 unread"
    assert 'data-unread="3"' in page.content.decode()

    client.get(reverse("workers:notification_open", args=[first.pk]))

    page = client.get(reverse("accelerator:home"))
    assert bell_label(page) == "Notifications, 2 unread"


def test_nothing_unread_shows_no_count(client, person, make_notifications):
    from django.utils import timezone

    make_notifications(person, 2, read_at=timezone.now())
    client.force_login(person)
    page = client.get(reverse("accelerator:home"))
    assert bell_label(page) == "Notifications"
    assert "bell__count" not in page.content.decode()


def test_a_visitor_has_no_bell(client):
    page = client.get("/accounts/login/")
    assert "data-bell" not in page.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_header_costs_no_query_of_its_own(client, person, make_notifications):
    client.force_login(person)
    url = reverse("accelerator:home")
    client.get(url)  # the site's menu and footer read once, then cached
    before, page = count_queries(client, url)
    assert "bell__count" not in page.content.decode()

    make_notifications(person, 12)
    after, page = count_queries(client, url)

    assert bell_label(page) == "Notifications, 12 unread"
    assert after == before


def test_without_the_count_on_the_user_the_bell_shows_no_count_and_asks_nothing(
    rf, person, make_notifications, django_assert_num_queries
):
    from django.template.loader import render_to_string

    make_notifications(person, 4)
    request = rf.get("/")
    request.user = person  # loaded without the annotation
    with django_assert_num_queries(0):
        html = render_to_string(
            "workers/notifications/_bell.html", {"user": person}, request=request
        )
    assert "bell__count" not in html
    assert reverse("workers:notifications") in html


def test_the_dropdown_lists_the_8_latest_unread_in_bold(client, person, make_notifications):
    from django.utils import timezone

    notices = make_notifications(person, 10)
    Notification.objects.filter(pk=notices[-1].pk).update(read_at=timezone.now())
    client.force_login(person)

    response = client.get(reverse("workers:notifications_latest"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "no-store" in response["Cache-Control"]
    shown = re.findall(r"Notice (\d+)<", html)
    assert shown == [str(n) for n in range(9, 1, -1)]
    assert html.count("bell__item--unread") == 7


@pytest.mark.parametrize("count", [1, 9])
def test_the_dropdown_costs_the_same_queries_whatever_the_number(
    client, person, make_notifications, django_assert_num_queries, count
):
    make_notifications(person, count)
    client.force_login(person)
    # Session, person with the count, the notices.
    with django_assert_num_queries(3):
        client.get(reverse("workers:notifications_latest"))


def test_the_dropdown_answers_a_script_with_401_when_signed_out(client):
    assert client.get(reverse("workers:notifications_latest")).status_code == 401


def test_the_dropdown_shows_only_ones_own_notices(client, person, make_notifications):
    other = UserFactory()
    make_notifications(other, 2)
    client.force_login(person)
    html = client.get(reverse("workers:notifications_latest")).content.decode()
    assert "Notice" not in html
