"""Notes and documents of an accompaniment: written by the staff and the support point, each for
an audience its author belongs to; a document is served only to those its audience includes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accelerator.domain.files import rename_notice
from accelerator.domain.followup import (
    add_document,
    add_note,
    audience,
    remove_document,
    visible_to,
)
from accelerator.forms.journey import DocumentForm, NoteForm
from accelerator.models import Document
from accelerator.views.files import private_file
from accelerator.views.staff.accompaniments import accompaniment_for, page_url, refused, render_page

ANNOTATE = "accelerator.annotate_accompaniment"


@login_required
@require_POST
def note_add(request, pk):
    accompaniment = accompaniment_for(request, pk, ANNOTATE)
    form = NoteForm(request.POST, prefix="note", visibilities=audience(request.user, accompaniment))
    if form.is_valid():
        try:
            add_note(
                accompaniment,
                request.user,
                form.cleaned_data["body"],
                form.cleaned_data["visibility"],
            )
        except ValidationError as refusal:
            # A refused audience is told by the choice of audience, anything else by the text.
            field = "visibility" if getattr(refusal, "code", None) == "visibility" else "body"
            refused(request, refusal, form, field)
        else:
            messages.success(request, _("Your note is saved."))
            return redirect(page_url(accompaniment, "notes"))
    else:
        refused(request, None)
    return render_page(request, accompaniment, {"note": form})


@login_required
@require_POST
def document_add(request, pk):
    accompaniment = accompaniment_for(request, pk, ANNOTATE)
    form = DocumentForm(
        request.POST,
        request.FILES,
        prefix="document",
        visibilities=audience(request.user, accompaniment),
    )
    if form.is_valid():
        try:
            document = add_document(
                accompaniment,
                request.user,
                form.cleaned_data["file"],
                form.cleaned_data["title"],
                form.cleaned_data["visibility"],
            )
        except ValidationError as refusal:
            field = "visibility" if getattr(refusal, "code", None) == "visibility" else "file"
            refused(request, refusal, form, field)
        else:
            messages.success(
                request, _("“%(title)s” is added to the documents.") % {"title": document.title}
            )
            notice = rename_notice(form.cleaned_data["file"].name)
            if notice:
                messages.info(request, notice)
            return redirect(page_url(accompaniment, "documents"))
    else:
        refused(request, None)
    return render_page(request, accompaniment, {"document": form})


@login_required
def document_download(request, pk, document_pk):
    """The file, to those the document's audience includes (the structure's members too, for an
    "everyone" document); a 404 to everyone else, so its existence stays hidden."""
    accompaniment = accompaniment_for(request, pk)
    document = get_object_or_404(
        visible_to(Document.objects.all(), request.user, accompaniment), pk=document_pk
    )
    return private_file(document)


@login_required
@require_POST
def document_remove(request, pk, document_pk):
    accompaniment = accompaniment_for(request, pk, ANNOTATE)
    document = get_object_or_404(
        visible_to(Document.objects.all(), request.user, accompaniment), pk=document_pk
    )
    # Staff or the person who uploaded it: the domain decides, and a refusal is a 403.
    remove_document(document, request.user)
    messages.success(request, _("“%(title)s” is removed.") % {"title": document.title})
    return redirect(page_url(accompaniment, "documents"))
