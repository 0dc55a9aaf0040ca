"""The application form's blocks: a valid form passes, bad keys and conditions are explained."""

import pytest
from wagtail.blocks import StreamBlockValidationError

from applications.blocks import ApplicationFormBlock


def question(kind, label, key="", show_if_key="", show_if_value="", **extra):
    value = {
        "label": label,
        "key": key,
        "help_text": "",
        "required": True,
        "show_if_key": show_if_key,
        "show_if_value": show_if_value,
        **extra,
    }
    return {"type": kind, "value": value}


PLACE = question("single_choice", "Lieu", key="place", choices=["Rural", "Urbain"])
HIRING = question("yes_no", "Recrutez-vous ?", key="hiring")


def clean(*children):
    block = ApplicationFormBlock()
    return block.clean(block.to_python(list(children)))


def field_errors(*children):
    """{index: {field name: [messages]}} of the form's problems."""
    with pytest.raises(StreamBlockValidationError) as caught:
        clean(*children)
    return {
        index: {name: error.messages for name, error in error.block_errors.items()}
        for index, error in caught.value.block_errors.items()
    }


def test_a_form_with_every_kind_of_question_and_conditions_is_valid():
    value = clean(
        {"type": "section", "value": {"heading": "Le projet", "help_text": "Présentez-le."}},
        question("short_text", "Nom", key="name", max_length=120),
        question("long_text", "Description", limit_unit="words", limit=300),
        question("number", "Salariés", min_value="0", max_value="500", integer_only=True),
        question("money", "Budget", min_value="0", max_value=None),
        question("date", "Date de création"),
        HIRING,
        PLACE,
        question("multiple_choice", "Publics", key="publics", choices=["Jeunes", "Seniors"]),
        question("file", "Statuts", max_files=1),
        question("partners", "Partenaires", min_rows=1, max_rows=10),
        question("long_text", "Pourquoi rural ?", show_if_key="place", show_if_value="rural"),
        question("short_text", "Postes", show_if_key="hiring", show_if_value="yes"),
        question("short_text", "Seniors ?", show_if_key="publics", show_if_value="Seniors"),
    )

    assert [child.block_type for child in value][:3] == ["section", "short_text", "long_text"]
    assert len(value) == 14


def test_a_condition_on_a_later_question_says_to_move_it():
    errors = field_errors(
        question("long_text", "Pourquoi rural ?", show_if_key="place", show_if_value="Rural"),
        PLACE,
    )

    assert errors == {
        0: {
            "show_if_key": [
                "The question “place” comes after this one. A question can only depend on an "
                "earlier question: move “place” above it."
            ]
        }
    }


def test_a_condition_on_an_unknown_key_names_it():
    errors = field_errors(
        PLACE,
        question("long_text", "Pourquoi ?", show_if_key="plcae", show_if_value="Rural"),
    )

    assert errors == {
        1: {
            "show_if_key": [
                "No question has the key “plcae”. Check the spelling, or give this key to the "
                "question it depends on."
            ]
        }
    }


def test_two_questions_with_one_key_are_refused_on_the_second():
    errors = field_errors(
        question("short_text", "Nom", key="name"),
        question("short_text", "Nom du projet", key="name"),
    )

    assert errors == {
        1: {
            "key": ["Another question already uses the key “name”. Give each question its own key."]
        }
    }


def test_a_condition_can_only_test_a_choice_or_yes_no_question():
    errors = field_errors(
        question("short_text", "Nom", key="name"),
        question("long_text", "Détails", show_if_key="name", show_if_value="x"),
    )

    assert errors[1]["show_if_key"] == [
        "The question “name” is not a choice or a yes/no question; a display condition can "
        "only test one of those."
    ]


def test_a_condition_must_use_one_of_the_choices():
    errors = field_errors(
        PLACE,
        question("long_text", "Pourquoi ?", show_if_key="place", show_if_value="Montagne"),
    )

    assert errors[1]["show_if_value"] == [
        "“Montagne” is not one of the choices of “place”: “Rural”, “Urbain”."
    ]


def test_a_condition_on_a_yes_no_question_needs_yes_or_no():
    errors = field_errors(
        HIRING,
        question("short_text", "Postes", show_if_key="hiring", show_if_value="peut-être"),
    )

    assert errors[1]["show_if_value"] == ["For the yes/no question “hiring”, write “yes” or “no”."]


def test_a_question_cannot_depend_on_itself():
    errors = field_errors(
        question(
            "single_choice",
            "Lieu",
            key="place",
            choices=["Rural", "Urbain"],
            show_if_key="place",
            show_if_value="Rural",
        ),
    )

    assert errors[0]["show_if_key"] == ["A question cannot depend on itself."]


def test_a_condition_needs_both_a_key_and_an_answer():
    errors = field_errors(PLACE, question("long_text", "Pourquoi ?", show_if_key="place"))

    assert errors[1]["show_if_value"] == ["A display condition needs both a key and an answer."]
