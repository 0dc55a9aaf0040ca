import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.domain.answer_display import display_rows
from applications.domain.attachments import attach_file
from applications.domain.dossiers import TransitionRefused, change_state
from applications.models import Dossier, DossierTransition
from applications.questions.choices import with_choice_ids
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, form_post
from tests.applications.test_files import PDF, upload
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_dossier(structure, owner):
    call = factories.make_call(form=FULL_FORM)
    dossier = factories.make_dossier(
        call=call, structure=structure, answers=dict(COMPLETE_ANSWERS), created_by=owner
    )
    attach_file(dossier, "q-files", upload("budget.pdf", PDF), owner)
    return dossier


def page(dossier):
    return reverse("applications:dossier", args=[dossier.pk])


def test_submitting_locks_the_dossier_and_keeps_a_copy_of_the_form(
    client, full_dossier, owner, editor, viewer
):
    client.force_login(editor)
    response = client.post(page(full_dossier), form_post(revision=0, action="submit"))
    assert response.status_code == 302
    full_dossier.refresh_from_db()
    assert full_dossier.state == "submitted"
    assert full_dossier.submitted_at is not None
    # The form as answered, choices written as the admin stores them (their label as key).
    assert full_dossier.form_snapshot == with_choice_ids(FULL_FORM)
    log = DossierTransition.objects.get(dossier=full_dossier)
    assert (log.name, log.source, log.target, log.actor) == ("submit", "draft", "submitted", editor)
    # Locked: the page is read-only, saving is forbidden.
    after = client.get(page(full_dossier))
    assert after.context["form"] is None
    assert "Tiers-lieu" in after.content.decode()
    assert client.post(page(full_dossier), form_post(revision=1)).status_code == 403


def test_later_edits_of_the_call_form_never_alter_a_submitted_dossier(full_dossier, owner):
    change_state(full_dossier, "submit", owner)
    call = full_dossier.call
    changed = [dict(block) for block in FULL_FORM]
    changed[1] = {**changed[1], "value": {**changed[1]["value"], "label": "Renamed question"}}
    call.form = changed[:3]
    call.save_revision().publish()
    dossier = Dossier.objects.get(pk=full_dossier.pk)
    labels = [row["label"] for row in display_rows(dossier)]
    assert "Project name" in labels and "Renamed question" not in labels
    assert len(labels) == len(FULL_FORM)


def test_the_receipt_goes_to_every_owner_and_editor_in_their_language(
    full_dossier, owner, editor, viewer
):
    owner.language, editor.language = "fr", "en"
    owner.save()
    editor.save()
    change_state(full_dossier, "submit", editor)
    messages = {m.to: m for m in OutboxMessage.objects.all()}
    assert set(messages) == {owner.email, editor.email}  # not the viewer
    assert messages[owner.email].language == "fr"
    english = messages[editor.email]
    assert english.language == "en"
    assert english.subject == f"Receipt: dossier {full_dossier.reference} submitted"
    link = f"http://127.0.0.1:8000/dossiers/{full_dossier.pk}/"
    assert link in english.body_text and f'href="{link}"' in english.body_html
    assert "(Paris time)" in english.body_text
    # The receipt number the PDF carries, in both parts, for the structure's records.
    from applications.domain.receipts import receipt_number

    full_dossier.refresh_from_db()
    receipt = receipt_number(full_dossier)
    assert receipt and f"Receipt number: {receipt}" in english.body_text
    assert (
        receipt in english.body_html
        and f"réception\xa0: {receipt}" in messages[owner.email].body_text
    )


