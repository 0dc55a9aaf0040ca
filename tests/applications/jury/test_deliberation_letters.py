"""Decision letters: templates with placeholders, shared feedback only, letters prepared as held
drafts, edited one by one, released together now or at a chosen time."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.refusals import Refused
from applications.domain import deliberation, letters
from applications.models import DecisionLetter, DecisionLetterTemplate
from tests import factories
from tests.applications.jury.test_deliberation_support import (
    JUROR_FIRST_NAME,
    JUROR_LAST_NAME,
    OVERALL_COMMENT,
    PRIVATE_NOTE,
    SHARED_COMMENT,
    UNSHARED_COMMENT,
    named_juror,
    submitted_review,
    under_review,
)
from workers import outbox
from workers.models import OutboxMessage, OutboxStatus


def settle():
    """Send what the test's set-up queued (submissions, eligibility), then forget it."""
    outbox.flush()
    mail.outbox.clear()


pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    return factories.make_call(title="Innover en Centre-Val de Loire")


def decided(call, staff, decision, rationale="A clear rationale."):
    dossier = deliberation.shortlist(under_review(call, staff), staff)
    return deliberation.decide(dossier, decision, staff, rationale)


def add_owner(dossier):
    return factories.MembershipFactory(structure=dossier.structure, role="owner").user


def letter_rows(letter):
    return list(letters.letter_messages(letter))


# --- templates and placeholders -------------------------------------------------------------


def test_templates_start_from_the_defaults_in_the_staff_language(call):
    templates = letters.letter_templates(call, "en")
    assert set(templates) == {"selected", "waitlisted", "rejected"}
    assert "{reference}" in templates["selected"].subject
    assert "{feedback}" in templates["rejected"].body
    assert DecisionLetterTemplate.objects.filter(call=call).count() == 3
    # Asked again (in another language), the call keeps its templates.
    assert letters.letter_templates(call, "fr")["selected"].pk == templates["selected"].pk


def test_the_french_defaults_are_french(call):
    from django.utils import translation

    with translation.override("fr"):
        english = str(letters.DEFAULT_BODIES["rejected"])
    french = letters.letter_templates(call, "fr")["rejected"].body
    # The msgid is English; the catalogue may not translate it yet: the placeholders survive.
    assert set(letters.PLACEHOLDER.findall(french)) == set(letters.PLACEHOLDER.findall(english))


def test_placeholders_are_filled_and_other_braces_kept():
    text = "Hello {structure}, see {dossier_url}. {unknown} {"
    assert letters.fill(text, {"structure": "L'Atelier", "dossier_url": "http://x/1/"}) == (
        "Hello L'Atelier, see http://x/1/. {unknown} {"
    )
    assert letters.unknown_placeholders("{call} {calll} {feedback} {x}") == ["calll", "x"]
    assert letters.fill("A\n\n{feedback}\n\nB", {"feedback": ""}) == "A\n\nB"


def test_the_template_form_refuses_unknown_placeholders_and_keeps_the_text(client, call, staff):
    client.force_login(staff)
    url = reverse("applications:staff_letters", args=[call.pk])
    response = client.post(
        url,
        {
            "outcome": "selected",
            "selected-subject": "Bravo {structure}",
            "selected-body": "Dear {structucture}, well done.",
        },
    )
    assert response.status_code == 400
    assert "{structucture}" in response.content.decode()
    assert "Unknown placeholder" in response.content.decode()
    response = client.post(
        url,
        {
            "outcome": "selected",
            "selected-subject": "Bravo {structure}",
            "selected-body": "Dear {structure}, well done. {feedback}",
        },
    )
    assert response.status_code == 302
    template = DecisionLetterTemplate.objects.get(call=call, outcome="selected")
    assert template.body == "Dear {structure}, well done. {feedback}"


# --- preparing ----------------------------------------------------------------------------------


def test_prepare_writes_one_letter_per_decided_dossier_as_held_drafts(call, staff):
    selected = decided(call, staff, "select", "Strong local anchoring.")
    waitlisted = decided(call, staff, "waitlist")
    rejected = decided(call, staff, "reject")
    shortlisted = deliberation.shortlist(under_review(call, staff), staff)
    add_owner(selected)
    settle()
    assert letters.prepare_letters(call, staff) == 3
    by_dossier = {letter.dossier_id: letter for letter in DecisionLetter.objects.all()}
    assert set(by_dossier) == {selected.pk, waitlisted.pk, rejected.pk}
    assert shortlisted.pk not in by_dossier
    letter = by_dossier[selected.pk]
    assert letter.outcome == "selected" and letter.prepared_by == staff
    assert letter.release_at is None
    assert selected.reference in letter.subject and call.title in letter.subject
    assert selected.structure.name in letter.body
    assert "Strong local anchoring." in letter.body
    assert reverse("applications:dossier", args=[selected.pk]) in letter.body
    rows = letter_rows(letter)
    # The structure's editor (who submitted) and the owner added: one held message each.
    assert len(rows) == 2 and {row.status for row in rows} == {OutboxStatus.DRAFT}
    assert {row.subject for row in rows} == {letter.subject}
    assert outbox.flush() == 0
    assert mail.outbox == []
    # Preparing again writes nothing new and keeps one message per member.
    assert letters.prepare_letters(call, staff) == 0
    assert len(letter_rows(letter)) == 2


