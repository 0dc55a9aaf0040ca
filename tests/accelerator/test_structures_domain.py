from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accelerator.domain.structures import (
    DuplicateStructure,
    SameLegalUnit,
    create_structure,
    update_structure,
)
from accelerator.models import LegalForm, MemberRole, Membership, Structure
from tests import factories


def _fields(**overrides):
    fields = {
        "name": "La Ressourcerie du Loiret",
        "legal_form": LegalForm.ASSOCIATION,
        "siret": factories.valid_siret(),
        "department": factories.department("45", "Loiret"),
        "creation_year": 2012,
        "annual_budget": Decimal("250000.50"),
    }
    fields.update(overrides)
    return fields


@pytest.mark.django_db
def test_the_creator_becomes_the_owner_and_the_siret_is_stored_as_digits():
    creator = factories.UserFactory()
    siret = factories.valid_siret()
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]}.{siret[9:]}"
    structure = create_structure(creator, **_fields(siret=spaced))
    assert structure.siret == siret
    assert structure.annual_budget == Decimal("250000.50")
    assert Membership.objects.get(structure=structure).user == creator
    assert Membership.objects.get(structure=structure).role == MemberRole.OWNER


@pytest.mark.django_db
def test_a_second_structure_with_the_same_siret_points_to_the_first():
    first = create_structure(factories.UserFactory(), **_fields())
    with pytest.raises(DuplicateStructure) as caught:
        create_structure(factories.UserFactory(), **_fields(siret=first.siret, name="Copie"))
    assert caught.value.existing == first
    assert first.name in caught.value.message_dict["siret"][0]
    assert first.__class__.objects.filter(siret=first.siret).count() == 1


@pytest.mark.django_db
def test_an_invalid_siret_or_esus_date_without_agrement_is_refused():
    creator = factories.UserFactory()
    with pytest.raises(ValidationError):
        create_structure(creator, **_fields(siret="73282932000075"))
    import datetime

    with pytest.raises(ValidationError):
        create_structure(
            creator, **_fields(esus_approved=False, esus_approved_on=datetime.date(2020, 1, 1))
        )
    assert not Membership.objects.filter(user=creator).exists()


@pytest.mark.django_db
def test_editors_and_staff_update_a_structure_but_viewers_may_not(structure, editor, viewer, staff):
    update_structure(structure, editor, name="Nouveau nom", employees=7)
    structure.refresh_from_db()
    assert (structure.name, structure.employees) == ("Nouveau nom", 7)
    update_structure(structure, staff, city="Orléans")
    with pytest.raises(PermissionDenied):
        update_structure(structure, viewer, name="Pirate")
    structure.refresh_from_db()
    assert structure.name == "Nouveau nom"
    assert structure.city == "Orléans"


@pytest.mark.django_db
def test_an_update_to_another_structures_siret_is_refused(structure, owner):
    other = factories.StructureFactory()
    with pytest.raises(DuplicateStructure) as caught:
        update_structure(structure, owner, siret=other.siret)
    assert caught.value.existing == other
    # Saving with its own SIRET is no duplicate.
    update_structure(structure, owner, siret=structure.siret, name="Même SIRET")


def _fullwidth(digits):
    return "".join(chr(ord(ch) + 0xFEE0) for ch in digits)


def _other_establishment(siret, nic="0002"):
    """Another SIRET of the same legal unit: same SIREN, another establishment number."""
    from stdnum import luhn

    body = siret[:9] + nic
    return body + luhn.calc_check_digit(body)


@pytest.mark.django_db
def test_a_siret_typed_in_full_width_digits_is_stored_compact_and_found_as_a_duplicate():
    creator = factories.UserFactory()
    siret = factories.valid_siret()
    structure = create_structure(
        creator, **_fields(siret=_fullwidth(siret), rna=_fullwidth("W451234567").lower())
    )
    assert (structure.siret, structure.rna) == (siret, "W451234567")
    structure.refresh_from_db()
    assert structure.siret == siret
    with pytest.raises(DuplicateStructure) as caught:
        create_structure(factories.UserFactory(), **_fields(siret=_fullwidth(siret)))
    assert caught.value.existing == structure
    assert Structure.objects.count() == 1


@pytest.mark.django_db
def test_the_siren_of_a_registered_siret_is_the_same_legal_unit_and_is_refused():
    registered = create_structure(factories.UserFactory(), **_fields())
    with pytest.raises(SameLegalUnit) as caught:
        create_structure(
            factories.UserFactory(),
            separate_establishment=True,
            **_fields(siret=registered.siret[:9], name="Copie"),
        )
    assert caught.value.existing == [registered]
    assert caught.value.may_separate is False
    assert registered.name in caught.value.message_dict["siret"][0]
    assert Structure.objects.count() == 1


@pytest.mark.django_db
def test_a_siret_of_a_legal_unit_registered_by_its_siren_is_refused():
    whole = create_structure(factories.UserFactory(), **_fields(siret=factories.valid_siret()[:9]))
    with pytest.raises(SameLegalUnit) as caught:
        create_structure(
            factories.UserFactory(),
            separate_establishment=True,
            **_fields(siret=_other_establishment(whole.siret + "00000")),
        )
    assert caught.value.existing == [whole]
    assert caught.value.may_separate is False
    assert Structure.objects.count() == 1


@pytest.mark.django_db
def test_another_establishment_is_registered_only_once_confirmed():
    first = create_structure(factories.UserFactory(), **_fields())
    second_siret = _other_establishment(first.siret)
    with pytest.raises(SameLegalUnit) as caught:
        create_structure(factories.UserFactory(), **_fields(siret=second_siret, name="Antenne"))
    assert caught.value.may_separate is True
    assert Structure.objects.count() == 1
    second = create_structure(
        factories.UserFactory(),
        separate_establishment=True,
        **_fields(siret=second_siret, name="Antenne"),
    )
    assert second.siren == first.siren
    # Confirming never lets the same SIRET in twice.
    with pytest.raises(DuplicateStructure):
        create_structure(
            factories.UserFactory(), separate_establishment=True, **_fields(siret=second_siret)
        )
    assert Structure.objects.count() == 2


@pytest.mark.django_db
def test_changing_a_siret_to_the_siren_of_another_structure_is_refused(structure, owner):
    other = factories.StructureFactory()
    with pytest.raises(SameLegalUnit):
        update_structure(structure, owner, siret=other.siret[:9], separate_establishment=True)
    structure.refresh_from_db()
    assert structure.siret != other.siret[:9]
