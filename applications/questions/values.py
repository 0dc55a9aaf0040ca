"""The small readers and writers every kind of question shares: numbers and amounts as people
type them ("12 500,50"), dates, yes/no words, words and characters counted, blank answers, and
the invisible control characters no answer may hold."""

import datetime
import re
from decimal import Decimal

from django.utils import formats, translation

from accelerator.numbers import read_decimal


def parse_decimal(raw):
    """A finite Decimal from what a person types ("12 500,50", "12500.5"), else None."""
    value = read_decimal(raw)
    return value if value is not None and value.is_finite() else None


def parse_date(raw):
    """The date written "YYYY-MM-DD" or "DD/MM/YYYY", else None."""
    if isinstance(raw, datetime.date):
        return raw
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def is_blank(value):
    """Whether an answer says nothing: None, blank text, an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    return False


def count_words(text):
    return len(text.split())


def count_characters(text):
    # A line break typed in a browser may arrive as \r\n; people count it as one character.
    return len(text.replace("\r\n", "\n"))


# --- writing numbers back ------------------------------------------------------------------


def format_number(value, decimal_pos=None):
    return formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


def format_euros(amount, language=None):
    """An amount in euros in the active (or given) language: "12 500 €", "12 500,50 €"."""
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral() else 2
    with translation.override(language or translation.get_language()):
        return f"{format_number(amount, places)}\u00a0€"


# --- control characters --------------------------------------------------------------------

# Control characters (but tab and line breaks) and lone surrogates: invisible, meaningless in an
# answer, and refused by PostgreSQL (NUL) or by any UTF-8 encoder (surrogates).
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def strip_control_characters(text):
    """`text` without control characters (tab, line feed and carriage return kept)."""
    return _UNWANTED.sub("", text)


def has_control_characters(text):
    return isinstance(text, str) and _UNWANTED.search(text) is not None


def without_control_characters(value):
    """A copy of a JSON-like value (answers) whose strings and keys hold no control character."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, dict):
        return {
            without_control_characters(str(k)): without_control_characters(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [without_control_characters(v) for v in value]
    return value


# A Wagtail item id ("3f2b…-…"): the stored key of a choice, which no text answer carries over.
_ITEM_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_item_id(text):
    return isinstance(text, str) and _ITEM_ID.match(text.strip()) is not None
