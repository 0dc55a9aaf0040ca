"""Choice questions: keys stored, labels shown; a choice renamed, deleted and added again, or
removed; a single choice read as a multiple one and back; conditions on choices."""

import pytest

from applications.questions import Condition, Question
from tests.applications.questions.helpers import items, question

AREA = question("single_choice", choices=items("Rural", "Urban", "Both"))
THEMES = question("multiple_choice", choices=items("Food", "Mobility", "Housing"), max_selected=2)


def test_a_choice_key_is_its_item_id_and_hand_written_choices_are_their_own_keys():
    assert [(c.key, c.label) for c in AREA.choices][:2] == [
        ("c-rural", "Rural"),
        ("c-urban", "Urban"),
    ]
    written = question("single_choice", choices=["Rural", "Urban"])
    assert [c.key for c in written.choices] == ["Rural", "Urban"]
    assert written.choice_label("Urban") == "Urban"


def test_the_fields_offer_keys_with_labels():
    radios = AREA.kind.field(AREA, {}).widget
    assert list(radios.choices) == [("c-rural", "Rural"), ("c-urban", "Urban"), ("c-both", "Both")]
    boxes = THEMES.kind.field(THEMES, {}).widget
    assert boxes.attrs["data-max-selected"] == 2
    assert ("c-food", "Food") in list(boxes.choices)


def test_what_is_typed_is_stored_as_keys_a_label_sent_included():
    assert AREA.kind.normalise(AREA, "c-urban") == "c-urban"
    assert AREA.kind.normalise(AREA, "urban ") == "c-urban"
    assert THEMES.kind.normalise(THEMES, ["c-food", "Housing", "c-food"]) == ["c-food", "c-housing"]


def test_answers_are_checked_against_the_current_choices():
    assert AREA.kind.problems(AREA, "c-moon") == ["Pick one of the proposed answers."]
    assert THEMES.kind.problems(THEMES, ["c-food", "c-moon"]) == [
        "Pick among the proposed answers."
    ]
    assert THEMES.kind.problems(THEMES, ["c-food", "c-mobility", "c-housing"]) == [
        "Pick at most 2 answers."
    ]
    assert THEMES.kind.refusals(THEMES, ["a", "b", "c", "d"]) == [
        "Pick among the proposed answers."
    ]
    assert THEMES.kind.rules(THEMES) == "Pick at most 2 answers."


def test_answers_read_back_with_their_labels_everywhere():
    assert AREA.kind.display(AREA, "c-urban", []) == ("Urban", "Urban")
    assert AREA.kind.export_text(AREA, "c-urban", []) == "Urban"
    assert AREA.kind.pdf_paragraphs(AREA, "c-urban", []) == ["Urban"]
    assert THEMES.kind.display(THEMES, ["c-food", "c-housing"], []) == (
        ["Food", "Housing"],
        "Food, Housing",
    )
    assert THEMES.kind.pdf_paragraphs(THEMES, ["c-food", "c-housing"], []) == ["Food", "Housing"]


def renamed(question_, **labels):
    """`question_` with some choices' labels changed, their ids (keys) kept."""
    choices = [
        {**item, "value": labels.get(item["id"], item["value"])}
        for item in question_.value["choices"]
    ]
    return Question(
        id=question_.id, type=question_.type, value={**question_.value, "choices": choices}
    )


def test_a_renamed_choice_keeps_its_answer_and_shows_its_new_label():
    countryside = renamed(AREA, **{"c-rural": "Countryside"})
    kept = countryside.kind.carry(countryside, "c-rural")
    assert kept == "c-rural"
    assert countryside.kind.display(countryside, kept, [])[1] == "Countryside"


def test_a_choice_deleted_and_added_again_with_its_label_keeps_its_answer():
    again = question("single_choice", choices=[{"type": "item", "value": "Rural", "id": "new-id"}])
    assert again.kind.carry(again, "c-rural") is None
    # An answer that stored the label (former data) finds it, whatever its case and spaces.
    assert again.kind.carry(again, " rural") == "new-id"


def test_an_answer_to_a_removed_choice_cannot_be_read():
    assert AREA.kind.carry(AREA, "c-moon") is None
    assert THEMES.kind.carry(THEMES, ["c-moon"]) is None
    # The choices still offered are kept.
    assert THEMES.kind.carry(THEMES, ["c-moon", "c-food"]) == ["c-food"]


def test_one_choice_carries_into_a_multiple_choice_and_one_item_back():
    assert THEMES.kind.carry(THEMES, "c-food") == ["c-food"]
    assert AREA.kind.carry(AREA, ["c-urban"]) == "c-urban"
    assert AREA.kind.carry(AREA, ["c-urban", "c-rural"]) is None
    assert AREA.kind.carry(AREA, [{"name": "x"}]) is None


@pytest.mark.parametrize(
    ("operator", "answers", "value", "shown"),
    [
        ("is", ("c-food",), ["c-food", "c-housing"], True),
        ("is", ("c-food",), ["c-housing"], False),
        ("is_one_of", ("c-food", "c-mobility"), ["c-mobility"], True),
        ("is_one_of", ("c-food", "c-mobility"), ["c-housing"], False),
        ("is_not", ("c-food",), ["c-housing"], True),
        ("is_not", ("c-food",), ["c-food", "c-housing"], False),
        ("is_not", ("c-food",), None, False),
    ],
)
def test_conditions_on_a_multiple_choice(operator, answers, value, shown):
    condition = Condition(question_id="q", operator=operator, answers=answers)
    assert THEMES.kind.matches(THEMES, value, condition) is shown


def test_conditions_on_a_single_choice():
    condition = Condition(question_id="q", operator="is_one_of", answers=("c-rural", "c-both"))
    assert AREA.kind.matches(AREA, "c-both", condition)
    assert not AREA.kind.matches(AREA, "c-urban", condition)
