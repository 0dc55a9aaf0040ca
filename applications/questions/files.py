"""A file question: the files are the dossier's Attachment rows with its `field_id`, nothing in
the answers. Staff may take fewer files, fewer kinds of file and smaller files than the site's
limits; the file input, the rules shown and the upload check (`domain.attachments`) follow."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from applications.questions.base import QuestionKind, field_options
from applications.questions.common import FieldBlock, ListField

# The families staff may accept, by the name endings of the files in them. Together they are
# every file the site accepts (`accelerator.domain.files.ACCEPTED`; a test keeps them equal).
FILE_FAMILIES = {
    "pdf": {
        "label": gettext_lazy("PDF"),
        "noun": gettext_lazy("PDF"),
        "endings": ("pdf",),
    },
    "images": {
        "label": gettext_lazy("Images (PNG, JPEG, GIF, WebP)"),
        "noun": gettext_lazy("images (PNG, JPEG, GIF, WebP)"),
        "endings": ("png", "jpg", "jpeg", "gif", "webp"),
    },
    "documents": {
        "label": gettext_lazy("Office documents (Word, PowerPoint, OpenDocument)"),
        "noun": gettext_lazy("office documents (Word, PowerPoint, OpenDocument)"),
        "endings": ("doc", "docx", "odt", "ppt", "pptx", "odp"),
    },
    "spreadsheets": {
        "label": gettext_lazy("Spreadsheets (Excel, OpenDocument)"),
        "noun": gettext_lazy("spreadsheets (Excel, OpenDocument)"),
        "endings": ("xls", "xlsx", "ods"),
    },
}


def site_limit_mb():
    """The site's upload limit per file, in MB (the setting `accelerator.domain.files` reads)."""
    return getattr(settings, "ESSOR_MAX_UPLOAD_MB", 10)


class FileBlock(FieldBlock):
    max_files = blocks.IntegerBlock(
        label=gettext_lazy("At most (files)"), required=False, min_value=1, default=1
    )
    accepted_types = blocks.MultipleChoiceBlock(
        choices=[(name, family["label"]) for name, family in FILE_FAMILIES.items()],
        required=False,
        label=gettext_lazy("Accepted files"),
        help_text=gettext_lazy("Leave every box empty to accept every kind of file."),
        widget=forms.CheckboxSelectMultiple,
    )
    max_size_mb = blocks.IntegerBlock(
        label=gettext_lazy("At most (MB per file)"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Leave empty for the site's limit."),
    )

    class Meta:
        icon = "doc-empty"
        label = gettext_lazy("File")

    def clean(self, value):
        value = super().clean(value)
        size = value.get("max_size_mb")
        if size is not None and size > site_limit_mb():
            raise StructBlockValidationError(
                block_errors={
                    "max_size_mb": ValidationError(
                        _("Files may weigh at most %(limit)d MB here: choose %(limit)d or less.")
                        % {"limit": site_limit_mb()}
                    )
                }
            )
        return value


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


def accepted_families(question):
    """The names of the families `question` accepts, in FILE_FAMILIES' order (all when none set)."""
    chosen = question.value.get("accepted_types") or []
    chosen = [name for name in FILE_FAMILIES if name in chosen]
    return chosen or list(FILE_FAMILIES)


def accepted_endings(question):
    """The name endings of the files `question` accepts."""
    return {
        ending for name in accepted_families(question) for ending in FILE_FAMILIES[name]["endings"]
    }


def accepted_text(question):
    """The kinds of file `question` accepts, for people: "PDF, images (PNG, JPEG, GIF, WebP)"."""
    return ", ".join(str(FILE_FAMILIES[name]["noun"]) for name in accepted_families(question))


def size_limit_mb(question):
    """The most MB a file may weigh for `question`: its own limit, never above the site's."""
    own = question.setting("max_size_mb")
    limit = site_limit_mb()
    return limit if own is None or own < 1 else min(int(own), limit)


class FileKind(QuestionKind):
    name = "file"
    block_class = FileBlock
    stores_answer = False
    takes_files = True
    layout = "file"
    answer_layout = "files"

    def field(self, question, attrs):
        accept = ",".join(sorted(f".{ending}" for ending in accepted_endings(question)))
        widget = MultipleFileInput(attrs={**attrs, "accept": accept})
        return ListField(widget=widget, **field_options(question))

    def normalise(self, question, typed):
        return None

    def problems(self, question, value, file_count=0):
        if question.required and file_count == 0:
            return [_("Please attach a file.")]
        limit = question.setting("max_files")
        if limit is not None and file_count > limit:
            return [
                ngettext(
                    "At most %(count)d file is accepted here.",
                    "At most %(count)d files are accepted here.",
                    int(limit),
                )
                % {"count": int(limit)}
            ]
        return []

    def is_answered(self, question, value, file_count=0):
        return file_count > 0

    def display(self, question, value, files):
        files = list(files or [])
        return files, ", ".join(attachment.original_name for attachment in files)

    def pdf_paragraphs(self, question, value, files):
        return [attachment.original_name for attachment in files or []]

    def rules(self, question):
        parts = []
        limit = question.setting("max_files")
        if limit is not None:
            parts.append(
                ngettext("At most %(count)d file.", "At most %(count)d files.", int(limit))
                % {"count": int(limit)}
            )
        parts.append(
            _("Accepted: %(types)s; at most %(size)d MB per file.")
            % {"types": accepted_text(question), "size": size_limit_mb(question)}
        )
        return " ".join(parts)

    def carry(self, question, stored):
        return None
