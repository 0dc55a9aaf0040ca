from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from applications.domain.answer_display import display_rows
from applications.domain.completeness import completeness, missing_answers
from applications.domain.dossiers import change_state
from applications.domain.form_definition import form_definition, visible_ids
from applications.models import Attachment
from applications.questions import Question
from applications.questions.values import format_euros
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_call():
    return factories.make_call(form=FULL_FORM)


@pytest.fixture
def full_dossier(full_call, structure, owner):
    return factories.make_dossier(
        call=full_call, structure=structure, answers=dict(COMPLETE_ANSWERS), created_by=owner
    )


def attach(dossier, field_id="q-files", name="budget.pdf"):
    return Attachment.objects.create(
        dossier=dossier,
        field_id=field_id,
        file=ContentFile(b"%PDF-1.4 test", name=name),
        original_name=name,
        content_type="application/pdf",
        size=13,
    )


def test_form_definition_is_the_live_form_until_submission_then_the_snapshot(full_dossier, owner):
    assert [b["id"] for b in form_definition(full_dossier)][:2] == ["s-1", "q-name"]
    attach(full_dossier)
    change_state(full_dossier, "submit", owner)
    call = full_dossier.call
    call.form = [FULL_FORM[0]]
    call.save_revision().publish()
    full_dossier.refresh_from_db()
    definition = form_definition(full_dossier)
    assert len(definition) == len(FULL_FORM)
    assert definition[1]["value"]["label"] == "Project name"


def test_display_rows_renders_every_kind_in_form_order(full_dossier):
    full_dossier.answers.update(
        {
            "q-budget": "1234567.5",
            "q-themes": ["Food", "Housing"],
            "q-funded": "yes",
            "q-funder": "Fondation X",
        }
    )
    full_dossier.save()
    attach(full_dossier, name="devis.pdf")
    attach(full_dossier, name="plan.pdf")
    rows = {row["id"]: row for row in display_rows(full_dossier)}
    assert [r["id"] for r in display_rows(full_dossier)][:3] == ["s-1", "q-name", "q-desc"]
    assert rows["s-1"]["type"] == "section" and rows["s-1"]["label"] == "The project"
    assert rows["q-budget"]["value"] == Decimal("1234567.50")
    assert rows["q-budget"]["text"] == "1\u00a0234\u00a0567,50\u00a0€"
    assert rows["q-start"]["text"] == "01/09/2026"
    assert rows["q-funded"]["value"] is True and rows["q-funded"]["text"] == "Yes"
    assert rows["q-funder"]["visible"] is True
    assert rows["q-villages"]["visible"] is False  # area is Urban
    assert rows["q-themes"]["text"] == "Food, Housing"
    assert rows["q-files"]["text"] == "devis.pdf, plan.pdf"
    assert [a.original_name for a in rows["q-files"]["value"]] == ["devis.pdf", "plan.pdf"]
    assert rows["q-partners"]["text"] == "Mairie (Public body, Premises)"
    assert rows["q-people"]["value"] == Decimal("120")
    assert set(rows["q-name"]) == {
        "id",
        "type",
        "layout",
        "label",
        "text",
        "value",
        "visible",
        "pdf",
    }
    # How each kind shows its answer: files as links, partners as a table, the rest as text.
    assert [rows[i]["layout"] for i in ("q-name", "q-files", "q-partners")] == [
        "text",
        "files",
        "table",
    ]
    assert rows["q-themes"]["pdf"] == ["Food", "Housing"]
    assert rows["q-files"]["pdf"] == ["devis.pdf", "plan.pdf"]
    assert rows["q-budget"]["pdf"] == ["1\u00a0234\u00a0567,50\u00a0€"]


def test_display_rows_with_prefetched_attachments_runs_no_query(
    full_dossier, django_assert_num_queries
):
    attach(full_dossier)
    attachments = list(full_dossier.attachments.all())
    full_dossier.form_snapshot = FULL_FORM  # as after submission: no need to read the call
    with django_assert_num_queries(0):
        rows = display_rows(full_dossier, attachments)
    assert rows[-2]["text"] == "budget.pdf"


