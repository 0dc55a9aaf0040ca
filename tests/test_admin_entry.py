"""The Wagtail admin's door: a signed-in person without access to it is sent once to the log-in
page by Wagtail, then to their own space with a word of why, not back to the admin (which would
send them to the log-in page again, round and round). Staff and visitors go as before."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ADMIN = "/admin/pages/"


def test_a_signed_in_applicant_lands_on_their_own_space_told_why(client, owner):
    client.force_login(owner)
    response = client.get(ADMIN, follow=True)
    # Wagtail's refusal, allauth's log-in page, then the landing page: three steps, no loop.
    assert [url for url, _status in response.redirect_chain][:2] == [
        f"{reverse('account_login')}?next={ADMIN}",
        reverse("accelerator:landing"),
    ]
    assert response.status_code == 200
    assert not response.request["PATH_INFO"].startswith("/admin/")
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    shown += [str(message) for message in response.context["messages"]]
    assert any("does not open the administration" in message for message in shown)


def test_staff_reach_the_admin_and_visitors_the_log_in_form(client):
    anonymous = client.get(ADMIN, follow=True)
    assert anonymous.request["PATH_INFO"] == reverse("account_login")
    assert anonymous.status_code == 200

    client.force_login(factories.StaffFactory(is_superuser=True))
    assert client.get(ADMIN).status_code == 200
    # A member of staff who logs in from the admin's door is sent back through it.
    assert client.get(f"{reverse('account_login')}?next={ADMIN}")["Location"] == ADMIN
