"""Numbers and yes-or-no answers as people type them, in French or English form: "12 500,50",
"12500.5", "1.250,00 €", "oui". Shared by the dossier's questions and the impact reports."""

import re
from decimal import Decimal, InvalidOperation

YES_WORDS = {"yes", "oui", "true", "1", "y", "o"}
NO_WORDS = {"no", "non", "false", "0", "n"}


def read_decimal(raw):
    """The Decimal a person typed ("12 500,50", "12500.5", "1.250,00 €"), infinities and NaN
    included, else None."""
    if isinstance(raw, bool):
        return None
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


def parse_yes_no(raw):
    """True for a yes word ("yes", "oui"...), False for a no word, else None."""
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