def test_display_rows_keeps_invalid_draft_values_as_typed(full_dossier):
    full_dossier.answers.update({"q-budget": "a lot", "q-start": "next spring"})
    rows = {row["id"]: row for row in display_rows(full_dossier)}
    assert rows["q-budget"]["text"] == "a lot"
    assert rows["q-start"]["text"] == "next spring"


def test_complete_answers_have_no_problem_once_the_file_is_attached(full_dossier):
    assert missing_answers(full_dossier) == {"q-files": ["Please attach a file."]}
    attach(full_dossier)
    assert missing_answers(full_dossier) == {}


def test_missing_answers_names_each_problem_in_place(full_dossier):
    full_dossier.answers = {
        "q-name": "x" * 41,
        "q-desc": "one two three four five six seven eight nine ten eleven",
        "q-pitch": "a" * 21,
        "q-people": "12.5",
        "q-budget": "999",
        "q-start": "tomorrow",
        "q-funded": "yes",
        "q-area": "Rural",
        "q-themes": ["Food", "Mobility", "Housing"],
        "q-partners": [{"name": "", "kind": "spaceship", "siret": "12345678901234", "role": ""}],
    }
    found = missing_answers(full_dossier)
    assert found["q-name"] == ["Please keep this answer under 40 characters (it has 41)."]
    assert found["q-desc"] == ["Please keep this answer under 10 words (it has 11)."]
    assert found["q-pitch"] == ["Please keep this answer under 20 characters (it has 21)."]
    assert found["q-people"] == ["Enter a whole number."]
    assert found["q-budget"] == ["The smallest accepted value is 1,000\u00a0€."]
    assert found["q-start"] == ["Enter a date, for example 31/12/2026."]
    assert found["q-funder"] == ["This answer is required."]  # shown because funded is yes
    assert found["q-villages"] == ["This answer is required."]  # shown because area is Rural
    assert found["q-themes"] == ["Pick at most 2 answers."]
    assert "Partner 1: the name is missing." in found["q-partners"]
    assert "Partner 1: unknown kind of actor." in found["q-partners"]
    assert any("check digit" in m for m in found["q-partners"])


def test_hidden_questions_are_neither_required_nor_checked(full_dossier):
    attach(full_dossier)
    # q-funder would be too long for nothing (no max) and is hidden: funded is "no".
    full_dossier.answers.update({"q-funder": "", "q-villages": "not a number"})
    assert missing_answers(full_dossier) == {}


def test_a_condition_chain_hides_what_depends_on_a_hidden_question():
    definition = [
        {"type": "yes_no", "id": "a", "value": {"label": "A", "required": True}},
        {
            "type": "single_choice",
            "id": "b",
            "value": {
                "label": "B",
                "required": True,
                "choices": ["x", "y"],
                "show_if_question": "a",
                "show_if_answers": "yes",
            },
        },
        {
            "type": "short_text",
            "id": "c",
            "value": {
                "label": "C",
                "required": True,
                "show_if_question": "b",
                "show_if_answers": "x",
            },
        },
    ]
    assert visible_ids(definition, {"a": "yes", "b": "x"}) == {"a", "b", "c"}
    assert visible_ids(definition, {"a": "no", "b": "x"}) == {"a"}


def test_completeness_counts_required_questions_that_apply(full_dossier):
    full_dossier.answers = {"q-name": "Tiers-lieu", "q-funded": "yes"}
    measured = completeness(full_dossier)
    # name, desc, people, budget, start, funded, funder (shown), area, themes, files, partners
    assert measured.required == 11
    assert measured.answered == 2
    assert "Which funder?" in measured.missing and "Project name" not in measured.missing
    assert measured.percent == 18
    assert not measured.is_complete


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 500,50", "12500.50"),
        ("1.250,00 €", "1250.00"),
        ("1,250.5", "1250.50"),
        ("7", "7.00"),
        ("lots", "lots"),
        ("", ""),
    ],
)
def test_money_is_stored_as_a_decimal_string_of_euros(typed, expected):
    question = Question(id="m", type="money", value={})
    assert question.kind.normalise(question, typed) == expected


def test_format_euros_follows_the_language():
    assert format_euros(Decimal("12500"), language="fr") == "12\u00a0500\u00a0€"
    assert format_euros(Decimal("12500.5"), language="en") == "12,500.50\u00a0€"
