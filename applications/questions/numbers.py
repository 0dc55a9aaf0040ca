"""Number questions: a number (bounds, whole numbers only) and an amount in euros (bounds, two
decimals). Stored as a string holding a decimal ("12500.50"), or as typed when it is not one."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import blocks

from accelerator.numbers import decimal_places, read_decimal
from applications.questions.base import QuestionKind, field_options
from applications.questions.common import (
    MONEY_CAP,
    MONEY_DECIMALS,
    NUMBER_CAP,
    NUMBER_DECIMALS,
    VALUE_CAP,
    FieldBlock,
    text_refusals,
)
from applications.questions.profile import profile_field_block
from applications.questions.values import format_euros, format_number, is_blank, parse_decimal


class NumberBlock(FieldBlock):
    min_value = blocks.DecimalBlock(label=gettext_lazy("Minimum"), required=False)
    max_value = blocks.DecimalBlock(label=gettext_lazy("Maximum"), required=False)
    integer_only = blocks.BooleanBlock(label=gettext_lazy("Whole numbers only"), required=False)
    profile_field = profile_field_block("number")

    class Meta:
        icon = "order"
        label = gettext_lazy("Number")


class MoneyBlock(FieldBlock):
    min_value = blocks.DecimalBlock(label=gettext_lazy("Minimum (€)"), required=False)
    max_value = blocks.DecimalBlock(label=gettext_lazy("Maximum (€)"), required=False)
    profile_field = profile_field_block("money")

    class Meta:
        icon = "tag"
        label = gettext_lazy("Amount in euros")


class NumberKind(QuestionKind):
    name = "number"
    block_class = NumberBlock
    money = False
    cap, places = NUMBER_CAP, NUMBER_DECIMALS

    def show(self, value):
        """`value` as people read it in the active language."""
        return format_number(value)

    def not_a_number(self):
        return _("Enter a number.")

    def field(self, question, attrs):
        attrs = {**attrs, "inputmode": "decimal", "data-max-characters": VALUE_CAP}
        for bound in ("min_value", "max_value"):
            value = question.setting(bound)
            if value is not None:
                attrs[f"data-{bound.replace('_', '-')}"] = str(value)
        if self.money:
            attrs["class"] = "input--money"
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **field_options(question))

    def normalise(self, question, typed):
        text = (typed or "").strip() if isinstance(typed, str) else typed
        value = parse_decimal(text)
        if value is None:
            return text or "" if isinstance(text, str) else ""
        if self.money and value.as_tuple().exponent >= -MONEY_DECIMALS:
            # Two decimals, the way amounts in euros are written and compared.
            try:
                value = value.quantize(Decimal("0.01"))
            except InvalidOperation:
                # More digits than the decimal context holds: kept as typed, and refused by
                # `refusals` before it is ever stored.
                return text
        return str(value)

    def refusals(self, question, typed):
        if not isinstance(typed, str):
            return []
        too_long = text_refusals(typed, VALUE_CAP)
        if too_long:
            return too_long
        value = read_decimal(typed.strip())
        if value is None:
            return []  # text that is not a number is kept as typed, and reported at submission
        if not value.is_finite():
            return [self.not_a_number()]
        if abs(value) > self.cap:
            return [self.over_cap()]
        if decimal_places(value) > self.places:
            return [self.too_many_decimals()]
        return []

    def over_cap(self):
        return _("A number may not exceed %(cap)s.") % {"cap": format_number(self.cap)}

    def too_many_decimals(self):
        return ngettext(
            "Enter a number with at most %(count)d decimal.",
            "Enter a number with at most %(count)d decimals.",
            self.places,
        ) % {"count": self.places}

    def problems(self, question, value, file_count=0):
        if is_blank(value):
            return [_("This answer is required.")] if question.required else []
        number = parse_decimal(value)
        if number is None:
            return [self.not_a_number()]
        shape = self.shape_problems(question, number)
        if shape:
            return shape
        problems = []
        low, high = question.setting("min_value"), question.setting("max_value")
        if low is not None and number < low:
            problems.append(_("The smallest accepted value is %(low)s.") % {"low": self.show(low)})
        if high is not None and number > high:
            problems.append(
                _("The largest accepted value is %(high)s.") % {"high": self.show(high)}
            )
        return problems

    def shape_problems(self, question, number):
        if question.value.get("integer_only") and number != number.to_integral():
            return [_("Enter a whole number.")]
        return []

    def display(self, question, value, files):
        if is_blank(value):
            return None, ""
        number = parse_decimal(value)
        if number is None:
            return value, str(value)
        return number, self.french(number)

    def french(self, number):
        with translation.override("fr"):
            return format_number(number)

    def _bound(self, value):
        try:
            return self.show(value)
        except (InvalidOperation, ValueError):
            return str(value)

    def rules(self, question):
        parts = []
        low, high = question.setting("min_value"), question.setting("max_value")
        if low is not None and high is not None:
            parts.append(
                _("Between %(low)s and %(high)s.")
                % {"low": self._bound(low), "high": self._bound(high)}
            )
        elif low is not None:
            parts.append(_("At least %(low)s.") % {"low": self._bound(low)})
        elif high is not None:
            parts.append(_("At most %(high)s.") % {"high": self._bound(high)})
        parts += self.shape_rules(question)
        return " ".join(str(part) for part in parts)

    def shape_rules(self, question):
        return [_("Whole numbers only.")] if question.value.get("integer_only") else []

    def input_text(self, question, stored, language=None):
        """A stored number as a person of `language` (default: the active one) types it:
        "180 000" or "180 000,50" in French, "180000.50" in English (no grouping there, where a
        comma would read back as a decimal point). Anything else is returned as stored."""
        if not isinstance(stored, str):
            return stored
        value = parse_decimal(stored)
        if value is None or self.refusals(question, stored):
            return stored
        if self.money and value == value.to_integral():
            value = value.quantize(Decimal(1))
        text = format(value, "f")
        sign = "-" if text.startswith("-") else ""
        whole, _dot, decimals = text.lstrip("-").partition(".")
        language = (language or translation.get_language() or "").split("-")[0]
        if language != "fr":
            return text
        grouped = f"{int(whole):,}".replace(",", " ")
        return f"{sign}{grouped},{decimals}" if decimals else f"{sign}{grouped}"

    def carry(self, question, stored):
        # An amount reads as a number and a number as an amount; text typed that is not a number
        # stays, as typed, to be corrected.
        if isinstance(stored, bool) or is_blank(stored):
            return None
        if isinstance(stored, (int, Decimal)):
            return self.normalise(question, str(stored))
        return stored if isinstance(stored, str) else None


class MoneyKind(NumberKind):
    name = "money"
    block_class = MoneyBlock
    money = True
    cap, places = MONEY_CAP, MONEY_DECIMALS
    unit = "€"

    def show(self, value):
        return format_euros(value)

    def not_a_number(self):
        return _("Enter an amount in euros, for example 12500 or 12 500,50.")

    def over_cap(self):
        return _("An amount may not exceed %(cap)s.") % {"cap": format_euros(self.cap)}

    def too_many_decimals(self):
        return _("An amount in euros has at most two decimals.")

    def shape_problems(self, question, number):
        # Counted, not quantized: a quantize of more digits than the context holds would raise.
        if decimal_places(number) > MONEY_DECIMALS:
            return [self.too_many_decimals()]
        return []

    def shape_rules(self, question):
        return [_("In euros, with at most two decimals.")]

    def french(self, number):
        return format_euros(number, language="fr")
