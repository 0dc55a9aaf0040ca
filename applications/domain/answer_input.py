"""The border between what a person types into a dossier and what is stored: hard caps that no
draft may pass, invisible control characters, and numbers shown back for editing.

A draft keeps incomplete or invalid answers (`completeness.problems` reports them at submission),
but some input is refused at once, because storing it would break a page or the database: amounts
and numbers beyond any real project, texts far over their limit, a dossier of several megabytes.
A refused answer is not stored; the page keeps it in its field with the reason next to it.
"""

import json
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.domain import answers as domain

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
PARTNER_ROWS_CAP = 100
PARTNER_CELL_CAP = 500
# The whole dossier's answers, in characters of JSON: well under DATA_UPLOAD_MAX_MEMORY_SIZE.
DOSSIER_CHARACTER_CAP = 500_000

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


# --- caps ----------------------------------------------------------------------------------


def character_cap(question):
    """The most characters one answer to `question` may hold, whatever its soft limit."""
    kind = question.type
    if kind == "short_text":
        limit = question.setting("max_length")
        return SHORT_TEXT_CAP if limit is None else max(2 * int(limit), int(limit) + 500)
    if kind == "long_text":
        limit = question.setting("limit")
        if limit is None:
            return LONG_TEXT_CAP
        if question.value.get("limit_unit") == "characters":
            return max(2 * int(limit), int(limit) + 500)
        return max(CHARACTERS_PER_WORD * int(limit), WORD_LIMITED_FLOOR)
    if kind in ("number", "money", "date", "yes_no", "single_choice", "multiple_choice"):
        return VALUE_CAP
    if kind == "partners":
        return PARTNER_CELL_CAP
    return None


def _too_long(count, cap):
    return _(
        "This answer is too long to be saved: %(count)s characters, at most %(cap)s. Shorten it; "
        "what you typed is still here."
    ) % {"count": domain.format_number(count), "cap": domain.format_number(cap)}


def _number_refusals(question, text):
    money = question.type == "money"
    value = domain.read_decimal(text)
    if value is None:
        return []  # text that is not a number is kept as typed, and reported at submission
    if not value.is_finite():
        return [
            _("Enter an amount in euros, for example 12500 or 12 500,50.")
            if money
            else _("Enter a number.")
        ]
    cap, places = (MONEY_CAP, MONEY_DECIMALS) if money else (NUMBER_CAP, NUMBER_DECIMALS)
    if abs(value) > cap:
        if money:
            return [_("An amount may not exceed %(cap)s.") % {"cap": domain.format_euros(cap)}]
        return [_("A number may not exceed %(cap)s.") % {"cap": domain.format_number(cap)}]
    if domain.decimal_places(value) > places:
        if money:
            return [_("An amount in euros has at most two decimals.")]
        return [
            ngettext(
                "Enter a number with at most %(count)d decimal.",
                "Enter a number with at most %(count)d decimals.",
                places,
            )
            % {"count": places}
        ]
    return []


def refusals(question, value):
    """Why `value` (what was typed for `question`, before normalising) may not be stored at all;
    empty when it may. Soft rules (limits, bounds, required) are `answers.answer_problems`'."""
    kind = question.type
    cap = character_cap(question)
    if kind == "partners":
        rows = value if isinstance(value, list) else []
        if len(rows) > PARTNER_ROWS_CAP:
            return [_("At most %(count)d partners can be saved.") % {"count": PARTNER_ROWS_CAP}]
        longest = max(
            (len(str(cell)) for row in rows if isinstance(row, dict) for cell in row.values()),
            default=0,
        )
        return [_too_long(longest, cap)] if longest > cap else []
    if kind == "multiple_choice":
        items = value if isinstance(value, list) else [value]
        if len(items) > max(len(question.choices), 1):
            return [_("Pick among the proposed answers.")]
        longest = max((len(str(item)) for item in items), default=0)
        return [_too_long(longest, cap)] if longest > cap else []
    if not isinstance(value, str) or cap is None:
        return []
    count = domain.count_characters(value)
    if count > cap:
        return [_too_long(count, cap)]
    if kind in ("number", "money"):
        return _number_refusals(question, value.strip())
    return []


