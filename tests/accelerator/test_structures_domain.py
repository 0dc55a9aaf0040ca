from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accelerator.domain.structures import DuplicateStructure, create_structure, update_structure
from accelerator.models import LegalForm, MemberRole, Membership
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
    assert first.name in caught.value.message
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
