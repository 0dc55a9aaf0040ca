"""What every question's block has (label, help, required, display condition), and the hard caps
no draft may pass: storing more would break a page or the database, so it is refused at once and
the page keeps what was typed with the reason."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from applications.questions.values import count_characters, format_number

# No programme funds a project over a billion euros; a bound well below the decimal context's 28
# digits keeps every later sum, comparison and quantize exact.
MONEY_CAP = Decimal("1000000000")
MONEY_DECIMALS = 2
NUMBER_CAP = Decimal("1000000000000")
NUMBER_DECIMALS = 6

# Characters a text may hold at most, above the soft limit a call sets (a draft may run over its
# limit while being written; the counter and the submission check say so).
SHORT_TEXT_CAP = 2_000
LONG_TEXT_CAP = 20_000
CHARACTERS_PER_WORD = 15
WORD_LIMITED_FLOOR = 1_000
VALUE_CAP = 300  # a number, a date, a yes/no or one choice, as typed

OPERATOR_CHOICES = [
    ("is", gettext_lazy("is")),
    ("is_one_of", gettext_lazy("is one of")),
    ("is_not", gettext_lazy("is not")),
]


class FieldBlock(blocks.StructBlock):
    """What every question has: a label, help, a required flag and an optional display condition
    (shown only when an earlier choice or yes/no question has one of the answers given)."""

    label = blocks.CharBlock(label=gettext_lazy("Label"), max_length=255)
    help_text = blocks.TextBlock(label=gettext_lazy("Help text"), required=False)
    required = blocks.BooleanBlock(label=gettext_lazy("Required"), required=False, default=True)
    show_if_question = blocks.CharBlock(
        label=gettext_lazy("Show only if the answer to"),
        required=False,
        max_length=64,
        help_text=gettext_lazy(
            "An earlier choice or yes/no question. Leave empty to always show this question."
        ),
    )
    # Not required: it means nothing without a question to test ("is" then).
    show_if_operator = blocks.ChoiceBlock(
        choices=OPERATOR_CHOICES, default="is", required=False, label=gettext_lazy("Comparison")
    )
    show_if_answers = blocks.TextBlock(
        label=gettext_lazy("Answers"),
        required=False,
        help_text=gettext_lazy("The answers that show this question, one per line."),
    )

    class Meta:
        icon = "form"


def text_cap(limit, per_word=False):
    """The most characters a text may hold, whatever its soft `limit` (None: no limit set)."""
    if per_word:
        return max(CHARACTERS_PER_WORD * int(limit), WORD_LIMITED_FLOOR)
    return max(2 * int(limit), int(limit) + 500)


def too_long(count, cap):
    return _(
        "This answer is too long to be saved: %(count)s characters, at most %(cap)s. Shorten it; "
        "what you typed is still here."
    ) % {"count": format_number(count), "cap": format_number(cap)}


def text_refusals(value, cap):
    """[the reason] when the text `value` holds more than `cap` characters, else []."""
    if not isinstance(value, str) or cap is None:
        return []
    count = count_characters(value)
    return [too_long(count, cap)] if count > cap else []


class ListField(forms.Field):
    """A field whose value is a list (multiple choice, partners, files), kept as sent."""

    def to_python(self, value):
        if value in self.empty_values:
            return []
        return list(value) if isinstance(value, (list, tuple)) else [value]

    def has_changed(self, initial, data):
        # Nothing shown and nothing sent is no change: an answer the page could not show is
        # never erased by a save that did not touch it.
        return list(initial or []) != self.to_python(data)
