"""The size cap of a dossier's answers taken together: one question's hard caps belong to its
kind (`applications.questions`), but a dossier of several megabytes would break the page and the
database whatever its questions, so it is refused at once and the page keeps what was typed."""

import json

from django.utils.translation import gettext as _

from applications.questions.values import format_number

# The whole dossier's answers, in characters of JSON: well under DATA_UPLOAD_MAX_MEMORY_SIZE.
DOSSIER_CHARACTER_CAP = 500_000


def dossier_size(answers):
    """The size of a dossier's answers, in characters of JSON."""
    return len(json.dumps(answers, ensure_ascii=False, default=str))


def too_large_message(size):
    return _(
        "Not saved: your answers together are too long (%(size)s characters, at most %(cap)s). "
        "Shorten the longest ones; what you typed is still here."
    ) % {
        "size": format_number(size),
        "cap": format_number(DOSSIER_CHARACTER_CAP),
    }
