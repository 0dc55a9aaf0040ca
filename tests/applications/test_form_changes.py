"""Editing the form of a call that drafts already answer, through the real Wagtail edit view: a
change that would set answers aside asks for confirmation, names the drafts it touches, and never
erases an answer; a renamed choice, a compatible kind or a call without drafts goes through."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from applications.domain.dossiers import change_state
from applications.domain.form_changes import dossier_counts, dossiers_by_state
from applications.domain.form_definition import form_definition, questions
from applications.models import Call
from tests import factories
from tests.applications.staff_support import submitted_dossier

pytestmark = pytest.mark.django_db

RURAL = "8a1c6f0e-0d5b-4c3e-9a57-3f0f6b1d2e01"
URBAN = "8a1c6f0e-0d5b-4c3e-9a57-3f0f6b1d2e02"
MIXED = "8a1c6f0e-0d5b-4c3e-9a57-3f0f6b1d2e03"
CONFIRMATION = "Publishing this form would set answers of drafts aside:"


def question(kind, block_id, label, **extra):
    value = {
        "label": label,
        "help_text": "",
        "required": True,
        "show_if_question": "",
        "show_if_operator": "is",
        "show_if_answers": "",
        **extra,
    }
    return {"type": kind, "id": block_id, "value": value}


def choices(*pairs):
    return [{"type": "item", "value": label, "id": key} for key, label in pairs]


def territory(kind="short_text", **extra):
    return question(kind, "q-territory", "Territoire", **extra)


def place(*pairs, kind="single_choice"):
    return question(kind, "q-place", "Lieu", choices=choices(*(pairs or PLACES)))


def budget(kind="short_text", **extra):
    return question(kind, "q-budget", "Budget", **extra)


PLACES = ((RURAL, "Rural"), (URBAN, "Urbain"), (MIXED, "Mixte"))
LIVE = [territory(max_length=None), place(), budget(max_length=None)]
COMPLETE = {"q-territory": "Le Cher", "q-place": RURAL, "q-budget": "12000"}


# --- posting the Wagtail edit form ------------------------------------------------------------


def stream_post(name, blocks):
    """The POST data of a StreamField holding the raw `blocks`, ids included, as the admin's
    script sends it (ListBlock items with their ids, booleans as "on" or absent)."""
    data = {f"{name}-count": str(len(blocks))}
    for index, block in enumerate(blocks):
        prefix = f"{name}-{index}"
        data[f"{prefix}-type"] = block["type"]
        data[f"{prefix}-id"] = block.get("id") or ""
        data[f"{prefix}-deleted"] = ""
        data[f"{prefix}-order"] = str(index)
        data.update(_value_post(f"{prefix}-value", block["value"]))
    return data


def _value_post(prefix, value):
    if isinstance(value, dict):
        data = {}
        for name, child in value.items():
            data.update(_value_post(f"{prefix}-{name}", child))
        return data
    if isinstance(value, list):
        data = {f"{prefix}-count": str(len(value))}
        for index, item in enumerate(value):
            item_prefix = f"{prefix}-{index}"
            data[f"{item_prefix}-id"] = item.get("id") or ""
            data[f"{item_prefix}-deleted"] = ""
            data[f"{item_prefix}-order"] = str(index)
            data.update(_value_post(f"{item_prefix}-value", item["value"]))
        return data
    if value is True:
        return {prefix: "on"}
    if value is False:
        return {}
    return {prefix: "" if value is None else str(value)}


def edit_url(call):
    return reverse("wagtailadmin_pages:edit", args=[call.pk])


def edit_data(client, call, definition, *, confirm=False, publish=True):
    """The call's edit form as the admin page sends it, with `definition` as its form."""
    data = querydict_from_html(
        client.get(edit_url(call)).content.decode(), form_id="page-edit-form"
    )
    for name in list(data):
        if name.startswith(("form-", "timeline-")):
            del data[name]
    stored = Call.objects.get(pk=call.pk)
    for name, value in {
        **stream_post("form", definition),
        **stream_post("timeline", list(stored.timeline.raw_data)),
    }.items():
        data[name] = value
    if publish:
        data["action-publish"] = "action-publish"
    if confirm:
        data["confirm_form_changes"] = "on"
    return data


