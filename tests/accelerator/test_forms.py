from decimal import Decimal

import pytest
from django.utils import translation

from accelerator.forms.structures import EuroField, SignupForm, StructureForm
from tests import factories


@pytest.mark.parametrize(
    ("language", "typed", "amount"),
    [
        ("fr", "120 000,50 €", Decimal("120000.50")),
        ("fr", "120\u202f000", Decimal("120000")),
        ("fr", "1.200,5", Decimal("1200.5")),
        ("en", "120,000.50", Decimal("120000.50")),
        ("en", "120,000", Decimal("120000")),
        ("en", "120000.5", Decimal("120000.5")),
        ("fr", "", None),
    ],
)
def test_amounts_are_read_as_people_type_them(language, typed, amount):
    field = EuroField(required=False, max_digits=14, decimal_places=2, localize=True)
    with translation.override(language):
        assert field.clean(typed) == amount


@pytest.mark.django_db
def test_the_structure_form_flags_a_taken_siret_with_the_structure_to_join(structure):
    data = {
        "name": "Copie",
        "legal_form": "association",
        "siret": " ".join([structure.siret[:3], structure.siret[3:9], structure.siret[9:]]),
        "department": structure.department.pk,
        "creation_year": 2010,
    }
    form = StructureForm(data)
    assert not form.is_valid()
    assert form.duplicate == structure
    assert list(form.errors) == ["siret"]


@pytest.mark.django_db
def test_the_structure_form_refuses_future_years_and_bad_postcodes(structure):
    form = StructureForm(
        {
            "name": "Future",
            "legal_form": "association",
            "siret": factories.valid_siret(),
            "department": structure.department.pk,
            "creation_year": 2099,
            "postcode": "4500",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"creation_year", "postcode"}


@pytest.mark.django_db
def test_sign_up_offers_the_current_language_first():
    with translation.override("en"):
        assert SignupForm().fields["language"].initial == "en"
    with translation.override("fr"):
        form = SignupForm()
    assert form.fields["language"].initial == "fr"
    assert list(form.fields)[:3] == ["first_name", "last_name", "email"]
