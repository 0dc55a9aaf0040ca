"""What the structure sees of the deliberation: nothing before its letter is released (state,
history, e-mails), the decision after; never a review, a score or a juror's name."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.domain import deliberation, letters
from applications.domain.deliberation import state_shown_to_applicant
from applications.models import DecisionLetter
from tests import factories
from tests.applications.jury.test_deliberation_support import (
    JUROR_FIRST_NAME,
    JUROR_LAST_NAME,
    OVERALL_COMMENT,
    PRIVATE_NOTE,
    SHARED_COMMENT,
    UNSHARED_COMMENT,
    applicant_dossier_under_review,
    named_juror,
    submitted_review,
    under_review,
)
from workers import outbox


def settle():
    """Send what the test's set-up queued (submissions, eligibility), then forget it."""
    outbox.flush()
    mail.outbox.clear()


pytestmark = pytest.mark.django_db

RATIONALE = "RATIONALE: the committee praised the local anchoring."
SECRETS = (
    JUROR_FIRST_NAME,
    JUROR_LAST_NAME,
    PRIVATE_NOTE,
    UNSHARED_COMMENT,
    OVERALL_COMMENT,
)


def applicant_pages(dossier):
    return [
        reverse("applications:dossier", args=[dossier.pk]),
        reverse("applications:my_dossiers"),
        reverse("accelerator:home"),
    ]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def reviewed(dossier, owner, staff):
    """The owner's dossier under review, scored by a named juror: one comment shared, one not."""
    dossier = applicant_dossier_under_review(dossier, owner, staff)
    juror = named_juror(dossier.call)
    submitted_review(
        juror,
        dossier,
        [4, 2],
        recommendation="maybe",
        comments=[SHARED_COMMENT, UNSHARED_COMMENT],
        shared=(0,),
    )
    return dossier


def test_a_decision_reads_under_review_until_its_letter_is_released(client, reviewed, owner, staff):
    dossier = deliberation.shortlist(reviewed, staff)
    dossier = deliberation.decide(dossier, "select", staff, RATIONALE)
    client.force_login(owner)
    for stage in ("decided", "prepared", "scheduled"):
        if stage == "prepared":
            letters.prepare_letters(dossier.call, staff)
        if stage == "scheduled":
            letters.release_letters(dossier.call, staff, timezone.now() + timedelta(days=1))
        for url in applicant_pages(dossier):
            html = read(client, url)
            assert "Under review" in html, (stage, url)
            assert "Selected" not in html and "Shortlisted" not in html, (stage, url)
            assert RATIONALE not in html, (stage, url)
    page = client.get(applicant_pages(dossier)[0])
    assert page.context["shown_state"] == "under_review"
    assert [t.target for t in page.context["transitions"]] == [
        "submitted",
        "eligible",
        "under_review",
    ]
    release_at = DecisionLetter.objects.get(dossier=dossier).release_at
    with time_machine.travel(release_at + timedelta(seconds=1)):
        for url in applicant_pages(dossier):
            html = read(client, url)
            assert "Selected" in html, url
        page = client.get(applicant_pages(dossier)[0])
        assert page.context["shown_state"] == "selected"
        assert [t.target for t in page.context["transitions"]][-2:] == ["shortlisted", "selected"]
        assert RATIONALE in page.content.decode()


def test_no_email_before_release_and_the_letter_after(reviewed, owner, staff):
    settle()
    dossier = deliberation.decide(reviewed, "reject", staff, RATIONALE)
    letters.prepare_letters(dossier.call, staff)
    assert outbox.flush() == 0 and mail.outbox == []
    letters.release_letters(dossier.call, staff)
    outbox.flush()
    to_owner = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(to_owner) == 1
    message = to_owner[0]
    assert dossier.reference in message.subject
    assert SHARED_COMMENT in message.body and RATIONALE in message.body
    html = message.alternatives[0][0]
    for secret in SECRETS:
        assert secret not in message.body and secret not in html


