"""The preview of a call's application form, as edited and not yet published, through Wagtail's
own preview URL: staff who may edit the call see the form as applicants will; nothing in it can
be saved; applicants and jurors never reach it."""

import json

import pytest
from django.urls import reverse

from applications.models import Call
from tests import factories
from tests.applications.jury.helpers import make_juror
from tests.applications.test_form_changes import LIVE, edit_data, question

pytestmark = pytest.mark.django_db

BANNER = "Preview: answers typed here are not saved."
UNSAVED = question("yes_no", "q-unsaved", "Question pas encore publiée", required=False)


@pytest.fixture
def call(db):
    return factories.make_call(form=LIVE)


def preview_url(call):
    return reverse("wagtailadmin_pages:preview_on_edit", args=[call.pk])


def open_preview(client, data, call):
    """Post the edit form to the preview URL, then open the form's preview, as Wagtail's
    preview panel does."""
    posted = client.post(preview_url(call), data)
    return posted, client.get(preview_url(call), {"mode": "form"})


def test_staff_who_edit_the_call_preview_the_form_as_edited(client, call):
    staff = factories.StaffFactory(is_superuser=True)
    client.force_login(staff)
    data = edit_data(client, call, [*LIVE, UNSAVED], publish=False)

    posted, response = open_preview(client, data, call)

    assert json.loads(posted.content) == {"is_valid": True, "is_available": True}
    assert response.status_code == 200
    html = response.content.decode()
    assert BANNER in html
    assert "Question pas encore publiée" in html
    assert 'id="question-q-unsaved"' in html
    # The dossier page's own form and script, with nothing that saves.
    assert 'id="dossier-form"' in html and "data-preview" in html
    assert "/static/js/dossier.js" in html
    assert "data-autosave-url" not in html
    assert 'method="post"' not in html.split('id="dossier-form"', 1)[0].rsplit("<form", 1)[-1]
    assert 'value="submit"' not in html
    # Published nothing: the call still asks its three questions.
    assert [block["id"] for block in Call.objects.get(pk=call.pk).form.raw_data] == [
        "q-territory",
        "q-place",
        "q-budget",
    ]


def test_the_public_page_preview_still_works(client, call):
    client.force_login(factories.StaffFactory(is_superuser=True))
    data = edit_data(client, call, LIVE, publish=False)
    client.post(preview_url(call), data)

    response = client.get(preview_url(call))

    assert response.status_code == 200
    assert BANNER not in response.content.decode()


@pytest.mark.parametrize("who", ["applicant", "juror"])
def test_applicants_and_jurors_never_reach_the_preview(client, call, who):
    staff = factories.StaffFactory(is_superuser=True)
    client.force_login(staff)
    data = edit_data(client, call, [*LIVE, UNSAVED], publish=False)
    client.post(preview_url(call), data)
    if who == "applicant":
        user = factories.MembershipFactory(role="owner").user
        factories.make_dossier(call=call, structure=user.memberships.first().structure)
    else:
        user = make_juror(call).user
    client.force_login(user)

    posted, response = open_preview(client, data, call)

    for answer in (posted, response):
        assert answer.status_code in (302, 403)
        assert BANNER not in answer.content.decode()
        assert "Question pas encore publiée" not in answer.content.decode()
