import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.refusals import Refused
from applications.domain.dossiers import change_state
from applications.domain.drafting import (
    SaveConflict,
    save_answers,
    start_dossier,
)
from applications.models import Dossier
from tests import factories
from tests.applications.full_form import FULL_FORM, form_post

pytestmark = pytest.mark.django_db


# --- starting ----------------------------------------------------------------------------------


def test_starting_gives_a_programme_reference_and_a_second_start_returns_the_same(
    open_call, structure, owner
):
    dossier, created = start_dossier(open_call, structure, owner)
    year = timezone.localtime(open_call.opens_at).year
    assert created and dossier.reference == f"CVL-{year}-0001"
    assert dossier.state == "draft" and dossier.created_by == owner
    again, created_again = start_dossier(open_call, structure, owner)
    assert again == dossier and not created_again
    other = factories.MembershipFactory(role="editor")
    second, _ = start_dossier(open_call, other.structure, other.user)
    assert second.reference == f"CVL-{year}-0002"


def test_a_taken_reference_number_is_skipped(open_call, structure, owner):
    year = timezone.localtime(open_call.opens_at).year
    # A dossier of another call holds the number the count would give.
    first, second = factories.make_dossier(), factories.make_dossier()
    Dossier.objects.filter(pk=second.pk).update(reference=f"CVL-{year}-0002")
    first.delete()
    dossier, created = start_dossier(open_call, structure, owner)
    assert created and dossier.reference == f"CVL-{year}-0003"


def test_an_ineligible_structure_cannot_start(owner, structure):
    call = factories.make_call(esus_required=True)
    with pytest.raises(Refused) as refused:
        start_dossier(call, structure, owner)
    assert "ESUS" in refused.value.messages[0]
    assert not Dossier.objects.exists()


def test_a_closed_call_cannot_be_started(owner, structure):
    now = timezone.now()
    call = factories.make_call(opens_at=now - timedelta(days=20), closes_at=now - timedelta(1))
    with pytest.raises(Refused) as refused:
        start_dossier(call, structure, owner)
    assert refused.value.messages[0].startswith("This call closed on")


def test_viewers_and_outsiders_cannot_start(open_call, structure, viewer, outsider):
    for person in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            start_dossier(open_call, structure, person)


def test_after_a_withdrawal_a_new_dossier_can_be_started(open_call, structure, owner):
    first, _ = start_dossier(open_call, structure, owner)
    change_state(first, "withdraw", owner)
    second, created = start_dossier(open_call, structure, owner)
    assert created and second.pk != first.pk


