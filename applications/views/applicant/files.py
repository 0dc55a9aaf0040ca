"""A dossier's files: added with the form, downloaded after a permission check, removed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain.attachments import attach_file, remove_attachment, rename_notice
from applications.views.applicant.access import load_dossier


def attach_uploads(request, dossier, form):
    """Store the files sent with the dossier form; a refused file's reason goes next to its
    question. Returns True when a file was refused."""
    refused = False
    for question in form.questions:
        if not question.kind.takes_files:
            continue
        for uploaded in request.FILES.getlist(question.id):
            try:
                attachment = attach_file(dossier, question.id, uploaded, request.user)
            except Refused as refusal:
                refused = True
                show_refusal(request, refusal, form, field=question.id)
            else:
                messages.success(
                    request, _("“%(name)s” is attached.") % {"name": attachment.original_name}
                )
                notice = rename_notice(uploaded.name)
                if notice:
                    messages.info(request, notice)
    return refused


@login_required
def download_attachment(request, dossier_id, attachment_id):
    dossier = load_dossier(request, dossier_id)
    attachment = get_object_or_404(dossier.attachments, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def delete_attachment(request, dossier_id, attachment_id):
    dossier = load_dossier(request, dossier_id)
    attachment = get_object_or_404(dossier.attachments, pk=attachment_id)
    if not request.user.has_perm("applications.change_dossier", dossier):
        raise PermissionDenied
    attachment.dossier = dossier
    remove_attachment(attachment, request.user)
    messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect("applications:dossier", dossier.pk)
