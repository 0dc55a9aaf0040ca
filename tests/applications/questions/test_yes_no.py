"""Yes/no questions: the words read, the display, carry-over and the display conditions."""

import pytest

from applications.questions import Condition
from tests.applications.questions.helpers import question

FUNDED = question("yes_no")


def test_yes_and_no_are_read_in_english_and_french():
    assert FUNDED.kind.normalise(FUNDED, "oui") == "yes"
    assert FUNDED.kind.normalise(FUNDED, "Non") == "no"
    assert FUNDED.kind.normalise(FUNDED, "peut-être") == ""
    assert [value for value, _label in FUNDED.kind.field(FUNDED, {}).widget.choices] == [
        "yes",
        "no",
    ]


def test_yes_no_reads_back_as_words():
    assert FUNDED.kind.display(FUNDED, "yes", []) == (True, "Yes")
    assert FUNDED.kind.display(FUNDED, None, []) == (None, "")
    assert FUNDED.kind.problems(FUNDED, "peut-être") == ["Answer yes or no."]


def test_a_yes_no_answer_carries_over_yes_words_only():
    assert FUNDED.kind.carry(FUNDED, "Oui") == "yes"
    assert FUNDED.kind.carry(FUNDED, "une phrase") is None
    assert FUNDED.kind.carry(FUNDED, ["yes", "no"]) is None


@pytest.mark.parametrize(
    ("operator", "answers", "value", "shown"),
    [
        ("is", ("yes",), "yes", True),
        ("is", ("yes",), "no", False),
        ("is_one_of", ("yes", "no"), "no", True),
        ("is_not", ("yes",), "no", True),
        ("is_not", ("yes",), "yes", False),
        ("is_not", ("yes",), None, False),  # not answered yet: nothing depends on it
    ],
)
def test_conditions_on_a_yes_no_question(operator, answers, value, shown):
    condition = Condition(question_id="q", operator=operator, answers=answers)
    assert FUNDED.kind.matches(FUNDED, value, condition) is shown
