"""A dossier's files: which are accepted (by the site, then by their question), how they are
named and stored, who removes them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accelerator.domain.files import (  # noqa: F401 (names other modules import from here)
    ACCEPTED,
    MEGABYTE,
    SERVED_TYPES,
    check_upload,
    delete_with_file,
    display_name,
    max_upload_bytes,
    megabytes,
    rename_notice,
    save_with_file,
    storage_name,
)
from accelerator.domain.refusals import Refused
from applications.domain.drafting import EDITABLE_STATES
from applications.domain.form_definition import form_definition, questions
from applications.models import Attachment, Dossier
from applications.questions.files import accepted_endings, accepted_text, size_limit_mb


def file_question(dossier, field_id):
    for question in questions(form_definition(dossier)):
        if question.id == field_id and question.kind.takes_files:
            return question
    return None


def check_for_question(question, uploaded):
    """(content type, extension) of an upload the site and `question` accept (its own size limit
    and kinds of file); Refused in plain words naming what is accepted otherwise."""
    name = display_name(uploaded.name)
    limit_mb = size_limit_mb(question)
    if uploaded.size > limit_mb * MEGABYTE and limit_mb < max_upload_bytes() // MEGABYTE:
        raise Refused(
            _("“%(name)s” is %(size)s MB; this question accepts files of at most %(limit)s MB.")
            % {"name": name, "size": megabytes(uploaded.size, limit_mb), "limit": limit_mb},
            code="too_big",
        )
    content_type, extension = check_upload(uploaded)
    if extension not in accepted_endings(question):
        raise Refused(
            _("“%(name)s” cannot be attached here: this question accepts %(accepted)s.")
            % {"name": name, "accepted": accepted_text(question)},
            code="type",
        )
    return content_type, extension


def attach_file(dossier, field_id, uploaded, actor):
    """Check and store one uploaded file answering the file question `field_id` of `dossier`.

    Raises PermissionDenied when the actor may not edit the dossier, Refused (in plain
    words naming the file) when the file is refused.
    """
    if not actor.has_perm("applications.change_dossier", dossier):
        raise PermissionDenied
    question = file_question(dossier, field_id)
    if question is None:
        raise Refused(_("This question does not take files."), code="question")
    content_type, extension = check_for_question(question, uploaded)
    with transaction.atomic():
        # The row lock keeps a submission from slipping between the checks and the new file.
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.state not in EDITABLE_STATES:
            raise Refused(_("This dossier can no longer be changed."), code="locked")
        limit = question.setting("max_files")
        count = Attachment.objects.filter(dossier=locked, field_id=field_id).count()
        if limit is not None and count >= limit:
            raise Refused(
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
        save_with_file(attachment, uploaded, extension)
    return attachment


def remove_attachment(attachment, actor):
    """Delete one file of an editable dossier, row and stored file."""
    dossier = attachment.dossier
    if not actor.has_perm("applications.change_dossier", dossier):
        raise PermissionDenied
    delete_with_file(attachment)
