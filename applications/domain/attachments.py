"""A dossier's files: which are accepted, how they are named and stored, who removes them."""

import os
import unicodedata

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

from applications.domain.answers import form_definition, questions
from applications.domain.drafting import EDITABLE_STATES
from applications.models import Attachment, Dossier

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


def file_question(dossier, field_id):
    for question in questions(form_definition(dossier)):
        if question.id == field_id and question.type == "file":
            return question
    return None


def attach_file(dossier, field_id, uploaded, actor):
    """Check and store one uploaded file answering the file question `field_id` of `dossier`.

    Raises PermissionDenied when the actor may not edit the dossier, ValidationError (in plain
    words naming the file) when the file is refused.
    """
    if not actor.has_perm("applications.change_dossier", dossier):
        raise PermissionDenied
    question = file_question(dossier, field_id)
    if question is None:
        raise ValidationError(_("This question does not take files."), code="question")
    content_type, extension = check_upload(uploaded)
    with transaction.atomic():
        # The row lock keeps a submission from slipping between the checks and the new file.
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.state not in EDITABLE_STATES:
            raise ValidationError(_("This dossier can no longer be changed."), code="locked")
        limit = question.setting("max_files")
        count = Attachment.objects.filter(dossier=locked, field_id=field_id).count()
        if limit is not None and count >= limit:
            raise ValidationError(
                _(
                    "“%(name)s” was not added: this question takes at most %(count)d file(s); "
                    "remove one first."
                )
                % {"name": display_name(uploaded.name), "count": int(limit)},
                code="max_files",
            )
        attachment = Attachment(
            dossier=locked,
            field_id=field_id,
            original_name=display_name(uploaded.name),
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=actor,
        )
        attachment.file.save(storage_name(uploaded.name, extension), uploaded, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


def remove_attachment(attachment, actor):
    """Delete one file of an editable dossier, row and stored file."""
    dossier = attachment.dossier
    if not actor.has_perm("applications.change_dossier", dossier):
        raise PermissionDenied
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
