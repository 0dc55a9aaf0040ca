"""`QuickSelect` draws the markup Django's `Select` draws through its templates."""

import pytest
from django import forms
from django.test.html import parse_html

from accelerator.forms.widgets import QuickSelect
from accelerator.models import Department

CHOICES = [
    ("", "—"),
    ("18", "18 Cher"),
    ("x", 'Quotes " and <tags> & ampersands'),
    ("Centre-Val de Loire", [("36", "36 Indre"), ("37", "37 Indre-et-Loire")]),
]


@pytest.mark.parametrize("value", [None, "", "18", "37", "unknown"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_d", "aria-invalid": "true", "required": True, "disabled": False}]
)
def test_the_markup_is_djangos(value, attrs):
    quick = QuickSelect(choices=CHOICES).render("department", value, attrs)
    django = forms.Select(choices=CHOICES).render("department", value, attrs)
    assert parse_html(quick) == parse_html(django)
    assert "&lt;tags&gt;" in quick


@pytest.mark.django_db
def test_a_model_choice_field_keeps_its_choices_and_the_chosen_one():
    class Form(forms.Form):
        department = forms.ModelChoiceField(
            queryset=Department.objects.order_by("code"), widget=QuickSelect
        )

    chosen = Department.objects.order_by("code")[3]
    form = Form({"department": chosen.pk})
    drawn = str(form["department"])
    assert drawn.count("<option") == Department.objects.count() + 1
    assert f'<option value="{chosen.pk}" selected>' in drawn
    assert form.is_valid() and form.cleaned_data["department"] == chosen
