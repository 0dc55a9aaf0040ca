"""Staff decisions on a dossier (request information, eligible, ineligible), personal deadlines."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from applications.domain.dossiers import TransitionRefused, change_state
from applications.domain.extensions import grant_extension
from applications.models import Attachment, DossierState
from tests import factories
from tests.applications.staff_support import submitted_dossier
from workers.models import OutboxMessage

PARIS = ZoneInfo("Europe/Paris")


def _detail(dossier):
    return reverse("applications:staff_dossier", kwargs={"dossier_id": dossier.pk})


def _transition(dossier, name):
    return reverse("applications:staff_transition", kwargs={"dossier_id": dossier.pk, "name": name})


def _extension(dossier):
    return reverse("applications:staff_extension", kwargs={"dossier_id": dossier.pk})


def _action_names(response):
    return [action["name"] for action in response.context["actions"]]


# --- the detail page ---------------------------------------------------------------------------


def test_detail_shows_profile_answers_files_and_history(client, staff):
    call = factories.make_call()
    structure = factories.StructureFactory(name="Ferme des Possibles", rna="W123456789")
    dossier = submitted_dossier(call, structure)
    change_state(dossier, "request_info", staff, "Please add your budget.")
    client.force_login(staff)

    response = client.get(_detail(dossier))

    page = response.content.decode()
    assert "Ferme des Possibles" in page
    assert structure.siret in page and "W123456789" in page
    rows = {row["label"]: row["text"] for row in response.context["rows"]}
    assert rows["Nom du projet"] == "Tiers-lieu"
    assert "Tiers-lieu" in page
    logs = list(response.context["transitions"])
    assert [(log.source, log.target) for log in logs] == [
        ("draft", "submitted"),
        ("submitted", "info_requested"),
    ]
    assert "Please add your budget." in page
    assert staff.display_name in page
    assert "(Paris time)" in page


def test_detail_offers_the_staff_transitions_of_a_submitted_dossier(client, staff):
    dossier = submitted_dossier(factories.make_call())
    client.force_login(staff)
    response = client.get(_detail(dossier))
    assert _action_names(response) == ["request_info", "mark_eligible", "mark_ineligible"]
    page = response.content.decode()
    assert _transition(dossier, "mark_ineligible") in page


def test_detail_offers_no_transition_on_a_draft(client, staff, dossier):
    client.force_login(staff)
    response = client.get(_detail(dossier))
    assert _action_names(response) == []
    assert response.context["can_extend"]


def test_detail_links_files_that_staff_can_download(client, staff):
    dossier = factories.make_dossier(call=factories.make_call())
    attachment = Attachment.objects.create(
        dossier=dossier,
        field_id="f-other",
        file=ContentFile(b"%PDF-1.4", name="statuts.pdf"),
        original_name="statuts.pdf",
        content_type="application/pdf",
        size=8,
    )
    client.force_login(staff)
    page = client.get(_detail(dossier)).content.decode()
    assert "statuts.pdf" in page
    url = reverse(
        "applications:attachment",
        kwargs={"dossier_id": dossier.pk, "attachment_id": attachment.pk},
    )
    assert f'href="{url}"' in page
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"


# --- transitions -------------------------------------------------------------------------------


def test_request_information_with_a_comment(client, staff):
    dossier = submitted_dossier(factories.make_call())
    client.force_login(staff)
    response = client.post(
        _transition(dossier, "request_info"), {"request_info-comment": "  Add the budget.  "}
    )
    assert response.status_code == 302
    assert response.url == _detail(dossier)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.INFO_REQUESTED
    log = dossier.transitions.last()
    assert (log.actor, log.name, log.comment) == (staff, "request_info", "Add the budget.")


def test_request_information_without_a_comment_is_refused_in_place(client, staff):
    dossier = submitted_dossier(factories.make_call())
    client.force_login(staff)
    response = client.post(_transition(dossier, "request_info"), {"request_info-comment": "  "})
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED
    action = next(a for a in response.context["actions"] if a["name"] == "request_info")
    assert action["form"].errors["comment"] == ["Please give a reason: the structure will read it."]
    page = response.content.decode()
    assert "Please give a reason" in page
    assert "What does the structure need to add or clarify?" in page


def test_mark_ineligible_needs_a_reason_and_keeps_the_typed_text_when_refused(client, staff):
    dossier = submitted_dossier(factories.make_call())
    client.force_login(staff)
    response = client.post(_transition(dossier, "mark_ineligible"), {"mark_ineligible-comment": ""})
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED

    # Another staff member decides meanwhile: the refusal keeps what this one typed.
    change_state(dossier, "mark_eligible", factories.StaffFactory())
    response = client.post(
        _transition(dossier, "mark_ineligible"),
        {"mark_ineligible-comment": "Outside the région."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Outside the région." in page
    assert "cannot be changed this way now" in page
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ELIGIBLE


def test_mark_ineligible_with_a_reason(client, staff):
    dossier = submitted_dossier(factories.make_call())
    client.force_login(staff)
    response = client.post(
        _transition(dossier, "mark_ineligible"),
        {"mark_ineligible-comment": "Outside the région."},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.INELIGIBLE
    assert dossier.transitions.last().comment == "Outside the région."


def test_mark_eligible_without_a_comment(client, staff):
    dossier = submitted_dossier(factories.make_call())
    client.force_login(staff)
    response = client.post(_transition(dossier, "mark_eligible"), {})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ELIGIBLE
    follow = client.get(response.url)
    assert "The dossier is now eligible." in follow.content.decode()
    assert _action_names(follow) == []


def test_a_draft_cannot_be_marked_eligible(client, staff, dossier):
    client.force_login(staff)
    response = client.post(_transition(dossier, "mark_eligible"), {})
    assert response.status_code == 200
    assert "cannot be changed this way now" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT


# --- personal deadline extensions --------------------------------------------------------------


def test_grant_extension_sets_the_deadline_and_tells_the_members(staff, dossier, owner, editor):
    until = dossier.call.closes_at + timedelta(days=5)
    grant_extension(dossier, until, staff, "Flood in the office.")
    dossier.refresh_from_db()
    assert dossier.deadline_extended_to == until
    assert dossier.deadline == until
    messages = OutboxMessage.objects.filter(key__startswith=f"dossier:{dossier.pk}:extension:")
    assert sorted(m.to for m in messages) == sorted([owner.email, editor.email])
    message = messages.get(to=owner.email)
    assert message.key == f"dossier:{dossier.pk}:extension:{until.isoformat()}:{owner.pk}"
    assert "Flood in the office." in message.body_text
    assert "(Paris time)" in message.body_text
    assert dossier.reference in message.subject
    # The state log is for state changes only.
    assert not dossier.transitions.exists()


def test_grant_extension_twice_with_the_same_deadline_sends_once(staff, dossier, owner):
    until = dossier.call.closes_at + timedelta(days=5)
    grant_extension(dossier, until, staff, "Flood.")
    grant_extension(dossier, until, staff, "Flood.")
    assert OutboxMessage.objects.filter(to=owner.email, key__contains=":extension:").count() == 1


def test_extension_before_the_close_or_in_the_past_is_refused(staff, dossier):
    with pytest.raises(ValidationError) as error:
        grant_extension(dossier, dossier.call.closes_at - timedelta(hours=1), staff, "Why not.")
    assert "after the call's closing time" in str(error.value.message_dict["until"])
    closed = factories.make_dossier(
        call=factories.make_call(
            opens_at=timezone.now() - timedelta(days=30),
            closes_at=timezone.now() - timedelta(days=2),
        )
    )
    with pytest.raises(ValidationError) as error:
        grant_extension(closed, timezone.now() - timedelta(days=1), staff, "Too late.")
    assert "in the future" in str(error.value.message_dict["until"])
    closed.refresh_from_db()
    assert closed.deadline_extended_to is None
    assert not OutboxMessage.objects.filter(key__contains=":extension:").exists()


def test_extension_needs_a_reason_a_draft_and_staff(staff, owner):
    call = factories.make_call()
    later = call.closes_at + timedelta(days=3)
    draft = factories.make_dossier(call=call)
    with pytest.raises(ValidationError) as error:
        grant_extension(draft, later, staff, "   ")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        grant_extension(draft, later, owner, "I want more time.")
    submitted = submitted_dossier(call)
    with pytest.raises(ValidationError) as error:
        grant_extension(submitted, later, staff, "Too late anyway.")
    assert "Only a draft dossier" in str(error.value.messages)


def test_an_extension_lets_the_dossier_be_submitted_after_the_close(staff):
    closes_at = timezone.now() + timedelta(days=1)
    call = factories.make_call(closes_at=closes_at)

    def draft_with_editor():
        structure = factories.StructureFactory()
        editor = factories.MembershipFactory(structure=structure, role="editor").user
        return factories.make_dossier(call=call, structure=structure), editor

    extended, extended_editor = draft_with_editor()
    short, short_editor = draft_with_editor()
    plain, plain_editor = draft_with_editor()
    grant_extension(extended, closes_at + timedelta(days=7), staff, "Illness.")
    grant_extension(short, closes_at + timedelta(days=1), staff, "A day more.")

    with time_machine.travel(closes_at + timedelta(days=2)):
        with pytest.raises(TransitionRefused) as refused:
            change_state(plain, "submit", plain_editor)
        assert "The call closed" in str(refused.value)
        with pytest.raises(TransitionRefused):
            change_state(short, "submit", short_editor)
        submitted = change_state(extended, "submit", extended_editor)
    assert submitted.state == DossierState.SUBMITTED
    plain.refresh_from_db()
    short.refresh_from_db()
    assert plain.state == short.state == DossierState.DRAFT


def test_the_extension_form_reads_paris_time(client, staff, dossier, owner):
    client.force_login(staff)
    local = (dossier.call.closes_at + timedelta(days=3)).astimezone(PARIS)
    response = client.post(
        _extension(dossier),
        {
            "extension-until": local.strftime("%Y-%m-%dT%H:%M"),
            "extension-reason": "The treasurer was ill.",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    expected = datetime(local.year, local.month, local.day, local.hour, local.minute, tzinfo=PARIS)
    assert dossier.deadline_extended_to == expected
    follow = client.get(response.url)
    assert "members were told by e-mail" in follow.content.decode()
    assert OutboxMessage.objects.filter(to=owner.email, key__contains=":extension:").exists()


def test_a_refused_extension_keeps_what_was_typed(client, staff, dossier):
    client.force_login(staff)
    before = dossier.call.closes_at.astimezone(PARIS) - timedelta(days=1)
    typed = before.strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        _extension(dossier),
        {"extension-until": typed, "extension-reason": "Network outage."},
    )
    assert response.status_code == 200
    form = response.context["extension_form"]
    assert "until" in form.errors
    page = response.content.decode()
    assert f'value="{typed}"' in page
    assert "Network outage." in page
    assert "after the call&#x27;s closing time" in page
    dossier.refresh_from_db()
    assert dossier.deadline_extended_to is None


def test_an_extension_without_reason_is_refused_by_the_form(client, staff, dossier):
    client.force_login(staff)
    later = dossier.call.closes_at.astimezone(PARIS) + timedelta(days=1)
    response = client.post(
        _extension(dossier),
        {"extension-until": later.strftime("%Y-%m-%dT%H:%M"), "extension-reason": ""},
    )
    assert response.status_code == 200
    assert "reason" in response.context["extension_form"].errors
    dossier.refresh_from_db()
    assert dossier.deadline_extended_to is None


def test_the_extension_form_shows_the_current_personal_deadline_in_paris_time(
    client, staff, dossier
):
    until = dossier.call.closes_at + timedelta(days=2)
    grant_extension(dossier, until, staff, "Strike.")
    client.force_login(staff)
    page = client.get(_detail(dossier)).content.decode()
    assert f'value="{until.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")}"' in page
