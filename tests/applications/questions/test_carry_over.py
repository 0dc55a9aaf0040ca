"""An answer written for a former version of its question: carried over into the question's new
shape when it can be read (a renamed choice, another kind), else kept stored and out of view, and
never erased by a save that did not touch it (Essor issue 14)."""

import json
import re

import pytest
from django.urls import reverse

from applications.domain.answer_display import display_rows, export_texts
from applications.domain.completeness import completeness
from applications.domain.form_definition import form_definition
from applications.forms.dossier import DossierForm
from applications.models import Dossier
from tests import factories
from tests.applications.questions.helpers import items

pytestmark = pytest.mark.django_db


def block(block_id, kind, label, **value):
    return {"type": kind, "id": block_id, "value": {"label": label, "required": True, **value}}


AREA = block("q-area", "single_choice", "Area", choices=items("Rural", "Urban", "Both"))
THEMES = block("q-themes", "multiple_choice", "Themes", choices=items("Food", "Mobility"))
NAME = block("q-name", "short_text", "Project name")
BUDGET = block("q-budget", "number", "Budget")
FORM = [AREA, THEMES, NAME, BUDGET]
ANSWERS = {
    "q-area": "c-rural",
    "q-themes": ["c-food"],
    "q-name": "Tiers-lieu",
    "q-budget": "12500.5",
}


@pytest.fixture
def draft(structure, owner):
    call = factories.make_call(form=FORM)
    return factories.make_dossier(
        call=call, structure=structure, answers=dict(ANSWERS), created_by=owner
    )


def publish(dossier, form):
    """The call's form becomes `form`; the dossier read again, as a new request reads it."""
    call = dossier.call
    call.form = form
    call.save()
    return Dossier.objects.select_related("call").get(pk=dossier.pk)


def replaced(form, block_id, new):
    return [new if b["id"] == block_id else b for b in form]


def rows(dossier):
    return {row["id"]: row for row in display_rows(dossier)}


def page(dossier):
    return reverse("applications:dossier", args=[dossier.pk])


def untouched_post(dossier):
    """What the browser sends when the person saves the page without changing anything."""
    form = DossierForm(form_definition(dossier), answers=dossier.answers)
    marker = form.present_marker()
    data = {"revision": dossier.revision, "action": "save", marker["name"]: marker["value"]}
    for question in form.questions:
        if not question.kind.stores_answer:
            continue
        value = form[question.id].value()
        if value not in (None, "", []):
            data[question.id] = value
    return data


def checked(html, name, value):
    return re.search(rf'name="{name}" value="{value}"[^>]*checked', html) is not None


def test_a_renamed_choice_keeps_its_answer_and_shows_its_new_label(draft, client, owner):
    choices = [
        {**item, "value": "Countryside"} if item["id"] == "c-rural" else item
        for item in AREA["value"]["choices"]
    ]
    draft = publish(
        draft, replaced(FORM, "q-area", {**AREA, "value": {**AREA["value"], "choices": choices}})
    )

    assert rows(draft)["q-area"]["text"] == "Countryside"
    assert export_texts(draft)["q-area"] == "Countryside"
    client.force_login(owner)
    html = client.get(page(draft)).content.decode()
    assert checked(html, "q-area", "c-rural") and "Countryside" in html
    assert "Area" not in completeness(draft).missing


def test_an_answer_that_stored_a_label_finds_the_choice_added_again_with_that_label(structure):
    # Choices written by hand are their own keys; deleted in the admin and added again, the
    # choice gets an item id, and the answer (its label) finds it.
    written = block("q-area", "single_choice", "Area", choices=["Rural", "Urban"])
    call = factories.make_call(form=[written])
    dossier = factories.make_dossier(call=call, structure=structure, answers={"q-area": "Rural"})
    again = [
        {"type": "item", "value": "Urban", "id": "i-1"},
        {"type": "item", "value": "Rural", "id": "i-2"},
    ]
    dossier = publish(dossier, [{**written, "value": {**written["value"], "choices": again}}])

    assert rows(dossier)["q-area"]["text"] == "Rural"
    form = DossierForm(form_definition(dossier), answers=dossier.answers)
    assert form["q-area"].value() == "i-2"
    assert completeness(dossier).missing == []


