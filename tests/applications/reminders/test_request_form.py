"""The staff's request for information asks for a reply date (14 days by default, never past); the
applicant reads it on their dossier and in the e-mail."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from applications.models import DossierState
from tests.applications.reminders.conftest import paris
from tests.applications.staff_support import submitted_dossier
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db
NOW = paris(2027, 2, 15, 10)


@pytest.fixture(autouse=True)
def _today():
    """Every test happens on Monday 15 February 2027 at 10:00, Paris time (and logs in then)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def dossier(closing_call, structure, owner):
    with time_machine.travel(paris(2027, 2, 1, 12), tick=False):
        return submitted_dossier(closing_call, structure)


def _post(client, dossier, **data):
    url = reverse(
        "applications:staff_transition", kwargs={"dossier_id": dossier.pk, "name": "request_info"}
    )
    return client.post(url, {f"request_info-{k}": v for k, v in data.items()})


def test_the_form_offers_a_reply_date_fourteen_days_later(client, staff, dossier):
    client.force_login(staff)
    response = client.get(reverse("applications:staff_dossier", args=[dossier.pk]))
    page = response.content.decode()
    assert 'name="request_info-reply_by"' in page
    assert 'value="2027-03-01"' in page
    assert "Reply expected by" in page


def test_a_past_reply_date_is_refused_and_the_comment_kept(client, staff, dossier):
    client.force_login(staff)
    response = _post(client, dossier, comment="Please add your statutes.", reply_by="2027-02-14")

    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED
    assert dossier.info_requested_at is None
    action = next(a for a in response.context["actions"] if a["name"] == "request_info")
    assert action["form"].errors["reply_by"] == [
        "The reply date 14/02/2027 is past: choose today or a later date."
    ]
    page = response.content.decode()
    assert "Please add your statutes." in page
    assert "is past: choose today or a later date" in page


def test_a_past_date_and_no_comment_are_refused_together(client, staff, dossier):
    client.force_login(staff)
    response = _post(client, dossier, comment=" ", reply_by="2027-01-31")

    errors = next(a for a in response.context["actions"] if a["name"] == "request_info")[
        "form"
    ].errors
    assert set(errors) == {"reply_by", "comment"}
    assert errors["comment"] == ["Please give a reason: the structure will read it."]


def test_the_reply_date_reaches_the_dossier_the_e_mail_and_the_applicant_page(
    client, staff, owner, dossier
):
    client.force_login(staff)
    response = _post(client, dossier, comment="Please add your budget.", reply_by="2027-02-15")

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.INFO_REQUESTED
    assert dossier.info_requested_at == NOW
    assert dossier.info_reply_due_at == paris(2027, 2, 15, 23, 59)
    message = OutboxMessage.objects.get(to=owner.email, subject__endswith="information requested")
    assert "Please reply by 15 February 2027." in message.body_text
    assert "Please reply by 15 February 2027." in message.body_html

    client.force_login(owner)
    page = client.get(reverse("applications:dossier", args=[dossier.pk])).content.decode()
    assert "Please reply by 15 February 2027." in page


def test_without_a_date_the_reply_is_expected_in_fourteen_days(client, staff, dossier):
    client.force_login(staff)
    _post(client, dossier, comment="Please add your budget.")

    dossier.refresh_from_db()
    assert dossier.info_reply_due_at.date() == date(2027, 3, 1)
    assert dossier.info_reply_due_at == paris(2027, 3, 1, 23, 59)


def test_a_viewer_reads_the_reply_date_too(client, viewer, staff, dossier):
    client.force_login(staff)
    _post(client, dossier, comment="Please add your budget.", reply_by="2027-03-05")
    client.force_login(viewer)
    page = client.get(reverse("applications:dossier", args=[dossier.pk])).content.decode()
    assert "Please reply by 5 March 2027." in page
