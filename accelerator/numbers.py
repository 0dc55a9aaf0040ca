"""Numbers as people type them, in French or English form: "12 500,50", "12500.5", "1.250,00 €".
Shared by the dossier's questions and the impact reports."""

import re
from decimal import Decimal, InvalidOperation


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
