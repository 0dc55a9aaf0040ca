"""Uploaded files: which are accepted (detected by their content), how big, how they are named.
Dossier attachments and accompaniment documents both go through `check_upload`."""

import os
import unicodedata

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

# What the content says the file is -> the name endings that agree with it.
ACCEPTED = {
    "pdf": {"pdf"},
    "png": {"png"},
    "apng": {"png"},
    "jpg": {"jpg", "jpeg"},
    "gif": {"gif"},
    "webp": {"webp"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "odt": {"odt"},
    "ods": {"ods"},
    "odp": {"odp"},
    "doc": {"doc"},
    "xls": {"xls"},
    "ppt": {"ppt"},
}
# The content type served back; filetype says "image/apng" for an animated PNG.
SERVED_TYPES = {"apng": "image/png"}
STEM_MAX = 80


def max_upload_bytes():
    return getattr(settings, "ESSOR_MAX_UPLOAD_MB", 10) * 1024 * 1024


def display_name(original):
    """The name people see: the last part of what the browser sent, without control characters."""
    name = os.path.basename((original or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:255] or _("file")


def storage_name(original, extension):
    """A safe name on disk: slugified stem (no path, no accents), capped, checked ending."""
    stem = display_name(original)
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    stem = slugify(stem)[:STEM_MAX].strip("-_") or "file"
    return get_valid_filename(f"{stem}.{extension}")


def _human_size(size):
    return f"{size / (1024 * 1024):.1f}".replace(".0", "")


def check_upload(uploaded):
    """(content type, extension) of an accepted upload; ValidationError in plain words otherwise."""
    name = display_name(uploaded.name)
    limit_mb = getattr(settings, "ESSOR_MAX_UPLOAD_MB", 10)
    if uploaded.size > max_upload_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; files are limited to %(limit)s MB each.")
            % {"name": name, "size": _human_size(uploaded.size), "limit": limit_mb},
            code="too_big",
        )
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ACCEPTED:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF, an image (PNG, JPEG, GIF, WebP) or an office document "
                "(Word, Excel, PowerPoint, OpenDocument): it cannot be attached."
            )
            % {"name": name},
            code="type",
        )
    ending = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    accepted = ACCEPTED[kind.extension]
    if ending and ending not in accepted:
        raise ValidationError(
            _("“%(name)s” ends in .%(ending)s but its content is a %(kind)s file: please check it.")
            % {"name": name, "ending": ending, "kind": kind.extension.upper()},
            code="mismatch",
        )
    extension = ending or sorted(accepted)[0]
    return SERVED_TYPES.get(kind.extension, kind.mime), extension


def save_with_file(instance, uploaded, extension):
    """Store `uploaded` in `instance.file` under a safe name, then save the row; the stored file
    is removed again when the row cannot be saved, so no file is left without its row."""
    instance.file.save(storage_name(uploaded.name, extension), uploaded, save=False)
    try:
        instance.save()
    except Exception:
        instance.file.storage.delete(instance.file.name)
        raise
    return instance


def delete_with_file(instance):
    """Delete the row, then its stored file once the transaction commits (a rollback keeps both)."""
    storage, name = instance.file.storage, instance.file.name
    instance.delete()
    transaction.on_commit(lambda: storage.delete(name))
