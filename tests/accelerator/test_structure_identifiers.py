"""One structure per SIRET however it is typed, the same legal unit (SIREN) pointed out on the
registration form and in the admin, and the migration that compacts stored identifiers."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from stdnum import luhn

from accelerator.models import Structure
from tests import factories
from tests.accelerator.test_structure_views import _form_data

pytestmark = pytest.mark.django_db

compaction = importlib.import_module("accelerator.migrations.0006_compact_structure_identifiers")


def fullwidth(text):
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def other_establishment(siret, nic="0002"):
    body = siret[:9] + nic
    return body + luhn.calc_check_digit(body)


# The registration form ----------------------------------------------------------------------------


def test_a_full_width_siret_of_a_registered_structure_offers_to_join_it(client_for, structure):
    response = client_for(factories.UserFactory()).post(
        reverse("accelerator:structure_create"),
        _form_data(siret=fullwidth(structure.siret), rna=fullwidth("w451234567"), name="Copie"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("accelerator:join_request", args=[structure.siret]) in page
    assert Structure.objects.count() == 1


def test_a_full_width_siret_is_stored_as_ascii_digits(client_for):
    siret = factories.valid_siret()
    response = client_for(factories.UserFactory()).post(
        reverse("accelerator:structure_create"),
        _form_data(siret=fullwidth(siret), rna=fullwidth("w451234567")),
    )
    assert response.status_code == 302
    assert Structure.objects.filter(siret=siret, rna="W451234567").exists()


def test_the_siren_of_a_registered_siret_names_it_and_offers_only_to_join(client_for, structure):
    url = reverse("accelerator:structure_create")
    client = client_for(factories.UserFactory())
    response = client.post(url, _form_data(siret=structure.siret[:9], name="Copie"))
    assert response.status_code == 200
    page = response.content.decode()
    assert structure.name in page
    assert reverse("accelerator:join_request", args=[structure.siret]) in page
    # A SIREN is the whole legal unit: no box lets it be registered a second time.
    assert 'name="separate_establishment"' not in page
    assert 'value="Copie"' in page
    response = client.post(
        url, _form_data(siret=structure.siret[:9], name="Copie", separate_establishment="on")
    )
    assert response.status_code == 200
    assert Structure.objects.count() == 1


def test_another_establishment_is_warned_then_registered_once_confirmed(client_for, structure):
    url = reverse("accelerator:structure_create")
    client = client_for(factories.UserFactory())
    siret = other_establishment(structure.siret)
    response = client.post(url, _form_data(siret=siret, name="Antenne de Tours"))
    assert response.status_code == 200
    page = response.content.decode()
    assert structure.name in page
    assert reverse("accelerator:join_request", args=[structure.siret]) in page
    assert 'name="separate_establishment"' in page
    assert Structure.objects.count() == 1
    response = client.post(
        url, _form_data(siret=siret, name="Antenne de Tours", separate_establishment="on")
    )
    assert response.status_code == 302
    assert Structure.objects.get(siret=siret).name == "Antenne de Tours"


def test_editing_other_fields_of_a_structure_beside_its_establishments_is_not_blocked(
    client_for, structure, owner
):
    sibling = factories.StructureFactory(siret=other_establishment(structure.siret))
    response = client_for(owner).post(
        reverse("accelerator:structure_edit", args=[structure.pk]),
        _form_data(siret=structure.siret, name="Nouveau nom"),
    )
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.name == "Nouveau nom"
    assert sibling.siret[:9] == structure.siret[:9]


# The admin ------------------------------------------------------------------------------------


def _admin_data(**overrides):
    data = {
        "name": "Saisie par l'équipe",
        "legal_form": "association",
        "siret": factories.valid_siret(),
        "rna": "",
        "address": "",
        "postcode": "",
        "city": "",
        "department": factories.department("45", "Loiret").pk,
        "creation_year": "2016",
        "annual_budget": "",
        "employees": "",
        "website": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_the_admin_stores_compact_identifiers_and_refuses_a_full_width_duplicate(client, structure):
    client.force_login(factories.StaffFactory(is_superuser=True))
    add = reverse("wagtailsnippets_accelerator_structure:add")
    response = client.post(add, _admin_data(siret=fullwidth(structure.siret)))
    assert response.status_code == 200
    assert structure.name in response.content.decode()
    assert Structure.objects.count() == 1
    siret = factories.valid_siret()
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    response = client.post(add, _admin_data(siret=fullwidth(spaced), rna="w 451 234 567"))
    assert response.status_code == 302
    assert Structure.objects.filter(siret=siret, rna="W451234567").exists()


def test_the_admin_registers_another_establishment_but_not_a_siren_beside_it(client, structure):
    client.force_login(factories.StaffFactory(is_superuser=True))
    add = reverse("wagtailsnippets_accelerator_structure:add")
    response = client.post(add, _admin_data(siret=structure.siret[:9]))
    assert response.status_code == 200
    assert Structure.objects.count() == 1
    response = client.post(add, _admin_data(siret=other_establishment(structure.siret)))
    assert response.status_code == 302
    assert Structure.objects.count() == 2


# The migration --------------------------------------------------------------------------------


def test_the_migration_compacts_identifiers_and_skips_collisions_with_a_reason(capsys):
    kept = factories.StructureFactory(name="Déjà compacte")
    # Stored as typed by the old code, bypassing the model's clean().
    twin = factories.StructureFactory(name="Jumelle pleine chasse")
    Structure.objects.filter(pk=twin.pk).update(siret=fullwidth(kept.siret))
    siret = factories.valid_siret()
    first = factories.StructureFactory(name="Première")
    second = factories.StructureFactory(name="Seconde")
    Structure.objects.filter(pk=first.pk).update(siret=fullwidth(siret), rna="w451234567")
    # Fourteen characters at most: PostgreSQL's column refuses anything longer.
    half_wide = fullwidth(siret[:9]) + siret[9:]
    Structure.objects.filter(pk=second.pk).update(siret=half_wide)

    skipped = compaction.compact_identifiers(apps, None)

    stored = dict(Structure.objects.values_list("pk", "siret"))
    assert stored[kept.pk] == kept.siret
    assert stored[twin.pk] == fullwidth(kept.siret)
    assert stored[first.pk] == siret
    assert stored[second.pk] == half_wide
    assert Structure.objects.get(pk=first.pk).rna == "W451234567"
    assert len(skipped) == 2
    assert f"#{twin.pk} “Jumelle pleine chasse”" in skipped[0]
    assert f"structure #{kept.pk} “Déjà compacte”" in skipped[0]
    assert f"structure #{first.pk} “Première”" in skipped[1]
    assert "merge the two structures by hand" in capsys.readouterr().err
    # Run again (after people merged nothing), it changes nothing and says the same.
    assert compaction.compact_identifiers(apps, None) == skipped
