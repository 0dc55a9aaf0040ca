"""A section heading: it splits the form into parts and asks nothing."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from applications.questions.base import QuestionKind


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=255)
    help_text = blocks.TextBlock(label=_("Help text"), required=False)

    class Meta:
        icon = "title"
        label = _("Section heading")


class SectionKind(QuestionKind):
    name = "section"
    block_class = SectionBlock
    stores_answer = False

    def field(self, question, attrs):
        raise LookupError("A section heading asks nothing: it has no field.")

    def problems(self, question, value, file_count=0):
        return []

    def is_answered(self, question, value, file_count=0):
        return True

    def display(self, question, value, files):
        return None, ""

    def carry(self, question, stored):
        return None
