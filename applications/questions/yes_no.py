"""A yes/no question: stored "yes" or "no"; a display condition may test it."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.numbers import parse_yes_no
from applications.questions.base import QuestionKind, field_options, selection_matches
from applications.questions.common import FieldBlock
from applications.questions.profile import profile_field_block
from applications.questions.values import is_blank

YES, NO = "yes", "no"
YES_NO = [(YES, gettext_lazy("Yes")), (NO, gettext_lazy("No"))]


class YesNoBlock(FieldBlock):
    profile_field = profile_field_block("yes_no")

    class Meta:
        icon = "tick-inverse"
        label = gettext_lazy("Yes / no")


def yes_no_word(raw):
    """The word "yes" or "no" for a yes or no word Essor reads ("oui", "non"...), else None."""
    value = parse_yes_no(raw)
    return None if value is None else (YES if value else NO)


class YesNoKind(QuestionKind):
    name = "yes_no"
    block_class = YesNoBlock
    condition_source = True
    fixed_answers = YES_NO
    layout = "fieldset"

    def field(self, question, attrs):
        widget = forms.RadioSelect(attrs=attrs, choices=YES_NO)
        return forms.CharField(widget=widget, **field_options(question))

    def normalise(self, question, typed):
        return yes_no_word(typed) or ""

    def problems(self, question, value, file_count=0):
        if is_blank(value):
            return [_("This answer is required.")] if question.required else []
        if parse_yes_no(value) is None:
            return [_("Answer yes or no.")]
        return []

    def display(self, question, value, files):
        if is_blank(value):
            return None, ""
        answer = parse_yes_no(value)
        if answer is None:
            return value, str(value)
        return answer, str(_("Yes") if answer else _("No"))

    def carry(self, question, stored):
        # A one-item list (a former multiple choice) of a yes/no word reads as that word.
        if isinstance(stored, list) and len(stored) == 1:
            stored = stored[0]
        return yes_no_word(stored)

    def matches(self, question, value, condition):
        word = yes_no_word(value)
        return selection_matches([word] if word else [], condition)