def dossier_size(answers):
    """The size of a dossier's answers, in characters of JSON."""
    return len(json.dumps(answers, ensure_ascii=False, default=str))


def too_large_message(size):
    return _(
        "Not saved: your answers together are too long (%(size)s characters, at most %(cap)s). "
        "Shorten the longest ones; what you typed is still here."
    ) % {
        "size": domain.format_number(size),
        "cap": domain.format_number(DOSSIER_CHARACTER_CAP),
    }


# --- numbers shown back for editing --------------------------------------------------------


def _plain(value):
    return format(value, "f")


def input_text(question, stored, language=None):
    """A stored number or amount as a person of `language` (default: the active one) types it:
    "180 000" or "180 000,50" in French, "180000.50" in English (no grouping there, where a comma
    would read back as a decimal point). Anything else is returned as stored."""
    if question.type not in ("number", "money") or not isinstance(stored, str):
        return stored
    value = domain.parse_decimal(stored)
    if value is None or refusals(question, stored):
        return stored
    if question.type == "money" and value == value.to_integral():
        value = value.quantize(Decimal(1))
    text = _plain(value)
    sign = "-" if text.startswith("-") else ""
    whole, _dot, decimals = text.lstrip("-").partition(".")
    language = (language or translation.get_language() or "").split("-")[0]
    if language != "fr":
        return text
    grouped = f"{int(whole):,}".replace(",", " ")
    return f"{sign}{grouped},{decimals}" if decimals else f"{sign}{grouped}"


# --- the rules shown next to each field ----------------------------------------------------


def _bound(question, value):
    try:
        if question.type == "money":
            return domain.format_euros(value)
        return domain.format_number(value)
    except (InvalidOperation, ValueError):
        return str(value)


def rules_text(question):
    """The rules of `question` a person should know before typing, in one short sentence, or "".
    Text limits are left out: the counter under a limited text shows them as the person types."""
    kind = question.type
    parts = []
    if kind in ("number", "money"):
        low, high = question.setting("min_value"), question.setting("max_value")
        if low is not None and high is not None:
            parts.append(
                _("Between %(low)s and %(high)s.")
                % {"low": _bound(question, low), "high": _bound(question, high)}
            )
        elif low is not None:
            parts.append(_("At least %(low)s.") % {"low": _bound(question, low)})
        elif high is not None:
            parts.append(_("At most %(high)s.") % {"high": _bound(question, high)})
        if kind == "number" and question.value.get("integer_only"):
            parts.append(_("Whole numbers only."))
        if kind == "money":
            parts.append(_("In euros, with at most two decimals."))
    elif kind == "multiple_choice":
        limit = question.setting("max_selected")
        if limit is not None:
            parts.append(
                ngettext(
                    "Pick at most %(count)d answer.", "Pick at most %(count)d answers.", int(limit)
                )
                % {"count": int(limit)}
            )
    elif kind == "partners":
        least, most = question.setting("min_rows"), question.setting("max_rows")
        if least and most is not None:
            parts.append(
                _("Between %(least)d and %(most)d partners.")
                % {"least": int(least), "most": int(most)}
            )
        elif least:
            parts.append(
                ngettext("At least %(count)d partner.", "At least %(count)d partners.", int(least))
                % {"count": int(least)}
            )
        elif most is not None:
            parts.append(
                ngettext("At most %(count)d partner.", "At most %(count)d partners.", int(most))
                % {"count": int(most)}
            )
    elif kind == "file":
        limit = question.setting("max_files")
        if limit is not None:
            parts.append(
                ngettext("At most %(count)d file.", "At most %(count)d files.", int(limit))
                % {"count": int(limit)}
            )
    return " ".join(str(p) for p in parts)