def publish(client, call, definition, **options):
    return client.post(edit_url(call), edit_data(client, call, definition, **options))


def live_ids(call):
    return [block["id"] for block in Call.objects.get(pk=call.pk).form.raw_data]


def refusal(response):
    """The messages of the refusal, as the form holds them (None when nothing was refused)."""
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].non_field_errors()
    return list(errors) if CONFIRMATION in errors else None


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return factories.StaffFactory(is_superuser=True)


@pytest.fixture
def call(db):
    return factories.make_call(form=LIVE)


def drafts(call, *answers):
    return [factories.make_dossier(call=call, answers=dict(given)) for given in answers]


# --- the changes ----------------------------------------------------------------------------


def test_a_renamed_choice_is_published_at_once_and_keeps_its_answers(client, superuser, call):
    (draft,) = drafts(call, {"q-place": RURAL})
    client.force_login(superuser)
    renamed = [
        territory(max_length=None),
        place((RURAL, "Campagne"), (URBAN, "Ville"), (MIXED, "Mixte")),
        budget(max_length=None),
    ]

    response = publish(client, call, renamed)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {"q-place": RURAL}
    (_, place_question, _) = questions(form_definition(draft))
    assert place_question.kind.display(place_question, draft.answers["q-place"], [])[1] == (
        "Campagne"
    )


def test_deleting_a_question_drafts_answered_asks_first_then_keeps_their_answers(
    client, superuser, call
):
    answered = drafts(call, {"q-territory": "Le Cher"}, {"q-territory": "Loiret"}, COMPLETE)
    drafts(call, {"q-budget": "500"})
    client.force_login(superuser)
    without_territory = [place(), budget(max_length=None)]

    response = publish(client, call, without_territory)

    assert refusal(response) == [
        CONFIRMATION,
        "“Territoire” deleted: 3 drafts answered it.",
        "Check the box at the top of the “Application form” tab to publish anyway, or undo these "
        "changes.",
    ]
    assert live_ids(call) == ["q-territory", "q-place", "q-budget"]
    html = response.content.decode()
    # Said at the top of the page, and in the form tab next to the box to tick.
    assert html.count("“Territoire” deleted: 3 drafts answered it.") >= 2
    assert re.search(r'<input type="checkbox" name="confirm_form_changes"[^>]*>', html)
    assert "kept aside in each dossier, never erased" in html

    response = publish(client, call, without_territory, confirm=True)

    assert response.status_code == 302
    assert live_ids(call) == ["q-place", "q-budget"]
    for dossier in answered:
        dossier.refresh_from_db()
        assert dossier.answers["q-territory"], "the answer is kept aside, never erased"


def test_a_choice_deleted_and_added_again_under_its_label_keeps_its_key(client, superuser, call):
    (draft,) = drafts(call, {"q-place": URBAN})
    client.force_login(superuser)
    # The officer deleted “Urbain” and typed it again: the admin gave the new item a new id.
    retyped = [
        territory(max_length=None),
        place((RURAL, "Rural"), (MIXED, "Mixte"), ("a-new-id-from-the-admin", " urbain ")),
        budget(max_length=None),
    ]

    response = publish(client, call, retyped)

    assert response.status_code == 302, refusal(response)
    stored = Call.objects.get(pk=call.pk).form.raw_data[1]["value"]["choices"]
    assert [choice["id"] for choice in stored] == [RURAL, MIXED, URBAN]
    draft.refresh_from_db()
    (_, place_question, _) = questions(form_definition(draft))
    assert place_question.answer(draft.answers) == URBAN


def test_removing_a_chosen_choice_asks_first(client, superuser, call):
    drafts(call, {"q-place": URBAN}, {"q-place": URBAN}, {"q-place": RURAL})
    client.force_login(superuser)
    without_urban = [
        territory(max_length=None),
        place((RURAL, "Rural"), (MIXED, "Mixte")),
        budget(max_length=None),
    ]

    response = publish(client, call, without_urban)

    assert refusal(response)[1] == (
        "“Lieu”: the choice “Urbain” removed: the answers of 2 drafts cannot be carried."
    )
    assert publish(client, call, without_urban, confirm=True).status_code == 302
    stored = Call.objects.get(pk=call.pk).form.raw_data[1]["value"]["choices"]
    assert [choice["id"] for choice in stored] == [RURAL, MIXED]


