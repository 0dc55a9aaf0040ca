"""Numbers and amounts in euros: reading what people type, hard caps, checks, display in French,
the value shown back for editing, rules, and carry-over between the two."""

from decimal import Decimal

import pytest
from django.utils import translation

from tests.applications.questions.helpers import question

PEOPLE = question("number", min_value="1", max_value="1000", integer_only=True)
BUDGET = question("money", min_value="1000", max_value="50000")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("12 500,50", "12500.50"), ("1.250,00 €", "1250.00"), ("7", "7.00"), ("lots", "lots")],
)
def test_an_amount_is_stored_as_a_decimal_string_of_euros(typed, stored):
    assert BUDGET.kind.normalise(BUDGET, typed) == stored


def test_a_number_keeps_the_decimals_it_was_typed_with():
    villages = question("number")
    assert villages.kind.normalise(villages, " 12,5 ") == "12.5"
    assert villages.kind.normalise(villages, "") == ""


def test_the_hard_caps_refuse_what_no_project_needs():
    assert BUDGET.kind.refusals(BUDGET, "2 000 000 000") == [
        "An amount may not exceed 1,000,000,000\u00a0€."
    ]
    assert BUDGET.kind.refusals(BUDGET, "12.345") == [
        "An amount in euros has at most two decimals."
    ]
    assert PEOPLE.kind.refusals(PEOPLE, "NaN") == ["Enter a number."]
    assert PEOPLE.kind.refusals(PEOPLE, "0.0000001") == ["Enter a number with at most 6 decimals."]
    assert PEOPLE.kind.refusals(PEOPLE, "beaucoup") == []


def test_soft_checks_say_what_to_change():
    assert PEOPLE.kind.problems(PEOPLE, "12.5") == ["Enter a whole number."]
    assert PEOPLE.kind.problems(PEOPLE, "0") == ["The smallest accepted value is 1."]
    assert BUDGET.kind.problems(BUDGET, "60000") == ["The largest accepted value is 50,000\u00a0€."]
    assert BUDGET.kind.problems(BUDGET, "a lot") == [
        "Enter an amount in euros, for example 12500 or 12 500,50."
    ]
    assert BUDGET.kind.problems(BUDGET, "12500.00") == []


def test_amounts_read_back_in_french_and_text_typed_stays_as_typed():
    assert BUDGET.kind.display(BUDGET, "1234567.5", []) == (
        Decimal("1234567.5"),
        "1\u00a0234\u00a0567,50\u00a0€",
    )
    assert BUDGET.kind.pdf_paragraphs(BUDGET, "12500.00", []) == ["12\u00a0500\u00a0€"]
    assert PEOPLE.kind.display(PEOPLE, "1200", [])[1] == "1\u00a0200"
    assert BUDGET.kind.display(BUDGET, "a lot", []) == ("a lot", "a lot")


def test_the_rules_are_shown_before_typing():
    assert PEOPLE.kind.rules(PEOPLE) == "Between 1 and 1,000. Whole numbers only."
    assert BUDGET.kind.rules(BUDGET) == (
        "Between 1,000\u00a0€ and 50,000\u00a0€. In euros, with at most two decimals."
    )
    floor = question("number", min_value="3")
    assert floor.kind.rules(floor) == "At least 3."


def test_a_stored_amount_is_shown_back_as_the_person_types_it():
    with translation.override("fr"):
        assert BUDGET.kind.input_text(BUDGET, "180000.00") == "180 000"
        assert BUDGET.kind.input_text(BUDGET, "180000.50") == "180 000,50"
    assert BUDGET.kind.input_text(BUDGET, "180000.50", language="en") == "180000.50"


def test_a_number_carries_into_an_amount_and_back():
    assert BUDGET.kind.carry(BUDGET, "12500.5") == "12500.5"
    assert BUDGET.kind.display(BUDGET, BUDGET.kind.carry(BUDGET, "12500.5"), [])[1] == (
        "12\u00a0500,50\u00a0€"
    )
    assert PEOPLE.kind.carry(PEOPLE, "120.00") == "120.00"
    assert PEOPLE.kind.carry(PEOPLE, 120) == "120"
    assert PEOPLE.kind.carry(PEOPLE, ["120"]) is None
    assert PEOPLE.kind.carry(PEOPLE, True) is None
    # Text typed that is not a number stays, to be corrected.
    assert PEOPLE.kind.carry(PEOPLE, "beaucoup") == "beaucoup"
