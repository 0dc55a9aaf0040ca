"""Choice questions: one answer among several, or several (at most a number). Answers store the
choices' keys (`base.read_choices`) and are shown with their current labels, so that renaming a
choice keeps its answers; a display condition may test them."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import blocks

from applications.questions.base import QuestionKind, field_options, selection_matches
from applications.questions.common import (
    VALUE_CAP,
    FieldBlock,
    ListField,
    text_refusals,
    too_long,
)
from applications.questions.profile import profile_field_block
from applications.questions.values import is_blank


class SingleChoiceBlock(FieldBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=255), label=gettext_lazy("Choices"), min_num=2
    )
    profile_field = profile_field_block("single_choice")

    class Meta:
        icon = "radio-full"
        label = gettext_lazy("Single choice")


class MultipleChoiceBlock(FieldBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=255), label=gettext_lazy("Choices"), min_num=2
    )
    max_selected = blocks.IntegerBlock(label=gettext_lazy("At most"), required=False, min_value=1)

    class Meta:
        icon = "list-ul"
        label = gettext_lazy("Multiple choice")


def with_choice_ids(raw_stream):
    """A copy of a form's raw blocks whose plain-string choices (hand-written data) become the
    items the admin stores, each with its label as id: the key `read_choices` already gives them.
    Without it, the admin would give each such choice a new id and lose the answers and
    conditions that name it by its label."""
    upgraded = []
    for block in raw_stream or []:
        value = block.get("value") if isinstance(block, dict) else None
        choices = value.get("choices") if isinstance(value, dict) else None
        if isinstance(choices, list) and any(isinstance(c, str) for c in choices):
            items = [
                {"type": "item", "value": c, "id": c} if isinstance(c, str) else c for c in choices
            ]
            block = {**block, "value": {**value, "choices": items}}
        upgraded.append(block)
    return upgraded


def key_for(question, stored):
    """The key of the current choice `stored` names: its key, or (casefold) its label, for answers
    that stored labels or a choice deleted and added again; None when no current choice has it."""
    if not isinstance(stored, str) or not stored.strip():
        return None
    choices = question.choices
    if any(choice.key == stored for choice in choices):
        return stored
    wanted = stored.strip().casefold()
    for choice in choices:
        if choice.label.strip().casefold() == wanted:
            return choice.key
    return None


def _items(value):
    if isinstance(value, (list, tuple)):
        return list(value)
    return [] if is_blank(value) else [value]


class SingleChoiceKind(QuestionKind):
    name = "single_choice"
    block_class = SingleChoiceBlock
    condition_source = True
    layout = "fieldset"

    def field(self, question, attrs):
        choices = [(choice.key, choice.label) for choice in question.choices]
        widget = forms.RadioSelect(attrs=attrs, choices=choices)
        return forms.CharField(widget=widget, **field_options(question))

    def normalise(self, question, typed):
        if not isinstance(typed, str):
            return ""
        # A label sent instead of a key (a script, a test) is stored as its key.
        return key_for(question, typed) or typed

    def refusals(self, question, typed):
        return text_refusals(typed, VALUE_CAP)

    def problems(self, question, value, file_count=0):
        if is_blank(value):
            return [_("This answer is required.")] if question.required else []
        if value not in {choice.key for choice in question.choices}:
            return [_("Pick one of the proposed answers.")]
        return []

    def display(self, question, value, files):
        if is_blank(value):
            return None, ""
        label = question.choice_label(value)
        return label, label

    def carry(self, question, stored):
        # One answer of a former multiple choice reads as this choice.
        if isinstance(stored, list):
            return key_for(question, stored[0]) if len(stored) == 1 else None
        return key_for(question, stored)

    def matches(self, question, value, condition):
        return selection_matches(_items(value), condition)


class MultipleChoiceKind(QuestionKind):
    name = "multiple_choice"
    block_class = MultipleChoiceBlock
    condition_source = True
    layout = "fieldset"

    def field(self, question, attrs):
        attrs = dict(attrs)
        limit = question.setting("max_selected")
        if limit is not None:
            attrs["data-max-selected"] = int(limit)
        choices = [(choice.key, choice.label) for choice in question.choices]
        widget = forms.CheckboxSelectMultiple(attrs=attrs, choices=choices)
        return ListField(widget=widget, **field_options(question))

    def normalise(self, question, typed):
        keys = []
        for item in _items(typed):
            if isinstance(item, str) and item:
                key = key_for(question, item) or item
                if key not in keys:
                    keys.append(key)
        return keys

    def refusals(self, question, typed):
        items = _items(typed)
        if len(items) > max(len(question.choices), 1):
            return [_("Pick among the proposed answers.")]
        longest = max((len(str(item)) for item in items), default=0)
        return [too_long(longest, VALUE_CAP)] if longest > VALUE_CAP else []

    def problems(self, question, value, file_count=0):
        if is_blank(value):
            return [_("This answer is required.")] if question.required else []
        keys = {choice.key for choice in question.choices}
        if any(item not in keys for item in _items(value)):
            return [_("Pick among the proposed answers.")]
        limit = question.setting("max_selected")
        if limit is not None and len(_items(value)) > limit:
            return [
                ngettext(
                    "Pick at most %(count)d answer.", "Pick at most %(count)d answers.", int(limit)
                )
                % {"count": int(limit)}
            ]
        return []

    def display(self, question, value, files):
        if is_blank(value):
            return None, ""
        labels = [question.choice_label(item) for item in _items(value)]
        return labels, ", ".join(labels)

    def pdf_paragraphs(self, question, value, files):
        return [] if is_blank(value) else self.display(question, value, files)[0]

    def rules(self, question):
        limit = question.setting("max_selected")
        if limit is None:
            return ""
        return ngettext(
            "Pick at most %(count)d answer.", "Pick at most %(count)d answers.", int(limit)
        ) % {"count": int(limit)}

    def carry(self, question, stored):
        # The answer of a former single choice reads as a one-item selection; choices removed
        # since are left out (and stay stored until the person changes the selection).
        keys = []
        for item in _items(stored):
            key = key_for(question, item)
            if key is not None and key not in keys:
                keys.append(key)
        return keys or None

    def matches(self, question, value, condition):
        return selection_matches(_items(value), condition)
