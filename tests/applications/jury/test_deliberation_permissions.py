"""Every deliberation and letters URL: anonymous people log in, applicants and jurors are refused,
staff are let in; refused people change nothing."""

import pytest
from django.urls import reverse

from applications.domain import deliberation, letters
from applications.models import DecisionLetter, DecisionLetterTemplate, Dossier
from tests.applications.jury.test_deliberation_support import (
    applicant_dossier_under_review,
    named_juror,
    submitted_review,
    under_review,
)

pytestmark = pytest.mark.django_db

REFUSED = ["owner", "editor", "viewer", "outsider", "juror"]


@pytest.fixture
def call_juror(dossier):
    return named_juror(dossier.call)


@pytest.fixture
def juror(call_juror):
    """A juror of the call, assigned to both dossiers and having reviewed them."""
    return call_juror.user


@pytest.fixture
def setting(dossier, owner, staff, call_juror):
    """A call with one dossier under review and one rejected with a prepared letter, both
    reviewed by `call_juror`."""
    reviewed = applicant_dossier_under_review(dossier, owner, staff)
    submitted_review(call_juror, reviewed, [3, 3])
    other = under_review(dossier.call, staff)
    submitted_review(call_juror, other, [1, 1])
    rejected = deliberation.decide(other, "reject", staff, "No.")
    letters.prepare_letters(dossier.call, staff)
    return reviewed, rejected


def pages(setting):
    reviewed, rejected = setting
    call_id = reviewed.call_id
    return [
        reverse("applications:staff_deliberation", args=[call_id]),
        reverse("applications:staff_decision", args=[call_id, reviewed.pk]),
        reverse("applications:staff_letters", args=[call_id]),
        reverse("applications:staff_letter", args=[call_id, rejected.pk]),
    ]


def actions(setting):
    reviewed, rejected = setting
    call_id = reviewed.call_id
    return [
        (
            reverse("applications:staff_decision", args=[call_id, reviewed.pk]),
            {"action": "reject", "reject-rationale": "Not for us."},
        ),
        (reverse("applications:staff_quick_shortlist", args=[call_id, reviewed.pk]), {}),
        (
            reverse("applications:staff_letters", args=[call_id]),
            {"outcome": "rejected", "rejected-subject": "Hacked", "rejected-body": "Hacked"},
        ),
        (reverse("applications:staff_letters_prepare", args=[call_id]), {}),
        (reverse("applications:staff_letters_release", args=[call_id]), {}),
        (reverse("applications:staff_letters_cancel", args=[call_id]), {}),
        (
            reverse("applications:staff_letter", args=[call_id, rejected.pk]),
            {"action": "letter", "subject": "Hacked", "body": "Hacked"},
        ),
    ]


def assert_nothing_changed(setting):
    reviewed, rejected = setting
    assert Dossier.objects.get(pk=reviewed.pk).state == "under_review"
    letter = DecisionLetter.objects.get(dossier=rejected)
    assert letter.release_at is None and letter.subject != "Hacked"
    assert not DecisionLetterTemplate.objects.filter(subject="Hacked").exists()


def test_anonymous_people_are_sent_to_log_in(client, setting):
    for url in pages(setting):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    for url, data in actions(setting):
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    assert_nothing_changed(setting)


@pytest.mark.parametrize("who", REFUSED)
def test_applicants_and_jurors_are_refused_everywhere(client, setting, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in pages(setting):
        assert client.get(url).status_code == 403, url
    for url, data in actions(setting):
        assert client.post(url, data).status_code == 403, url
    assert_nothing_changed(setting)


def test_staff_reach_every_page(client, setting, staff):
    client.force_login(staff)
    for url in pages(setting):
        assert client.get(url).status_code == 200, url


def test_staff_only_post_to_the_action_urls(client, setting, staff):
    client.force_login(staff)
    reviewed, _rejected = setting
    call_id = reviewed.call_id
    for name in ("staff_letters_prepare", "staff_letters_release", "staff_letters_cancel"):
        assert client.get(reverse(f"applications:{name}", args=[call_id])).status_code == 405
    url = reverse("applications:staff_quick_shortlist", args=[call_id, reviewed.pk])
    assert client.get(url).status_code == 405


def test_an_unknown_call_or_an_undecided_letter_is_not_found(client, setting, staff):
    client.force_login(staff)
    reviewed, _rejected = setting
    assert client.get(reverse("applications:staff_deliberation", args=[999999])).status_code == 404
    assert client.get(reverse("applications:staff_letters", args=[999999])).status_code == 404
    url = reverse("applications:staff_letter", args=[reviewed.call_id, reviewed.pk])
    assert client.get(url).status_code == 404