def test_the_feedback_holds_only_shared_comments_never_names_or_private_notes(call, staff):
    dossier = under_review(call, staff)
    juror = named_juror(call)
    submitted_review(
        juror, dossier, [4, 3], comments=[SHARED_COMMENT, UNSHARED_COMMENT], shared=(0,)
    )
    draft_juror = named_juror(call)
    review = submitted_review(
        draft_juror, dossier, [1, 1], comments=["DRAFT ONLY comment.", "x"], shared=(0, 1)
    )
    review.submitted_at = None
    review.save()
    dossier = deliberation.decide(deliberation.shortlist(dossier, staff), "select", staff, "Bravo.")
    letters.prepare_letters(call, staff)
    letter = DecisionLetter.objects.get(dossier=dossier)
    assert SHARED_COMMENT in letter.body
    assert "Critère 1:" in letter.body
    for secret in (
        UNSHARED_COMMENT,
        PRIVATE_NOTE,
        OVERALL_COMMENT,
        JUROR_FIRST_NAME,
        JUROR_LAST_NAME,
        juror.user.email,
        "DRAFT ONLY",
    ):
        assert secret not in letter.body
        for row in letter_rows(letter):
            assert secret not in row.body_text and secret not in row.body_html


def test_staff_choose_the_shared_comments_and_rewrite_the_letter(client, call, staff):
    dossier = under_review(call, staff)
    submitted_review(named_juror(call), dossier, [4, 3], comments=[SHARED_COMMENT, "Second."])
    dossier = decided_from(dossier, staff, "reject")
    letters.prepare_letters(call, staff)
    letter = DecisionLetter.objects.get(dossier=dossier)
    assert SHARED_COMMENT not in letter.body
    client.force_login(staff)
    url = reverse("applications:staff_letter", args=[call.pk, dossier.pk])
    page = client.get(url)
    assert SHARED_COMMENT in page.content.decode()  # staff read every comment to choose
    assert JUROR_LAST_NAME not in page.content.decode()
    first = page.context["comments"][0]
    response = client.post(url, {"action": "share_rewrite", "shared": [str(first.pk)]})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert SHARED_COMMENT in letter.body and "Second." not in letter.body
    rows = letter_rows(letter)
    assert rows and all(SHARED_COMMENT in row.body_text for row in rows)


def decided_from(dossier, staff, decision):
    dossier = deliberation.shortlist(dossier, staff)
    return deliberation.decide(dossier, decision, staff, "The rationale.")


def test_editing_one_letter_rewrites_its_held_messages_only(client, call, staff):
    first = decided(call, staff, "select")
    second = decided(call, staff, "reject")
    letters.prepare_letters(call, staff)
    letter = DecisionLetter.objects.get(dossier=first)
    other = DecisionLetter.objects.get(dossier=second)
    old_ids = {row.pk for row in letter_rows(letter)}
    other_ids = {row.pk for row in letter_rows(other)}
    client.force_login(staff)
    url = reverse("applications:staff_letter", args=[call.pk, first.pk])
    response = client.post(
        url, {"action": "letter", "subject": "A new subject", "body": "A new body."}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.subject, letter.body) == ("A new subject", "A new body.")
    rows = letter_rows(letter)
    assert {row.pk for row in rows}.isdisjoint(old_ids) and len(rows) == len(old_ids)
    assert all(row.subject == "A new subject" and row.status == "draft" for row in rows)
    assert all("A new body." in row.body_text and "A new body." in row.body_html for row in rows)
    assert {row.pk for row in letter_rows(other)} == other_ids
    assert OutboxMessage.objects.filter(pk__in=old_ids).count() == 0
    # An empty subject is refused and the typed body kept.
    response = client.post(url, {"action": "letter", "subject": "", "body": "Kept text."})
    assert response.status_code == 400 and "Kept text." in response.content.decode()


# --- releasing ------------------------------------------------------------------------------


def test_release_now_sends_every_letter_together(client, call, staff):
    dossiers = [decided(call, staff, d) for d in ("select", "waitlist", "reject")]
    client.force_login(staff)
    settle()
    client.post(reverse("applications:staff_letters_prepare", args=[call.pk]))
    response = client.post(reverse("applications:staff_letters_release", args=[call.pk]))
    assert response.status_code == 302
    outbox.flush()
    assert len(mail.outbox) == 3
    subjects = {m.subject for m in mail.outbox}
    for dossier in dossiers:
        letter = DecisionLetter.objects.get(dossier=dossier)
        assert letter.released_by == staff and letter.is_released()
        assert letter.subject in subjects
        assert all(row.status == OutboxStatus.SENT for row in letter_rows(letter))
    assert {m.to[0] for m in mail.outbox} == {
        d.structure.memberships.get(role="editor").user.email for d in dossiers
    }


