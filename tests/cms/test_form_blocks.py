"""The application form's blocks: a valid form passes, bad display conditions are explained by
the questions' labels, conditions written the former way (by key) are upgraded."""

import json

import pytest
from wagtail.blocks import StreamBlockValidationError

from applications.blocks import ApplicationFormBlock
from applications.questions import KINDS


def question(block_id, kind, label, show_if=None, **extra):
    """A raw block; `show_if` is (question id, operator, "answer lines")."""
    value = {"label": label, "help_text": "", "required": True, **extra}
    if show_if:
        source, operator, answers = show_if
        value.update(show_if_question=source, show_if_operator=operator, show_if_answers=answers)
    return {"type": kind, "value": value, "id": block_id}


def items(*labels):
    """Choices as the Wagtail admin stores them: items with ids."""
    return [{"type": "item", "value": label, "id": f"c-{label.lower()}"} for label in labels]


PLACE = question("q-place", "single_choice", "Lieu", choices=items("Rural", "Urbain"))
HIRING = question("q-hiring", "yes_no", "Recrutez-vous ?")
PUBLICS = question("q-publics", "multiple_choice", "Publics", choices=items("Jeunes", "Seniors"))


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


def test_the_form_offers_one_block_per_kind_with_the_same_names():
    assert list(ApplicationFormBlock().child_blocks) == list(KINDS)
    assert list(KINDS) == [
        "section",
        "short_text",
        "long_text",
        "number",
        "money",
        "date",
        "yes_no",
        "single_choice",
        "multiple_choice",
        "file",
        "partners",
    ]


def test_the_admin_no_longer_offers_keys_or_conditions_by_key():
    short_text = ApplicationFormBlock().child_blocks["short_text"]
    names = list(short_text.child_blocks)
    assert "key" not in names and "show_if_key" not in names and "show_if_value" not in names
    assert names[:6] == [
        "label",
        "help_text",
        "required",
        "show_if_question",
        "show_if_operator",
        "show_if_answers",
    ]


def test_a_form_with_every_kind_of_question_and_conditions_is_valid():
    value = clean(
        {"type": "section", "value": {"heading": "Le projet", "help_text": "Présentez-le."}},
        question("q-name", "short_text", "Nom", max_length=120),
        question("q-desc", "long_text", "Description", limit_unit="words", limit=300),
        question(
            "q-staff", "number", "Salariés", min_value="0", max_value="500", integer_only=True
        ),
        question("q-budget", "money", "Budget", min_value="0", max_value=None),
        question("q-date", "date", "Date de création"),
        HIRING,
        PLACE,
        PUBLICS,
        question("q-statutes", "file", "Statuts", max_files=1, accepted_types=["pdf"]),
        question("q-partners", "partners", "Partenaires", min_rows=1, max_rows=10),
        question("q-why", "long_text", "Pourquoi rural ?", show_if=("q-place", "is", "c-rural")),
        question("q-jobs", "short_text", "Postes", show_if=("q-hiring", "is", "yes")),
        question(
            "q-who",
            "short_text",
            "Lesquels ?",
            show_if=("q-publics", "is_one_of", "c-jeunes\nc-seniors"),
        ),
        question("q-city", "short_text", "Ville", show_if=("q-place", "is_not", "c-rural")),
    )

    assert [child.block_type for child in value][:3] == ["section", "short_text", "long_text"]
    assert len(value) == 15


def test_a_condition_on_a_later_question_says_to_move_it_by_its_label():
    errors = field_errors(
        question("q-why", "long_text", "Pourquoi rural ?", show_if=("q-place", "is", "c-rural")),
        PLACE,
    )

    assert errors == {
        0: {
            "show_if_question": [
                "The question “Lieu” comes after this one. A question can only depend on an "
                "earlier question: move “Lieu” above it."
            ]
        }
    }


def test_a_condition_on_a_question_no_longer_in_the_form_says_so():
    errors = field_errors(
        PLACE, question("q-why", "long_text", "Pourquoi ?", show_if=("q-gone", "is", "c-rural"))
    )

    assert errors == {
        1: {
            "show_if_question": [
                "The question this one depends on is no longer in the form: choose another one, "
                "or remove the condition."
            ]
        }
    }


def test_a_condition_can_only_test_a_choice_or_yes_no_question():
    errors = field_errors(
        question("q-name", "short_text", "Nom"),
        question("q-more", "long_text", "Détails", show_if=("q-name", "is", "x")),
    )

    assert errors[1]["show_if_question"] == [
        "The question “Nom” is not a choice or a yes/no question; a display condition can "
        "only test one of those."
    ]


def test_a_condition_must_use_the_current_choices():
    errors = field_errors(
        PLACE, question("q-why", "long_text", "Pourquoi ?", show_if=("q-place", "is", "Montagne"))
    )

    assert errors[1]["show_if_answers"] == [
        "“Montagne” is not one of the choices of “Lieu”: “Rural”, “Urbain”."
    ]


