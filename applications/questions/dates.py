"""A date question: stored "YYYY-MM-DD", or as typed when it is not a date."""

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.questions.base import QuestionKind, field_options
from applications.questions.common import VALUE_CAP, FieldBlock, text_refusals
from applications.questions.values import is_blank, parse_date


class DateBlock(FieldBlock):
    class Meta:
        icon = "date"
        label = gettext_lazy("Date")


class DateKind(QuestionKind):
    name = "date"
    block_class = DateBlock

    def field(self, question, attrs):
        attrs = {**attrs, "type": "date", "data-max-characters": VALUE_CAP}
        return forms.CharField(widget=forms.DateInput(attrs=attrs), **field_options(question))

    def normalise(self, question, typed):
        value = parse_date(typed)
        if value:
            return value.isoformat()
        return typed.strip() if isinstance(typed, str) else ""

    def refusals(self, question, typed):
        return text_refusals(typed, VALUE_CAP)

    def problems(self, question, value, file_count=0):
        if is_blank(value):
            return [_("This answer is required.")] if question.required else []
        if parse_date(value) is None:
            return [_("Enter a date, for example 31/12/2026.")]
        return []

    def display(self, question, value, files):
        if is_blank(value):
            return None, ""
        day = parse_date(value)
        return (day, day.strftime("%d/%m/%Y")) if day else (value, str(value))

    def carry(self, question, stored):
        if isinstance(stored, datetime.date):
            return stored.isoformat()
        if not isinstance(stored, str) or is_blank(stored):
            return None
        day = parse_date(stored)
        # Text typed that is not a date stays, as typed, to be corrected.
        return day.isoformat() if day else stored
