"""Text questions: a short text (one line, a limit in characters) and a long text (a limit in
words or characters). Any text an earlier kind stored carries over, but a choice's key."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import blocks

from applications.questions.base import QuestionKind, field_options
from applications.questions.common import (
    LONG_TEXT_CAP,
    SHORT_TEXT_CAP,
    FieldBlock,
    text_cap,
    text_refusals,
)
from applications.questions.profile import profile_field_block
from applications.questions.values import count_characters, count_words, is_blank, is_item_id

WORDS, CHARACTERS = "words", "characters"


class ShortTextBlock(FieldBlock):
    max_length = blocks.IntegerBlock(
        label=gettext_lazy("Maximum characters"), required=False, min_value=1
    )
    profile_field = profile_field_block("short_text")

    class Meta:
        icon = "pilcrow"
        label = gettext_lazy("Short text")


class LongTextBlock(FieldBlock):
    limit_unit = blocks.ChoiceBlock(
        choices=[(WORDS, gettext_lazy("words")), (CHARACTERS, gettext_lazy("characters"))],
        default=WORDS,
        label=gettext_lazy("Limit in"),
    )
    limit = blocks.IntegerBlock(label=gettext_lazy("Limit"), required=False, min_value=1)

    class Meta:
        icon = "doc-full"
        label = gettext_lazy("Long text")


def _over_limit(count, limit, unit):
    if unit == WORDS:
        message = _("Please keep this answer under %(limit)d words (it has %(count)d).")
    else:
        message = _("Please keep this answer under %(limit)d characters (it has %(count)d).")
    return message % {"limit": int(limit), "count": count}


def _limit_rule(limit, unit):
    if unit == WORDS:
        return ngettext("%(count)d word at most.", "%(count)d words at most.", int(limit)) % {
            "count": int(limit)
        }
    return ngettext("%(count)d character at most.", "%(count)d characters at most.", int(limit)) % {
        "count": int(limit)
    }


class TextKind(QuestionKind):
    """What both text kinds share; a subclass says its limit and its widget."""

    def limit(self, question):
        """(soft limit or None, unit)."""
        raise NotImplementedError

    def cap(self, question):
        """The most characters an answer may hold, whatever its soft limit."""
        raise NotImplementedError

    def limit_attrs(self, question, attrs):
        attrs = dict(attrs)
        # Read by the page's script, which warns before posting what would be refused.
        attrs["data-max-characters"] = self.cap(question)
        limit, unit = self.limit(question)
        if limit is not None:
            attrs["data-limit"] = int(limit)
            attrs["data-limit-unit"] = unit
        return attrs

    def refusals(self, question, typed):
        return text_refusals(typed, self.cap(question))

    def problems(self, question, value, file_count=0):
        if is_blank(value):
            return [_("This answer is required.")] if question.required else []
        limit, unit = self.limit(question)
        if limit is None:
            return []
        count = count_words(value) if unit == WORDS else count_characters(value)
        return [_over_limit(count, limit, unit)] if count > limit else []

    def rules(self, question):
        limit, unit = self.limit(question)
        return "" if limit is None else _limit_rule(limit, unit)

    def counter(self, question, value):
        limit, unit = self.limit(question)
        if limit is None:
            return None
        text = value if isinstance(value, str) else ""
        count = count_words(text) if unit == WORDS else count_characters(text)
        return {"count": count, "limit": int(limit), "unit": unit, "over": count > limit}

    def carry(self, question, stored):
        # A number, a date or a yes/no reads as text; a choice's key is no text anyone typed.
        if not isinstance(stored, str) or is_blank(stored) or is_item_id(stored):
            return None
        return stored


class ShortTextKind(TextKind):
    name = "short_text"
    block_class = ShortTextBlock

    def limit(self, question):
        return question.setting("max_length"), CHARACTERS

    def cap(self, question):
        limit = question.setting("max_length")
        return SHORT_TEXT_CAP if limit is None else text_cap(limit)

    def field(self, question, attrs):
        widget = forms.TextInput(attrs=self.limit_attrs(question, attrs))
        return forms.CharField(widget=widget, **field_options(question))


class LongTextKind(TextKind):
    name = "long_text"
    block_class = LongTextBlock

    def limit(self, question):
        unit = CHARACTERS if question.value.get("limit_unit") == CHARACTERS else WORDS
        return question.setting("limit"), unit

    def cap(self, question):
        limit, unit = self.limit(question)
        if limit is None:
            return LONG_TEXT_CAP
        return text_cap(limit, per_word=unit == WORDS)

    def field(self, question, attrs):
        attrs = {**self.limit_attrs(question, attrs), "rows": 8}
        # Not stripped: the paragraphs a person typed are kept as they are.
        return forms.CharField(
            widget=forms.Textarea(attrs=attrs), strip=False, **field_options(question)
        )

    def pdf_paragraphs(self, question, value, files):
        if is_blank(value):
            return []
        return [line.strip() for line in str(value).splitlines() if line.strip()]
