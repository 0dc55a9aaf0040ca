"""A dossier's files: which are accepted, how they are named and stored, who removes them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accelerator.domain.files import (  # noqa: F401 (names other modules import from here)
    ACCEPTED,
    SERVED_TYPES,
    check_upload,
    delete_with_file,
    display_name,
    max_upload_bytes,
    rename_notice,
    save_with_file,
    storage_name,
)
from accelerator.domain.refusals import Refused
from applications.domain.drafting import EDITABLE_STATES
from applications.domain.form_definition import form_definition, questions
from applications.models import Attachment, Dossier


def file_question(dossier, field_id):
    for question in questions(form_definition(dossier)):
        if question.id == field_id and question.type == "file":
            return question
    return None


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
    content_type, extension = check_upload(uploaded)
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