def test_release_later_sends_nothing_before_the_time_and_everything_after(client, call, staff):
    dossiers = [decided(call, staff, d) for d in ("select", "reject")]
    letters.prepare_letters(call, staff)
    settle()
    client.force_login(staff)
    moment = timezone.localtime() + timedelta(days=2)
    response = client.post(
        reverse("applications:staff_letters_release", args=[call.pk]),
        {"release_at": moment.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    release_at = DecisionLetter.objects.get(dossier=dossiers[0]).release_at
    assert abs(release_at - moment) < timedelta(minutes=1)
    assert outbox.flush() == 0 and mail.outbox == []
    with time_machine.travel(release_at - timedelta(minutes=5)):
        assert outbox.flush() == 0
    with time_machine.travel(release_at + timedelta(seconds=1)):
        assert outbox.flush() == 2
    assert len(mail.outbox) == 2


def test_a_release_in_the_past_is_refused(client, call, staff):
    decided(call, staff, "select")
    letters.prepare_letters(call, staff)
    client.force_login(staff)
    response = client.post(
        reverse("applications:staff_letters_release", args=[call.pk]),
        {"release_at": "2020-01-01T10:00"},
    )
    assert response.status_code == 400
    assert "Choose a moment in the future" in response.content.decode()
    assert DecisionLetter.objects.get().release_at is None


def test_release_is_refused_while_a_decided_dossier_has_no_letter(call, staff):
    decided(call, staff, "select")
    letters.prepare_letters(call, staff)
    late = decided(call, staff, "reject")
    with pytest.raises(Refused, match="decided dossier has no letter for its decision yet"):
        letters.release_letters(call, staff)
    assert not DecisionLetter.objects.filter(release_at__isnull=False).exists()
    letters.prepare_letters(call, staff)
    assert letters.release_letters(call, staff) == 2
    assert DecisionLetter.objects.get(dossier=late).is_released()


def test_a_scheduled_letter_can_be_edited_or_taken_back(call, staff):
    dossier = decided(call, staff, "select")
    settle()
    letters.prepare_letters(call, staff)
    moment = timezone.now() + timedelta(days=1)
    letters.release_letters(call, staff, moment)
    letter = DecisionLetter.objects.get(dossier=dossier)
    letters.edit_letter(letter, staff, subject="Corrected", body="Corrected body.")
    rows = letter_rows(letter)
    assert [(r.subject, r.status) for r in rows] == [("Corrected", OutboxStatus.PENDING)]
    assert rows[0].send_after == moment
    assert letters.cancel_release(call, staff) == 1
    letter.refresh_from_db()
    assert letter.release_at is None
    assert [(r.subject, r.status) for r in letter_rows(letter)] == [("Corrected", "draft")]
    with time_machine.travel(moment + timedelta(hours=1)):
        assert outbox.flush() == 0


def test_a_released_letter_is_not_edited(call, staff):
    dossier = decided(call, staff, "reject")
    letters.prepare_letters(call, staff)
    letters.release_letters(call, staff)
    letter = DecisionLetter.objects.get(dossier=dossier)
    with pytest.raises(Refused, match="This letter is released"):
        letters.edit_letter(letter, staff, subject="Oops", body="Too late.")


def test_a_waitlisted_then_selected_dossier_gets_a_new_letter(call, staff):
    dossier = decided(call, staff, "waitlist")
    letters.prepare_letters(call, staff)
    letters.release_letters(call, staff)
    outbox.flush()
    first = DecisionLetter.objects.get(dossier=dossier)
    sent = letter_rows(first)
    deliberation.decide(dossier, "select", staff, "A place became free.")
    assert [d.pk for d in letters.letters_not_ready(call)] == [dossier.pk]
    assert letters.prepare_letters(call, staff) == 1
    letter = DecisionLetter.objects.get(dossier=dossier)
    assert letter.outcome == "selected" and letter.release_at is None
    assert "A place became free." in letter.body
    rows = letter_rows(letter)
    assert {r.status for r in rows if r.pk not in {s.pk for s in sent}} == {"draft"}
    assert {r.status for r in rows if r.pk in {s.pk for s in sent}} == {"sent"}


def test_the_letters_page_lists_letters_in_constant_queries(client, call, staff):
    client.force_login(staff)
    url = reverse("applications:staff_letters", args=[call.pk])

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.context["dossiers"])

    decided(call, staff, "select")
    letters.prepare_letters(call, staff)
    one = queries()
    for i in range(39):
        decided(call, staff, ("select", "waitlist", "reject")[i % 3])
    letters.prepare_letters(call, staff)
    forty = queries()
    assert (one[1], forty[1]) == (1, 40)
    assert one[0] == forty[0]