def test_a_choice_key_not_its_label_is_what_a_condition_names():
    errors = field_errors(
        PLACE, question("q-why", "long_text", "Pourquoi ?", show_if=("q-place", "is", "Rural"))
    )

    assert "show_if_answers" in errors[1]


def test_a_condition_on_a_yes_no_question_needs_yes_or_no():
    errors = field_errors(
        HIRING, question("q-jobs", "short_text", "Postes", show_if=("q-hiring", "is", "peut-être"))
    )

    assert errors[1]["show_if_answers"] == [
        "“peut-être” is not one of the choices of “Recrutez-vous ?”: “Yes”, “No”."
    ]


def test_is_takes_exactly_one_answer():
    errors = field_errors(
        PLACE,
        question(
            "q-why", "long_text", "Pourquoi ?", show_if=("q-place", "is", "c-rural\nc-urbain")
        ),
    )

    assert errors[1]["show_if_answers"] == [
        "“is” takes exactly one answer: choose “is one of” to give several."
    ]


@pytest.mark.parametrize("operator", ["is", "is_one_of", "is_not"])
def test_every_operator_needs_at_least_one_answer(operator):
    errors = field_errors(
        PLACE, question("q-why", "long_text", "Pourquoi ?", show_if=("q-place", operator, ""))
    )

    assert errors[1]["show_if_answers"] == [
        "Choose at least one answer of “Lieu” that shows this question."
    ]


def test_answers_without_a_question_are_refused():
    errors = field_errors(
        PLACE,
        question("q-why", "long_text", "Pourquoi ?", show_if_answers="c-rural"),
    )

    assert errors[1]["show_if_question"] == [
        "Choose the question whose answer shows this one, or remove the answers."
    ]


def test_a_question_cannot_depend_on_itself():
    errors = field_errors(
        question(
            "q-place",
            "single_choice",
            "Lieu",
            choices=items("Rural", "Urbain"),
            show_if=("q-place", "is", "c-rural"),
        ),
    )

    assert errors[0]["show_if_question"] == ["A question cannot depend on itself."]


def test_a_file_question_may_not_take_more_than_the_sites_limit(settings):
    settings.ESSOR_MAX_UPLOAD_MB = 10
    errors = field_errors(question("q-file", "file", "Statuts", max_size_mb=20))

    assert errors[0]["max_size_mb"] == ["Files may weigh at most 10 MB here: choose 10 or less."]


# --- conditions written the former way ---------------------------------------------------------


def legacy(block_id, kind, label, key="", show_if_key="", show_if_value="", **extra):
    value = {
        "label": label,
        "key": key,
        "help_text": "",
        "required": True,
        "show_if_key": show_if_key,
        "show_if_value": show_if_value,
        **extra,
    }
    return {"type": kind, "value": value, "id": block_id}


def test_a_revision_with_legacy_conditions_reads_them_as_todays_and_stays_valid():
    block = ApplicationFormBlock()
    value = block.to_python(
        [
            legacy(
                "q-place", "single_choice", "Lieu", key="place", choices=items("Rural", "Urbain")
            ),
            legacy("q-hiring", "yes_no", "Recrutez-vous ?", key="hiring"),
            legacy("q-why", "long_text", "Pourquoi ?", show_if_key="place", show_if_value="rural"),
            legacy("q-jobs", "short_text", "Postes", show_if_key="hiring", show_if_value="Oui"),
        ]
    )

    why, jobs = value[2].value, value[3].value
    assert (why["show_if_question"], why["show_if_operator"]) == ("q-place", "is")
    assert why["show_if_answers"] == "c-rural"
    assert (jobs["show_if_question"], jobs["show_if_answers"]) == ("q-hiring", "yes")
    # The editor saves today's fields only.
    saved = block.get_prep_value(value)
    assert "show_if_key" not in saved[2]["value"] and "key" not in saved[0]["value"]
    assert block.clean(value) is not None


def test_a_revision_stored_as_json_text_is_upgraded_too():
    value = ApplicationFormBlock().to_python(
        json.dumps(
            [
                legacy("q-hiring", "yes_no", "Recrutez-vous ?", key="hiring"),
                legacy("q-jobs", "short_text", "Postes", show_if_key="hiring", show_if_value="non"),
            ]
        )
    )
    assert value[1].value["show_if_question"] == "q-hiring"
    assert value[1].value["show_if_answers"] == "no"


def test_hand_written_choices_keep_their_label_as_key_in_the_editor():
    # Plain strings (hand-written data) get their label as id, the key answers already store.
    from applications.blocks import ApplicationFormBlock

    raw = [
        {
            "type": "single_choice",
            "id": "q-area",
            "value": {"label": "Area", "required": True, "choices": ["Rural", "Urban"]},
        }
    ]

    value = ApplicationFormBlock().to_python(raw)

    items = value[0].value["choices"].bound_blocks
    assert [(item.id, item.value) for item in items] == [("Rural", "Rural"), ("Urban", "Urban")]
    assert ApplicationFormBlock().get_prep_value(value)[0]["value"]["choices"] == [
        {"type": "item", "value": "Rural", "id": "Rural"},
        {"type": "item", "value": "Urban", "id": "Urban"},
    ]
