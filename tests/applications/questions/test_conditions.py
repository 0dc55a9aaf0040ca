"""Display conditions: today's (a question's id, an operator, answers by key), the former ones
by key upgraded wherever a form is read, and which questions apply given the answers."""

import json

import pytest

from applications.domain.form_definition import conditions, questions, visible_ids
from applications.forms.dossier import DossierForm
from applications.questions import Condition
from applications.questions.conditions import upgrade_conditions
from tests.applications.questions.helpers import items


def block(block_id, kind, label, show_if=None, **value):
    value = {"label": label, "required": True, **value}
    if show_if:
        source, operator, answers = show_if
        value.update(
            show_if_question=source, show_if_operator=operator, show_if_answers="\n".join(answers)
        )
    return {"type": kind, "id": block_id, "value": value}


def legacy(block_id, kind, label, key="", show_if_key="", show_if_value="", **value):
    return {
        "type": kind,
        "id": block_id,
        "value": {
            "label": label,
            "key": key,
            "show_if_key": show_if_key,
            "show_if_value": show_if_value,
            **value,
        },
    }


LEGACY_FORM = [
    legacy("q-place", "single_choice", "Lieu", key="place", choices=items("Rural", "Urbain")),
    legacy("q-hiring", "yes_no", "Recrutez-vous ?", key="hiring"),
    legacy("q-why", "long_text", "Pourquoi ?", show_if_key="place", show_if_value=" rural "),
    legacy("q-jobs", "short_text", "Postes", show_if_key="hiring", show_if_value="Oui"),
]


def test_a_legacy_condition_is_upgraded_to_the_questions_id_and_the_answers_key():
    upgraded = upgrade_conditions(LEGACY_FORM)
    why, jobs = upgraded[2]["value"], upgraded[3]["value"]
    assert (why["show_if_question"], why["show_if_operator"], why["show_if_answers"]) == (
        "q-place",
        "is",
        "c-rural",
    )
    assert (jobs["show_if_question"], jobs["show_if_answers"]) == ("q-hiring", "yes")
    for upgraded_block in upgraded:
        assert not {"key", "show_if_key", "show_if_value"} & set(upgraded_block["value"])
    # Pure: the form given is left as it was.
    assert LEGACY_FORM[2]["value"]["show_if_key"] == "place"


def test_a_legacy_condition_on_a_block_without_id_gives_it_one():
    upgraded = upgrade_conditions(
        [
            {"type": "yes_no", "value": {"label": "A", "key": "a"}},
            {
                "type": "short_text",
                "value": {"label": "B", "show_if_key": "a", "show_if_value": "no"},
            },
        ]
    )
    assert upgraded[0]["id"] == "key-a"
    assert upgraded[1]["value"]["show_if_question"] == "key-a"
    assert upgraded[1]["value"]["show_if_answers"] == "no"


def test_a_legacy_condition_on_an_unknown_key_hides_its_question():
    definition = [
        legacy("q-place", "single_choice", "Lieu", choices=["Rural"]),
        legacy("q-why", "long_text", "Pourquoi ?", show_if_key="plcae", show_if_value="Rural"),
    ]
    assert questions(definition)[1].condition == Condition("plcae", "is", ("Rural",))
    assert visible_ids(definition, {"q-place": "Rural"}) == {"q-place"}


def test_a_form_without_legacy_fields_is_read_as_it_is():
    form = [block("q-a", "yes_no", "A")]
    assert upgrade_conditions(form) == form


def test_a_snapshot_with_legacy_conditions_still_shows_and_hides_its_questions():
    answers = {"q-place": "c-rural", "q-hiring": "no"}
    assert visible_ids(LEGACY_FORM, answers) == {"q-place", "q-hiring", "q-why"}
    answers = {"q-place": "c-urbain", "q-hiring": "yes"}
    assert visible_ids(LEGACY_FORM, answers) == {"q-place", "q-hiring", "q-jobs"}


PLACE = block("q-place", "single_choice", "Lieu", choices=items("Rural", "Urbain", "Mer"))


@pytest.mark.parametrize(
    ("operator", "answers", "shown_for"),
    [
        ("is", ["c-rural"], {"c-rural"}),
        ("is_one_of", ["c-rural", "c-mer"], {"c-rural", "c-mer"}),
        ("is_not", ["c-rural"], {"c-urbain", "c-mer"}),
    ],
)
def test_each_operator_shows_the_question_for_its_answers(operator, answers, shown_for):
    definition = [
        PLACE,
        block("q-why", "long_text", "Pourquoi ?", show_if=("q-place", operator, answers)),
    ]
    for key in ("c-rural", "c-urbain", "c-mer"):
        shown = "q-why" in visible_ids(definition, {"q-place": key})
        assert shown is (key in shown_for), (operator, key)
    assert "q-why" not in visible_ids(definition, {})  # nothing is shown on an answer not given


def test_a_chain_of_conditions_hides_what_depends_on_a_hidden_question():
    definition = [
        block("a", "yes_no", "A"),
        block("b", "multiple_choice", "B", choices=items("X", "Y"), show_if=("a", "is", ["yes"])),
        block("c", "short_text", "C", show_if=("b", "is", ["c-x"])),
    ]
    assert visible_ids(definition, {"a": "yes", "b": ["c-x"]}) == {"a", "b", "c"}
    assert visible_ids(definition, {"a": "no", "b": ["c-x"]}) == {"a"}


def test_a_condition_on_an_answer_that_cannot_be_read_any_more_hides_the_question():
    definition = [
        PLACE,
        block("q-why", "long_text", "Pourquoi ?", show_if=("q-place", "is_not", ["c-mer"])),
    ]
    assert visible_ids(definition, {"q-place": "c-removed"}) == {"q-place"}


def test_only_conditions_on_an_earlier_choice_or_yes_no_question_are_tested():
    definition = [
        block("q-name", "short_text", "Nom"),
        block("q-later", "long_text", "Plus tard", show_if=("q-place", "is", ["c-rural"])),
        PLACE,
        block("q-why", "long_text", "Pourquoi ?", show_if=("q-place", "is", ["c-rural"])),
        block("q-odd", "long_text", "Bizarre", show_if=("q-name", "is", ["x"])),
    ]
    assert set(conditions(definition)) == {"q-why"}
    assert visible_ids(definition, {"q-place": "c-rural", "q-name": "x"}) == {
        "q-name",
        "q-place",
        "q-why",
    }


def test_the_page_tells_its_script_each_condition():
    definition = [
        PLACE,
        block(
            "q-why",
            "long_text",
            "Pourquoi ?",
            show_if=("q-place", "is_one_of", ["c-rural", "c-mer"]),
        ),
    ]
    item = [i for i in DossierForm(definition).items() if i["kind"] == "question"][1]
    assert item["condition"] == Condition("q-place", "is_one_of", ("c-rural", "c-mer"))
    assert json.loads(item["show_if_answers"]) == ["c-rural", "c-mer"]
    assert item["visible"] is False
