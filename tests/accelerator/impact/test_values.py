"""An indicator's values as people type them, in French and English forms, for every type of
value: what `parse_value` reads, what it refuses (in the user's words), and how a value is put
back in a form and shown."""

from decimal import Decimal

import pytest
from django.utils import translation

from accelerator.domain.impact_values import display_value, input_value, parse_value
from accelerator.domain.refusals import Refused
from accelerator.models import Indicator, ValueType


def indicator(value_type, unit=""):
    # Unsaved: reading a value needs only the type and the unit.
    return Indicator(code=f"test-{value_type}", name="Test", value_type=value_type, unit=unit)


NBSP, NARROW_NBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("value_type", "unit", "typed", "number"),
    [
        # Whole numbers.
        (ValueType.INTEGER, "personnes", "12", Decimal(12)),
        (ValueType.INTEGER, "personnes", "1 250", Decimal(1250)),
        (ValueType.INTEGER, "personnes", f"1{NARROW_NBSP}250 personnes", Decimal(1250)),
        (ValueType.INTEGER, "personnes", "1,250", None),  # French: 1.25, not whole (below)
        (ValueType.INTEGER, "personnes", "12,0", Decimal(12)),
        # Decimals, French and English, with the indicator's unit.
        (ValueType.DECIMAL, "t", "12,5", Decimal("12.5")),
        (ValueType.DECIMAL, "t", "12.5", Decimal("12.5")),
        (ValueType.DECIMAL, "t", "3,5 t", Decimal("3.5")),
        (ValueType.DECIMAL, "ETP", "1 250,25 ETP", Decimal("1250.25")),
        (ValueType.DECIMAL, "t", "-2,5", Decimal("-2.5")),
        # Percentages.
        (ValueType.PERCENTAGE, "%", "45 %", Decimal("45.00")),
        (ValueType.PERCENTAGE, "%", f"45{NBSP}%", Decimal("45.00")),
        (ValueType.PERCENTAGE, "%", "12,5 %", Decimal("12.50")),
        (ValueType.PERCENTAGE, "%", "12.5%", Decimal("12.50")),
        (ValueType.PERCENTAGE, "%", "100", Decimal("100.00")),
        # Money in euros.
        (ValueType.MONEY, "€", "1 250,50 €", Decimal("1250.50")),
        (ValueType.MONEY, "€", f"1{NBSP}250,50{NBSP}€", Decimal("1250.50")),
        (ValueType.MONEY, "€", "1.250,50 €", Decimal("1250.50")),
        (ValueType.MONEY, "€", "1,250.50", Decimal("1250.50")),
        (ValueType.MONEY, "€", "12500 EUR", Decimal("12500.00")),
        (ValueType.MONEY, "€", "300 euros", Decimal("300.00")),
        # Yes or no, in both languages: a yes is 1.
        (ValueType.YES_NO, "", "oui", Decimal(1)),
        (ValueType.YES_NO, "", "Yes", Decimal(1)),
        (ValueType.YES_NO, "", "non", Decimal(0)),
        (ValueType.YES_NO, "", "NO", Decimal(0)),
    ],
)
def test_a_value_typed_the_french_or_the_english_way_is_read(value_type, unit, typed, number):
    kind = indicator(value_type, unit)
    if number is None:
        with pytest.raises(Refused):
            parse_value(kind, typed)
        return
    parsed, text = parse_value(kind, typed)
    assert parsed == number
    assert text == ""


@pytest.mark.parametrize(
    ("value_type", "unit", "typed", "message"),
    [
        (ValueType.MONEY, "€", "12,5 t", "Enter an amount in euros, for example 12 500,50 €."),
        (ValueType.MONEY, "€", "beaucoup", "Enter an amount in euros, for example 12 500,50 €."),
        (ValueType.MONEY, "€", "12,345 €", "Enter at most 2 decimals."),
        (ValueType.INTEGER, "personnes", "12,5", "Enter a whole number, without decimals."),
        (
            ValueType.INTEGER,
            "personnes",
            "12 kg",
            "Enter a whole number of personnes, for example 12.",
        ),
        (ValueType.DECIMAL, "t", "3,5 kg", "Enter a number of t, for example 12,5."),
        (ValueType.DECIMAL, "t", "1,23456", "Enter at most 4 decimals."),
        (ValueType.DECIMAL, "t", "1e20", "This number is too large."),
        (ValueType.DECIMAL, "t", "NaN", "Enter a number of t, for example 12,5."),
        (ValueType.PERCENTAGE, "%", "120 %", "A percentage is between 0 and 100."),
        (ValueType.PERCENTAGE, "%", "-1 %", "A percentage is between 0 and 100."),
        (ValueType.PERCENTAGE, "%", "12,345 %", "Enter at most 2 decimals."),
        (ValueType.YES_NO, "", "peut-être", "Answer yes or no."),
        (ValueType.TEXT, "", "x" * 2001, "Write at most 2000 characters."),
    ],
)
def test_a_value_outside_the_type_or_the_unit_is_refused_in_plain_words(
    value_type, unit, typed, message
):
    with pytest.raises(Refused) as refused:
        parse_value(indicator(value_type, unit), typed)
    assert refused.value.messages == [message]


def test_nothing_typed_is_no_value_and_a_text_keeps_its_words():
    assert parse_value(indicator(ValueType.MONEY, "€"), "   ") == (None, "")
    assert parse_value(indicator(ValueType.YES_NO), None) == (None, "")
    assert parse_value(indicator(ValueType.TEXT), "  Trois ateliers  ") == (None, "Trois ateliers")


def test_a_stored_value_goes_back_into_the_form_in_french_and_reads_the_same():
    money = indicator(ValueType.MONEY, "€")
    with translation.override("fr"):
        typed = input_value(money, Decimal("1250.50"))
        assert typed in ("1250,5", "1250,50")
        assert parse_value(money, typed) == (Decimal("1250.50"), "")
        assert display_value(money, Decimal("1250.50")) == "1\u00a0250,50\u00a0€"
        assert display_value(indicator(ValueType.PERCENTAGE, "%"), Decimal("45")) == "45\u00a0%"
        assert display_value(indicator(ValueType.YES_NO), Decimal(1)) == "Oui"
    assert input_value(indicator(ValueType.YES_NO), Decimal(0)) == "no"
    with translation.override("en"):
        assert display_value(money, Decimal("1250.50")) == "1,250.50\u00a0€"