def test_start_page_preselects_the_only_structure_and_shows_the_precheck(
    client, open_call, structure, owner
):
    client.force_login(owner)
    url = reverse("applications:start_dossier", args=[open_call.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["selected"] == structure
    assert "meets the call" in page.content.decode()
    response = client.post(url, {"structure": structure.pk})
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("applications:dossier", args=[dossier.pk])
    # Starting again goes to the existing dossier.
    again = client.post(url, {"structure": structure.pk})
    assert again.url == response.url and Dossier.objects.count() == 1


def test_start_page_shows_the_reasons_and_refuses_an_ineligible_structure(client, structure, owner):
    call = factories.make_call(min_age_years=50)
    client.force_login(owner)
    url = reverse("applications:start_dossier", args=[call.pk])
    page = client.get(url).content.decode()
    assert "this call requires at least 50 years of existence" in page
    assert "Start the dossier" not in page
    refused = client.post(url, {"structure": structure.pk})
    assert refused.status_code == 400
    assert "50 years" in refused.content.decode()
    assert not Dossier.objects.exists()


def test_start_page_lets_a_person_with_several_structures_choose(client, open_call, owner):
    second = factories.MembershipFactory(user=owner, role="editor").structure
    factories.MembershipFactory(user=owner, role="viewer")  # viewers do not apply
    client.force_login(owner)
    url = reverse("applications:start_dossier", args=[open_call.pk])
    page = client.get(url)
    assert page.context["selected"] is None
    assert len(page.context["structures"]) == 2
    chosen = client.get(url, {"structure": second.pk})
    assert chosen.context["selected"] == second


def test_start_refuses_a_structure_that_is_not_the_users(client, open_call, owner, outsider):
    other_structure = outsider.memberships.get().structure
    client.force_login(owner)
    url = reverse("applications:start_dossier", args=[open_call.pk])
    response = client.post(url, {"structure": other_structure.pk})
    assert response.status_code == 400
    assert "Choose one of your structures." in response.content.decode()
    assert not Dossier.objects.exists()


# --- saving ------------------------------------------------------------------------------------


def test_save_answers_moves_to_the_next_revision(dossier, editor):
    saved = save_answers(dossier, {"f-name": "Nouveau nom"}, editor, base_revision=0)
    assert saved.revision == 1
    dossier.refresh_from_db()
    assert dossier.answers == {"f-name": "Nouveau nom"}
    assert dossier.revision == 1 and dossier.last_saved_by == editor


def test_a_save_based_on_an_older_revision_is_refused_naming_who_saved(dossier, owner, editor):
    editor.first_name, editor.last_name = "Marie", "Dupont"
    editor.save()
    with time_machine.travel(timezone.localtime().replace(hour=14, minute=32)):
        save_answers(dossier, {"f-name": "Version de Marie"}, editor, base_revision=0)
    stale = Dossier.objects.get(pk=dossier.pk)
    with pytest.raises(SaveConflict) as conflict:
        save_answers(stale, {"f-name": "Version du propriétaire"}, owner, base_revision=0)
    assert conflict.value.messages[0].startswith("Marie Dupont saved a newer version at")
    assert "14:32" in conflict.value.messages[0]
    dossier.refresh_from_db()
    assert dossier.answers == {"f-name": "Version de Marie"} and dossier.revision == 1


def test_a_save_of_a_submitted_dossier_is_refused(dossier, owner):
    change_state(dossier, "submit", owner)
    with pytest.raises(Refused) as refused:
        save_answers(dossier, {"f-name": "Trop tard"}, owner, base_revision=dossier.revision)
    assert "can no longer be changed" in refused.value.messages[0]
    dossier.refresh_from_db()
    assert dossier.answers["f-name"] == "Tiers-lieu"


def test_viewers_cannot_save(dossier, viewer):
    with pytest.raises(PermissionDenied):
        save_answers(dossier, {}, viewer, base_revision=0)


def test_save_draft_button_keeps_invalid_and_incomplete_values(client, structure, owner):
    call = factories.make_call(form=FULL_FORM)
    dossier = factories.make_dossier(call=call, structure=structure, answers={})
    client.force_login(owner)
    data = form_post(
        {"q-name": "x" * 60, "q-budget": "beaucoup", "q-themes": ["Food", "Housing", "Mobility"]},
        revision=0,
        action="save",
    )
    response = client.post(reverse("applications:dossier", args=[dossier.pk]), data)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.answers == {
        "q-name": "x" * 60,
        "q-budget": "beaucoup",
        "q-themes": ["Food", "Housing", "Mobility"],
    }
    assert dossier.revision == 1


def test_save_draft_button_on_a_stale_revision_keeps_the_typed_text_on_the_page(
    client, dossier, owner, editor
):
    save_answers(dossier, {"f-name": "Version de l'éditeur"}, editor, base_revision=0)
    client.force_login(owner)
    response = client.post(
        reverse("applications:dossier", args=[dossier.pk]),
        {"f-name": "Mon texte à moi", "f-desc": "", "revision": 0, "action": "save"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Mon texte à moi" in page
    assert "saved a newer version" in page
    dossier.refresh_from_db()
    assert dossier.answers == {"f-name": "Version de l'éditeur"}


# --- autosave ----------------------------------------------------------------------------------


def autosave(client, dossier, revision, data):
    return client.post(
        reverse("applications:autosave", args=[dossier.pk]),
        json.dumps({"revision": revision, "data": data}),
        content_type="application/json",
    )


def test_autosave_saves_and_answers_the_new_revision_and_completeness(client, dossier, editor):
    client.force_login(editor)
    response = autosave(client, dossier, 0, {"f-name": ["Café associatif"], "f-desc": [""]})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["revision"] == 1
    assert body["message"].startswith("Saved at ")
    assert body["completeness"] == {
        "required": 2,
        "answered": 1,
        "percent": 50,
        "missing": ["Description"],
        "to_correct": [],
        "missing_links": [{"anchor": "id_f-desc", "label": "Description"}],
        "to_correct_links": [],
    }
    dossier.refresh_from_db()
    assert dossier.answers == {"f-name": "Café associatif"}


def test_autosave_refuses_a_stale_revision_with_409(client, dossier, owner, editor):
    save_answers(dossier, {"f-name": "Autre"}, editor, base_revision=0)
    client.force_login(owner)
    response = autosave(client, dossier, 0, {"f-name": ["Le mien"]})
    assert response.status_code == 409
    assert response.json()["conflict"] is True
    assert "saved a newer version" in response.json()["message"]
    dossier.refresh_from_db()
    assert dossier.answers == {"f-name": "Autre"}


def test_autosave_tells_an_expired_session_with_401(client, dossier):
    response = autosave(client, dossier, 0, {"f-name": ["x"]})
    assert response.status_code == 401
    assert "Log in again in a new tab" in response.json()["message"]


def test_autosave_refuses_viewers_403_and_outsiders_404(client, dossier, viewer, outsider):
    client.force_login(viewer)
    assert autosave(client, dossier, 0, {"f-name": ["x"]}).status_code == 403
    client.force_login(outsider)
    assert autosave(client, dossier, 0, {"f-name": ["x"]}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.revision == 0


def test_autosave_rejects_unreadable_payloads(client, dossier, owner):
    client.force_login(owner)
    url = reverse("applications:autosave", args=[dossier.pk])
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert autosave(client, dossier, "x", {}).status_code == 400
    assert autosave(client, dossier, 0, ["list"]).status_code == 400


def test_the_next_visit_shows_the_last_autosaved_text(client, dossier, owner):
    client.force_login(owner)
    autosave(client, dossier, 0, {"f-name": ["Texte tapé"], "f-desc": ["Encore du texte"]})
    client.logout()
    client.force_login(owner)
    page = client.get(reverse("applications:dossier", args=[dossier.pk])).content.decode()
    assert "Texte tapé" in page and "Encore du texte" in page
    assert 'data-revision="1"' in page


def test_the_page_shows_completeness_and_what_is_missing(client, structure, owner):
    call = factories.make_call(form=FULL_FORM)
    dossier = factories.make_dossier(call=call, structure=structure, answers={"q-name": "A"})
    client.force_login(owner)
    response = client.get(reverse("applications:dossier", args=[dossier.pk]))
    measured = response.context["completeness"]
    assert (measured.required, measured.answered) == (10, 1)
    page = response.content.decode()
    assert "1 of 10 required answers given" in page
    assert '<li><a href="#id_q-files">Budget file</a></li>' in page
    # The conditional question is in the page, hidden until its condition is met.
    assert 'id="question-q-funder"' in page
    assert 'data-show-if="q-funded" data-show-if-operator="is"' in page
    assert 'data-show-if-answers="[&quot;yes&quot;]"' in page


def test_the_form_reads_partner_rows_and_drops_the_empty_ones():
    from django.utils.datastructures import MultiValueDict

    from applications.forms.dossier import DossierForm

    data = MultiValueDict(
        {
            "q-partners.name": ["Mairie", "", "Crédit coopératif"],
            "q-partners.kind": ["public_body", "", "company"],
            "q-partners.siret": ["", "", "1234"],
            "q-partners.role": ["Premises", "", ""],
            "q-themes": ["Food", "Housing"],
            "q-budget": ["12 500,5"],
            "q-funded": ["oui"],
        }
    )
    form = DossierForm(FULL_FORM, data=data, answers={"old-question": "kept"})
    assert form.is_valid()
    assert form.answers() == {
        "old-question": "kept",
        "q-partners": [
            {"name": "Mairie", "kind": "public_body", "siret": "", "role": "Premises"},
            {"name": "Crédit coopératif", "kind": "company", "siret": "1234", "role": ""},
        ],
        "q-themes": ["Food", "Housing"],
        "q-budget": "12500.50",
        "q-funded": "yes",
    }