def test_a_removed_choice_shows_nothing_is_to_fill_in_and_stays_stored(draft, client, owner):
    choices = [item for item in AREA["value"]["choices"] if item["id"] != "c-rural"]
    draft = publish(
        draft, replaced(FORM, "q-area", {**AREA, "value": {**AREA["value"], "choices": choices}})
    )

    assert rows(draft)["q-area"]["text"] == ""
    measured = completeness(draft)
    assert "Area" in measured.missing and "Area" not in measured.to_correct
    client.force_login(owner)
    html = client.get(page(draft)).content.decode()
    assert not checked(html, "q-area", "c-urban") and not checked(html, "q-area", "c-both")

    response = client.post(page(draft), untouched_post(draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.revision == 1
    assert draft.answers == ANSWERS  # nothing the page could not show was erased

    # Choosing another answer replaces it.
    client.post(page(draft), {**untouched_post(draft), "q-area": "c-urban"})
    draft.refresh_from_db()
    assert draft.answers["q-area"] == "c-urban"


def test_a_selection_keeps_its_removed_choice_until_the_person_changes_it(draft, client, owner):
    draft.answers["q-themes"] = ["c-food", "c-gone"]
    draft.save()
    client.force_login(owner)
    assert rows(draft)["q-themes"]["text"] == "Food"
    client.post(page(draft), untouched_post(draft))
    draft.refresh_from_db()
    assert draft.answers["q-themes"] == ["c-food", "c-gone"]
    client.post(page(draft), {**untouched_post(draft), "q-themes": ["c-food", "c-mobility"]})
    draft.refresh_from_db()
    assert draft.answers["q-themes"] == ["c-food", "c-mobility"]


def test_answers_carry_over_when_their_question_changes_kind(draft, client, owner):
    draft = publish(
        draft,
        [
            block("q-area", "multiple_choice", "Area", choices=items("Rural", "Urban", "Both")),
            block("q-themes", "single_choice", "Themes", choices=items("Food", "Mobility")),
            block("q-name", "long_text", "Project name"),
            block("q-budget", "money", "Budget"),
        ],
    )

    shown = rows(draft)
    assert shown["q-area"]["value"] == ["Rural"]
    assert shown["q-themes"]["text"] == "Food"
    assert shown["q-name"]["text"] == "Tiers-lieu"
    assert shown["q-budget"]["text"] == "12\u00a0500,50\u00a0€"
    assert completeness(draft).missing == [] and completeness(draft).to_correct == []
    client.force_login(owner)
    html = client.get(page(draft)).content.decode()
    assert checked(html, "q-area", "c-rural") and checked(html, "q-themes", "c-food")
    assert re.search(r'<textarea[^>]*id="id_q-name"[^>]*>\s*Tiers-lieu</textarea>', html)

    client.post(page(draft), untouched_post(draft))
    draft.refresh_from_db()
    assert draft.answers == ANSWERS  # untouched: stored as they were, read in the new shape


def test_a_selection_of_several_cannot_be_one_choice_and_stays_stored(draft):
    draft.answers["q-themes"] = ["c-food", "c-mobility"]
    draft.save()
    draft = publish(
        draft,
        replaced(
            FORM,
            "q-themes",
            block("q-themes", "single_choice", "Themes", choices=items("Food", "Mobility")),
        ),
    )
    assert rows(draft)["q-themes"]["text"] == ""
    form = DossierForm(form_definition(draft), data={"_present": "q-themes"}, answers=draft.answers)
    form.is_valid()
    assert form.answers()["q-themes"] == ["c-food", "c-mobility"]


def test_a_deleted_questions_answer_stays_stored_after_a_save(draft, client, owner):
    draft = publish(draft, [AREA, THEMES, BUDGET])
    client.force_login(owner)
    client.post(page(draft), {**untouched_post(draft), "q-budget": "99"})
    draft.refresh_from_db()
    assert draft.answers["q-name"] == "Tiers-lieu"
    assert draft.answers["q-budget"] == "99"
    assert "q-name" not in rows(draft)


def test_autosave_keeps_what_the_page_could_not_show(draft, client, owner):
    draft = publish(draft, replaced(FORM, "q-name", block("q-name", "partners", "Project name")))
    client.force_login(owner)
    body = {
        "revision": 0,
        "data": {
            "_present": ["q-area q-themes q-name q-budget"],
            "q-area": ["c-rural"],
            "q-themes": ["c-food"],
            "q-name.name": [""],
            "q-name.kind": [""],
            "q-name.siret": [""],
            "q-name.role": [""],
            "q-budget": ["12500.5"],
        },
    }
    response = client.post(
        reverse("applications:autosave", args=[draft.pk]),
        json.dumps(body),
        content_type="application/json",
    )
    assert response.json()["ok"]
    draft.refresh_from_db()
    assert draft.answers["q-name"] == "Tiers-lieu"
