"""An indicator's values as people type and read them: "12,5 %", "1 250 €", "3,5 t", "oui", in
the indicator's type and unit, refused with a message that says what is expected."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from accelerator.models import ValueType
from accelerator.numbers import decimal_places, parse_yes_no, read_decimal

# The model keeps 14 digits before the decimal point; nobody reports more than this.
LARGEST = Decimal("1e13")
# How many decimals each type keeps.
PLACES = {
    ValueType.INTEGER: 0,
    ValueType.DECIMAL: 4,
    ValueType.PERCENTAGE: 2,
    ValueType.MONEY: 2,
}
TEXT_MAX = 2000


def _unit_stripped(indicator, text):
    """`text` without the unit a person may type after the number (the indicator's own, "€" for
    money, "%" for a percentage)."""
    endings = [indicator.unit.strip()] if indicator.unit.strip() else []
    if indicator.value_type == ValueType.MONEY:
        endings += ["€", "EUR", "euros", "euro"]
    if indicator.value_type == ValueType.PERCENTAGE:
        endings.append("%")
    for ending in sorted(endings, key=len, reverse=True):
        if text.casefold().endswith(ending.casefold()):
            return text[: -len(ending)].strip()
    return text


def expected(indicator):
    """What a value of `indicator` looks like, for hints and refusals."""
    kind = indicator.value_type
    unit = indicator.unit.strip()
    if kind == ValueType.INTEGER:
        return (
            _("a whole number of %(unit)s, for example 12") % {"unit": unit}
            if unit
            else _("a whole number, for example 12")
        )
    if kind == ValueType.DECIMAL:
        return (
            _("a number of %(unit)s, for example 12,5") % {"unit": unit}
            if unit
            else _("a number, for example 12,5")
        )
    if kind == ValueType.PERCENTAGE:
        return _("a percentage between 0 and 100, for example 12,5 %")
    if kind == ValueType.MONEY:
        return _("an amount in euros, for example 12 500,50 €")
    if kind == ValueType.YES_NO:
        return _("yes or no")
    return _("a short text")


def parse_value(indicator, raw):
    """(number, text) for what a person typed for `indicator`: a Decimal for the numeric types
    (1 or 0 for yes or no), a text for a text indicator; (None, "") when nothing was typed.
    Raises Refused, in the user's language, when the value is not of the indicator's type or
    unit, has too many decimals, or is out of range."""
    text = raw.strip() if isinstance(raw, str) else ("" if raw is None else str(raw))
    if not text:
        return None, ""
    kind = indicator.value_type
    if kind == ValueType.TEXT:
        if len(text) > TEXT_MAX:
            raise Refused(_("Write at most %(count)s characters.") % {"count": TEXT_MAX})
        return None, text
    if kind == ValueType.YES_NO:
        answer = parse_yes_no(text)
        if answer is None:
            raise Refused(_("Answer yes or no."))
        return Decimal(int(answer)), ""
    number = read_decimal(_unit_stripped(indicator, text))
    if number is None or not number.is_finite():
        raise Refused(_("Enter %(expected)s.") % {"expected": expected(indicator)})
    if abs(number) >= LARGEST:
        raise Refused(_("This number is too large."))
    places = PLACES[kind]
    if number != round(number, places):
        if places == 0:
            raise Refused(_("Enter a whole number, without decimals."))
        raise Refused(
            _("Enter at most %(count)s decimals.") % {"count": formats.number_format(places)}
        )
    if kind == ValueType.PERCENTAGE and not (0 <= number <= 100):
        raise Refused(_("A percentage is between 0 and 100."))
    return number.quantize(Decimal(1).scaleb(-places)) if places else Decimal(int(number)), ""


def display_value(indicator, number, text="", language=None):
    """A value as the interface shows it, with its unit: "12,5 %", "12 500 €", "3,5 t", "Oui"."""
    kind = indicator.value_type
    if kind == ValueType.TEXT:
        return text
    if number is None:
        return ""
    if kind == ValueType.YES_NO:
        return _("Yes") if number else _("No")
    number = Decimal(number)
    places = 0 if number == number.to_integral() else min(PLACES[kind], decimal_places(number))
    if kind == ValueType.MONEY and places:
        # Cents are written in full: "12 500,50 €".
        places = 2
    shown = formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    if kind == ValueType.MONEY:
        return f"{shown}\u00a0€"
    if kind == ValueType.PERCENTAGE:
        return f"{shown}\u00a0%"
    unit = indicator.unit.strip()
    return f"{shown}\u00a0{unit}" if unit else shown


def input_value(indicator, number, text=""):
    """A stored value as it is put back in a form field: French decimals, no unit."""
    kind = indicator.value_type
    if kind == ValueType.TEXT:
        return text
    if number is None:
        return ""
    if kind == ValueType.YES_NO:
        return "yes" if number else "no"
    number = Decimal(number)
    places = 0 if number == number.to_integral() else decimal_places(number)
    return formats.number_format(number, decimal_pos=places, use_l10n=True)