def test_an_incomplete_dossier_is_refused_with_each_problem_in_place(client, full_dossier, owner):
    client.force_login(owner)
    typed = {**COMPLETE_ANSWERS, "q-name": "", "q-budget": "12", "q-desc": "Mon texte tapé"}
    response = client.post(page(full_dossier), form_post(typed, revision=0, action="submit"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["q-name"] == ["This answer is required."]
    assert errors["q-budget"] == ["The smallest accepted value is 1,000\u00a0€."]
    html = response.content.decode()
    assert "Mon texte tapé" in html
    assert "cannot be submitted yet" in html
    full_dossier.refresh_from_db()
    assert full_dossier.state == "draft"
    assert full_dossier.answers["q-desc"] == "Mon texte tapé"  # the draft is saved


def test_hidden_conditional_questions_do_not_stop_a_submission(client, full_dossier, owner):
    client.force_login(owner)
    typed = {**COMPLETE_ANSWERS, "q-funded": "no", "q-area": "Urban"}
    response = client.post(page(full_dossier), form_post(typed, revision=0, action="submit"))
    assert response.status_code == 302
    full_dossier.refresh_from_db()
    assert full_dossier.state == "submitted"
    shown = {**COMPLETE_ANSWERS, "q-funded": "yes"}
    other = factories.make_dossier(
        call=full_dossier.call,
        structure=factories.MembershipFactory(role="owner").structure,
        answers=shown,
    )
    other_owner = other.structure.memberships.get().user
    attach_file(other, "q-files", upload("b.pdf", PDF), other_owner)
    with pytest.raises(TransitionRefused) as refused:
        change_state(other, "submit", other_owner)
    assert "Which funder?" in refused.value.messages[0]


def test_after_the_deadline_submission_is_refused_and_the_draft_kept(full_dossier, owner):
    before = dict(full_dossier.answers)
    after_closing = full_dossier.call.closes_at + timedelta(minutes=1)
    with time_machine.travel(after_closing), pytest.raises(TransitionRefused) as refused:
        change_state(full_dossier, "submit", owner)
    assert refused.value.messages == [
        "The call closed: this dossier can no longer be submitted. Your draft is kept."
    ]
    full_dossier.refresh_from_db()
    assert full_dossier.state == "draft" and full_dossier.answers == before
    assert not DossierTransition.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_after_the_deadline_the_page_says_so_and_keeps_the_typed_text(client, full_dossier, owner):
    with time_machine.travel(full_dossier.call.closes_at + timedelta(hours=2)):
        client.force_login(owner)
        shown = client.get(page(full_dossier)).content.decode()
        assert "The call closed" in shown
        response = client.post(page(full_dossier), form_post(revision=0, action="submit"))
    assert response.status_code == 400
    assert "The call closed: this dossier can no longer be submitted." in response.content.decode()
    assert 'value="Tiers-lieu"' in response.content.decode()
    full_dossier.refresh_from_db()
    assert full_dossier.state == "draft"


def test_a_personal_extension_allows_a_later_submission(full_dossier, owner):
    closes = full_dossier.call.closes_at
    Dossier.objects.filter(pk=full_dossier.pk).update(deadline_extended_to=closes + timedelta(2))
    full_dossier.refresh_from_db()
    with time_machine.travel(closes + timedelta(days=1)):
        assert change_state(full_dossier, "submit", owner).state == "submitted"
    late = factories.make_dossier(call=full_dossier.call)
    with time_machine.travel(closes + timedelta(days=3)):
        late.deadline_extended_to = closes + timedelta(days=2)
        assert late.deadline_passed()


def test_viewers_cannot_submit(client, full_dossier, viewer):
    client.force_login(viewer)
    response = client.post(page(full_dossier), form_post(revision=0, action="submit"))
    assert response.status_code == 403
    full_dossier.refresh_from_db()
    assert full_dossier.state == "draft"


def test_a_stale_copy_cannot_submit_a_second_time(full_dossier, owner, editor):
    # Two people load the same dossier; both press "Submit".
    first = Dossier.objects.get(pk=full_dossier.pk)
    second = Dossier.objects.get(pk=full_dossier.pk)
    change_state(first, "submit", owner)
    with pytest.raises(TransitionRefused):
        change_state(second, "submit", editor)
    assert DossierTransition.objects.filter(dossier=full_dossier).count() == 1
    assert OutboxMessage.objects.count() == 2  # one receipt per member, once


def test_autosave_after_submission_is_refused(client, full_dossier, owner):
    change_state(full_dossier, "submit", owner)
    client.force_login(owner)
    response = client.post(
        reverse("applications:autosave", args=[full_dossier.pk]),
        json.dumps({"revision": 0, "data": {"q-name": ["changed"]}}),
        content_type="application/json",
    )
    assert response.status_code == 403
    full_dossier.refresh_from_db()
    assert full_dossier.answers["q-name"] == "Tiers-lieu"


def test_the_submission_time_is_recorded(full_dossier, owner):
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        submitted = change_state(full_dossier, "submit", owner)
    assert submitted.submitted_at == moment