def test_the_applicant_never_sees_reviews_scores_or_juror_names(client, reviewed, owner, staff):
    dossier = deliberation.shortlist(reviewed, staff)
    dossier = deliberation.decide(dossier, "waitlist", staff, RATIONALE)
    client.force_login(owner)
    for released in (False, True):
        if released:
            letters.prepare_letters(dossier.call, staff)
            letters.release_letters(dossier.call, staff)
        for url in applicant_pages(dossier):
            html = read(client, url)
            for secret in (*SECRETS, SHARED_COMMENT, "Recommendation", "Weighted mean"):
                assert secret not in html, (released, url, secret)
    assert "Waitlisted" in read(client, applicant_pages(dossier)[0])


def test_a_later_decision_waits_for_its_own_letter(client, reviewed, owner, staff):
    dossier = deliberation.decide(deliberation.shortlist(reviewed, staff), "waitlist", staff, "W")
    letters.prepare_letters(dossier.call, staff)
    letters.release_letters(dossier.call, staff)
    dossier = deliberation.decide(dossier, "select", staff, "A place became free.")
    client.force_login(owner)
    page = client.get(applicant_pages(dossier)[0])
    assert page.context["shown_state"] == "waitlisted"
    assert "A place became free." not in page.content.decode()
    letters.prepare_letters(dossier.call, staff)
    letters.release_letters(dossier.call, staff)
    page = client.get(applicant_pages(dossier)[0])
    assert page.context["shown_state"] == "selected"
    assert "A place became free." in page.content.decode()


def test_withdrawing_after_an_unannounced_decision_does_not_tell_it(client, reviewed, owner, staff):
    dossier = deliberation.decide(reviewed, "reject", staff, RATIONALE)
    client.force_login(owner)
    response = client.get(reverse("applications:withdraw", args=[dossier.pk]), follow=True)
    html = response.content.decode()
    assert "can no longer be withdrawn" in html
    assert "Rejected" not in html


def test_the_state_shown_follows_the_release_time(reviewed, staff):
    dossier = deliberation.decide(reviewed, "reject", staff, RATIONALE)
    assert state_shown_to_applicant(dossier) == "under_review"
    letters.prepare_letters(dossier.call, staff)
    moment = timezone.now() + timedelta(hours=3)
    letters.release_letters(dossier.call, staff, moment)
    dossier = type(dossier).objects.select_related("decision_letter").get(pk=dossier.pk)
    assert state_shown_to_applicant(dossier) == "under_review"
    assert state_shown_to_applicant(dossier, now=moment) == "rejected"
    # States outside the deliberation are shown as they are.
    draft = factories.make_dossier(call=dossier.call)
    assert state_shown_to_applicant(draft) == "draft"


def test_my_dossiers_stays_constant_in_queries_with_letters(client, owner, staff, structure):
    client.force_login(owner)
    url = reverse("applications:my_dossiers")

    def decided_dossier():
        call = factories.make_call()
        submitter = factories.MembershipFactory(structure=structure, role="editor").user
        dossier = factories.make_dossier(call=call, structure=structure, created_by=submitter)
        from applications.domain.dossiers import change_state

        dossier = change_state(dossier, "submit", submitter)
        dossier = change_state(dossier, "mark_eligible", staff)
        dossier = change_state(dossier, "start_review", staff)
        deliberation.decide(dossier, "reject", staff, RATIONALE)
        letters.prepare_letters(call, staff)
        letters.release_letters(call, staff)

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode().count("Rejected")

    decided_dossier()
    one = queries()
    for _ in range(5):
        decided_dossier()
    six = queries()
    assert (one[1], six[1]) == (1, 6)
    assert one[0] == six[0]


def test_another_structure_never_reads_the_letter_or_the_decision(client, outsider, staff):
    dossier = deliberation.shortlist(under_review(factories.make_call(), staff), staff)
    dossier = deliberation.decide(dossier, "select", staff, "Y")
    letters.prepare_letters(dossier.call, staff)
    letters.release_letters(dossier.call, staff)
    client.force_login(outsider)
    assert client.get(reverse("applications:dossier", args=[dossier.pk])).status_code == 404
    assert dossier.reference not in read(client, reverse("applications:my_dossiers"))