def test_a_kind_change_carries_what_it_can_and_asks_for_the_rest(client, superuser, call):
    drafts(
        call,
        {"q-territory": "oui", "q-place": RURAL, "q-budget": "12000"},
        {"q-territory": "Le Cher", "q-budget": "douze mille"},
    )
    client.force_login(superuser)
    carried = [territory(max_length=None), place(kind="multiple_choice"), budget("number")]

    # A single choice read as a multiple choice, text read as a number: nothing to confirm.
    response = publish(client, call, carried)

    assert response.status_code == 302
    assert [block["type"] for block in Call.objects.get(pk=call.pk).form.raw_data] == [
        "short_text",
        "multiple_choice",
        "number",
    ]

    # "oui" reads as a yes, "Le Cher" cannot.
    response = publish(client, call, [territory("yes_no"), *carried[1:]])

    assert refusal(response)[1] == (
        "“Territoire” changed from “Short text” to “Yes / no”: the answer of 1 draft cannot be "
        "carried, the answer of 1 draft is carried."
    )


def test_a_call_without_drafts_never_asks(client, superuser, call):
    submitted_dossier(call, answers=dict(COMPLETE))
    withdrawn = factories.make_dossier(call=call, answers=dict(COMPLETE))
    change_state(withdrawn, "withdraw", superuser)
    client.force_login(superuser)

    response = publish(client, call, [place()])

    assert response.status_code == 302
    assert live_ids(call) == ["q-place"]


def test_submitted_dossiers_are_not_counted_as_touched(client, superuser, call):
    submitted_dossier(call, answers=dict(COMPLETE))
    submitted_dossier(call, answers=dict(COMPLETE))
    drafts(call, {"q-territory": "Le Cher"})
    client.force_login(superuser)

    response = publish(client, call, [place(), budget(max_length=None)])

    assert refusal(response)[1] == "“Territoire” deleted: 1 draft answered it."


def test_saving_a_draft_revision_of_a_live_call_is_never_held_back(client, superuser, call):
    drafts(call, {"q-territory": "Le Cher"})
    client.force_login(superuser)

    response = publish(client, call, [place()], publish=False)

    assert response.status_code == 302
    # The drafts still answer the published form: nothing reached them yet.
    assert live_ids(call) == ["q-territory", "q-place", "q-budget"]


def test_the_check_reads_every_draft_in_a_bounded_number_of_queries(
    client, superuser, call, django_assert_max_num_queries
):
    drafts(call, {"q-territory": "Le Cher"})
    client.force_login(superuser)
    data = edit_data(client, call, [place()])
    with CaptureQueriesContext(connection) as one_draft:
        assert refusal(client.post(edit_url(call), data))

    drafts(call, *({"q-territory": f"Commune {n}"} for n in range(30)))

    with django_assert_max_num_queries(len(one_draft)):
        response = client.post(edit_url(call), data)
    assert refusal(response)[1] == "“Territoire” deleted: 31 drafts answered it."


# --- the counts shown above the form builder --------------------------------------------------


def test_the_form_tab_counts_the_dossiers_by_state(
    client, superuser, call, django_assert_num_queries
):
    drafts(call, {}, {})
    submitted_dossier(call, answers=dict(COMPLETE))
    change_state(factories.make_dossier(call=call), "withdraw", superuser)
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    assert "This call has 4 dossiers: 2 drafts, 1 submitted, 1 withdrawn." in html
    assert "drafts follow your changes as soon as you publish" in html
    with django_assert_num_queries(1):
        assert dossier_counts(call) == {"total": 4, "drafts": 2, "submitted": 1, "withdrawn": 1}
    # Each state with its own row, in the machine's order.
    with django_assert_num_queries(1):
        assert dossiers_by_state(call) == [("Draft", 2), ("Submitted", 1), ("Withdrawn", 1)]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', html)
    assert rows == [("Draft", "2"), ("Submitted", "1"), ("Withdrawn", "1")]


def test_a_call_being_created_shows_no_counts(client, superuser):
    index = factories.call_index()
    client.force_login(superuser)

    html = client.get(
        reverse("wagtailadmin_pages:add", args=("applications", "call", index.pk))
    ).content.decode()

    assert "Application form" in html
    assert "data-dossier-counts" not in html
