"""A submission's receipt number: derived from the dossier's reference and the moment it was
submitted, so that the same submission always prints the same number and a re-submission (after a
request for information) gets a new one. Nothing is stored: the PDF, the page and the e-mail
compute it alike."""

import hashlib
from datetime import UTC

# No 0/O, 1/I/L: a number read over the phone or copied by hand comes back right.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def receipt_number(dossier):
    """“ESS-2026-0007-K7QP-2M4X”, or "" for a dossier never submitted."""
    if not dossier.submitted_at:
        return ""
    moment = dossier.submitted_at.astimezone(UTC).isoformat(timespec="microseconds")
    digest = hashlib.sha256(f"receipt:{dossier.reference}:{moment}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    letters = []
    for _position in range(8):
        number, index = divmod(number, len(_ALPHABET))
        letters.append(_ALPHABET[index])
    code = "".join(letters)
    return f"{dossier.reference}-{code[:4]}-{code[4:]}"
