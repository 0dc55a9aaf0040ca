"""Widgets shared by the forms of every room."""

from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import SafeData, mark_safe


def _text(value):
    """`value` escaped for HTML, unless it is already safe (as the templates' autoescape)."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


class QuickSelect(forms.Select):
    """A single `Select` drawn in Python: the same markup as Django's templates (attributes,
    groups, the chosen option), without one template, one option dictionary and one lazy escape
    per option. The list of the 101 départements took 3 ms through the templates, and one jury
    page draws two such lists; about a tenth of that here. Choices, values and validation stay
    Django's."""

    allow_multiple_selected = False

    def _choices_at_once(self):
        """The choices; a model field's are read in one plain query: Django's iterator opens a
        server-side cursor on PostgreSQL, three round trips for a list of a hundred rows."""
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return choices
        field = choices.field
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        return empty + [choices.choice(row) for row in choices.queryset.all()]

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        found = False

        def option(option_value, label):
            nonlocal found
            option_value = "" if option_value is None else str(option_value)
            selected = not found and option_value in chosen
            found = found or selected
            return (
                f'<option value="{escape(option_value)}"{" selected" if selected else ""}>'
                f"{_text(label)}</option>"
            )

        parts = []
        for group_value, group_label in self._choices_at_once():
            if isinstance(group_label, (list, tuple)):
                inner = "".join(option(v, label) for v, label in group_label)
                parts.append(f'<optgroup label="{_text(group_value)}">{inner}</optgroup>')
            else:
                parts.append(option(group_value, group_label))
        final_attrs = self.build_attrs(self.attrs, attrs)
        markup = f'<select name="{escape(name)}"{flatatt(final_attrs)}>{"".join(parts)}</select>'
        return mark_safe(markup)  # nosec B308, B703 # every value is escaped above
