"""One answer of a dossier: reading what a person typed, the value stored for it, and the small
readers and writers of numbers, amounts and dates that the checks, the display and the inputs share.

Answers are a dict keyed by the id of their question (`form_definition.questions`):

- short_text, long_text, single_choice: a string;
- number, money: a string holding a decimal ("12500.50"), or the text typed when it is not one;
- date: "YYYY-MM-DD", or the text typed when it is not a date;
- yes_no: "yes" or "no";
- multiple_choice: a list of strings;
- partners: a list of {"name", "kind", "siret", "role"};
- file: nothing in the answers; the files are the dossier's Attachment rows with that `field_id`.

A draft may hold incomplete or invalid answers: they are kept as typed, checked one by one by
`answer_checks` and reported for the whole form by `completeness.problems`.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import formats, translation

YES_WORDS = {"yes", "oui", "true", "1", "y", "o"}
NO_WORDS = {"no", "non", "false", "0", "n"}


def read_decimal(raw):
    """The Decimal a person typed ("12 500,50", "12500.5", "1.250,00 €"), infinities and NaN
    included, else None."""
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    if not isinstance(raw, str):
        return None
    text = re.sub(r"[\s\u00a0\u202f€]", "", raw)
    if not text:
        return None
    if "," in text and "." in text:
        # The last separator is the decimal one; the other groups thousands.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_decimal(raw):
    """A finite Decimal from what a person types ("12 500,50", "12500.5"), else None."""
    value = read_decimal(raw)
    return value if value is not None and value.is_finite() else None


def decimal_places(value):
    """How many decimals `value` really has ("12.50" has one, "12.345" three)."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places, digits = -exponent, list(digits)
    while places and digits and digits[-1] == 0:
        digits.pop()
        places -= 1
    return places


def parse_date(raw):
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


def parse_yes_no(raw):
    if isinstance(raw, bool):
        return raw
    if not isinstance(raw, str):
        return None
    word = raw.strip().casefold()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def normalise(question, raw):
    """The answer to store for what was typed: canonical when it can be read, else as typed."""
    kind = question.type
    if kind in ("number", "money"):
        text = (raw or "").strip() if isinstance(raw, str) else raw
        value = parse_decimal(text)
        if value is None:
            return text or ""
        if kind == "money" and value.as_tuple().exponent >= -2:
            # Two decimals, the way amounts in euros are written and compared.
            try:
                value = value.quantize(Decimal("0.01"))
            except InvalidOperation:
                # More digits than the decimal context holds: kept as typed, and refused by
                # `answer_input.refusals` before it is ever stored.
                return text
        return str(value)
    if kind == "date":
        value = parse_date(raw)
        return value.isoformat() if value else (raw or "").strip()
    if kind == "yes_no":
        value = parse_yes_no(raw)
        return "" if value is None else ("yes" if value else "no")
    if kind == "multiple_choice":
        return [c for c in (raw or []) if isinstance(c, str) and c]
    if kind == "partners":
        rows = []
        for row in raw or []:
            clean = {k: str(row.get(k) or "").strip() for k in ("name", "kind", "siret", "role")}
            if any(clean.values()):
                rows.append(clean)
        return rows
    if kind == "file":
        return None
    return raw if isinstance(raw, str) else ("" if raw is None else str(raw))


def is_blank(value):
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


# --- the answers to file questions ---------------------------------------------------------


def dossier_files(dossier, attachments=None):
    """The dossier's Attachment rows: `attachments` when the caller prefetched them (a list of
    dossiers then costs no query per dossier), else read in one query."""
    return list(dossier.attachments.all()) if attachments is None else list(attachments)


def attachment_counts(attachments):
    counts = {}
    for attachment in attachments:
        counts[attachment.field_id] = counts.get(attachment.field_id, 0) + 1
    return counts
