import pytest
from django.urls import reverse

from accelerator.models import (
    Accompaniment,
    Cohort,
    JoinRequest,
    MemberRole,
    Membership,
    Structure,
)
from tests import factories
from workers.models import OutboxMessage


def _form_data(**overrides):
    data = {
        "name": "Tiers-lieu des Tanneurs",
        "legal_form": "association",
        "siret": factories.valid_siret(),
        "rna": "w451234567",
        "address": "3 rue des Tanneurs",
        "postcode": "45000",
        "city": "Orléans",
        "department": factories.department("45", "Loiret").pk,
        "creation_year": "2016",
        "annual_budget": "185 000,50",
        "employees": "6",
        "website": "tanneurs.example.org",
        "description": "Un tiers-lieu de réemploi.",
    }
    data.update(overrides)
    return data


# Registering ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registering_a_structure_makes_the_creator_its_owner(client_for):
    creator = factories.UserFactory()
    client = client_for(creator)
    siret = factories.valid_siret()
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    response = client.post(reverse("accelerator:structure_create"), _form_data(siret=spaced))
    structure = Structure.objects.get(siret=siret)
    assert response.status_code == 302
    assert response["Location"] == reverse("accelerator:members", args=[structure.pk])
    assert Membership.objects.get(structure=structure).user == creator
    assert Membership.objects.get(structure=structure).role == MemberRole.OWNER
    assert str(structure.annual_budget) == "185000.50"
    assert structure.rna == "W451234567"
    assert structure.website == "https://tanneurs.example.org"


@pytest.mark.django_db
def test_the_la_poste_siret_that_fails_luhn_is_accepted(client_for):
    client = client_for(factories.UserFactory())
    response = client.post(
        reverse("accelerator:structure_create"), _form_data(siret="356 000 000 00001")
    )
    assert response.status_code == 302
    assert Structure.objects.filter(siret="35600000000001").exists()


@pytest.mark.django_db
def test_a_wrong_siret_is_explained_and_everything_typed_is_kept(client_for):
    client = client_for(factories.UserFactory())
    siret = factories.valid_siret()
    wrong = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    response = client.post(
        reverse("accelerator:structure_create"), _form_data(siret=wrong, employees="6")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "check digit is wrong" in page
    assert 'value="Tiers-lieu des Tanneurs"' in page
    assert "Un tiers-lieu de réemploi." in page
    assert "field--error" in page
    assert not Structure.objects.exists()


@pytest.mark.django_db
def test_a_siret_of_the_wrong_length_is_explained(client_for):
    client = client_for(factories.UserFactory())
    response = client.post(reverse("accelerator:structure_create"), _form_data(siret="1234567890"))
    assert "A SIREN has 9 digits and a SIRET 14; this number has 10." in response.content.decode()


@pytest.mark.django_db
def test_esus_date_rules_are_explained(client_for):
    client = client_for(factories.UserFactory())
    url = reverse("accelerator:structure_create")
    response = client.post(url, _form_data(esus_approved_on="2020-05-04"))
    assert "A date is given only with the ESUS agrément" in response.content.decode()
    response = client.post(url, _form_data(esus_approved="on"))
    assert "Please give the date of the ESUS agrément." in response.content.decode()
    response = client.post(url, _form_data(legal_form="esus_company"))
    assert "only with the ESUS agrément" in response.content.decode()
    assert not Structure.objects.exists()
    response = client.post(
        url,
        _form_data(legal_form="esus_company", esus_approved="on", esus_approved_on="2020-05-04"),
    )
    assert response.status_code == 302
    assert Structure.objects.get().esus_approved_on.isoformat() == "2020-05-04"


@pytest.mark.django_db
def test_a_taken_siret_offers_to_ask_to_join_instead_of_a_duplicate(client_for, structure, owner):
    client = client_for(factories.UserFactory())
    response = client.post(
        reverse("accelerator:structure_create"), _form_data(siret=structure.siret, name="Copie")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "already registered on Essor" in page
    assert reverse("accelerator:join_request", args=[structure.siret]) in page
    assert 'value="Copie"' in page
    assert Structure.objects.count() == 1


@pytest.mark.django_db
def test_asking_to_join_a_registered_structure(client_for, structure, owner):
    requester = factories.UserFactory()
    client = client_for(requester)
    url = reverse("accelerator:join_request", args=[structure.siret])
    page = client.get(url)
    assert page.status_code == 200
    assert structure.name in page.content.decode()
    response = client.post(url, {"message": "Je suis la trésorière."})
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(structure=structure, user=requester)
    assert join_request.message == "Je suis la trésorière."
    assert OutboxMessage.objects.filter(to=owner.email).exists()
    # Asking again shows the pending request and adds nothing.
    page = client.get(url)
    assert "You asked to join on" in page.content.decode()
    client.post(url, {"message": "Encore"})
    assert JoinRequest.objects.count() == 1


@pytest.mark.django_db
def test_the_join_page_needs_a_registered_siret_and_a_login(client_for, structure, viewer):
    assert (
        client_for(None)
        .get(reverse("accelerator:join_request", args=[structure.siret]))
        .status_code
        == 302
    )
    client = client_for(factories.UserFactory())
    missing = client.get(reverse("accelerator:join_request", args=[factories.valid_siret()]))
    assert missing.status_code == 404
    member = client_for(viewer).get(reverse("accelerator:join_request", args=[structure.siret]))
    assert member["Location"] == reverse("accelerator:structure", args=[structure.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "outsider", "staff", "owner"])
def test_anyone_logged_in_may_open_the_registration_form(client_for, people, who):
    response = client_for(people[who]).get(reverse("accelerator:structure_create"))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 200
        assert 'name="siret"' in response.content.decode()


# Reading and editing ----------------------------------------------------------------------------

DETAIL_STATUS = {
    "anonymous": 302,
    "outsider": 404,
    "viewer": 200,
    "editor": 200,
    "owner": 200,
    "staff": 200,
    # The `structure` is in no cohort: its département's support point does not see it.
    "support_point": 404,
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", DETAIL_STATUS)
def test_who_sees_a_structure(client_for, people, structure, who):
    response = client_for(people[who]).get(reverse("accelerator:structure", args=[structure.pk]))
    assert response.status_code == DETAIL_STATUS[who]
    if response.status_code == 200:
        assert structure.siret in response.content.decode()


@pytest.mark.django_db
def test_a_support_point_of_another_departement_does_not_see_the_structure(
    client_for, structure, far_support_point_user
):
    client = client_for(far_support_point_user)
    assert client.get(reverse("accelerator:structure", args=[structure.pk])).status_code == 404


EDIT_STATUS = {
    "anonymous": 302,
    "outsider": 404,
    "viewer": 403,
    "editor": 200,
    "owner": 200,
    "staff": 200,
    "support_point": 404,
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", EDIT_STATUS)
def test_who_may_edit_a_structure(client_for, people, structure, who):
    client = client_for(people[who])
    url = reverse("accelerator:structure_edit", args=[structure.pk])
    assert client.get(url).status_code == EDIT_STATUS[who]
    data = _form_data(siret=structure.siret, name=f"Édité par {who}")
    response = client.post(url, data)
    structure.refresh_from_db()
    if EDIT_STATUS[who] == 200:
        assert response.status_code == 302
        assert structure.name == f"Édité par {who}"
    else:
        assert response.status_code == EDIT_STATUS[who]
        assert structure.name != f"Édité par {who}"


@pytest.mark.django_db
def test_editing_to_another_structures_siret_is_refused_with_a_join_link(
    client_for, structure, owner
):
    other = factories.StructureFactory()
    response = client_for(owner).post(
        reverse("accelerator:structure_edit", args=[structure.pk]),
        _form_data(siret=other.siret),
    )
    assert response.status_code == 200
    assert reverse("accelerator:join_request", args=[other.siret]) in response.content.decode()
    structure.refresh_from_db()
    assert structure.siret != other.siret


@pytest.mark.django_db
def test_the_detail_page_offers_edit_only_to_those_who_may(client_for, structure, viewer, editor):
    edit_url = reverse("accelerator:structure_edit", args=[structure.pk])
    detail_url = reverse("accelerator:structure", args=[structure.pk])
    assert edit_url not in client_for(viewer).get(detail_url).content.decode()
    assert edit_url in client_for(editor).get(detail_url).content.decode()


def test_an_accompanied_structure_links_to_its_journey(client_for, structure, owner):
    journey = reverse("accelerator:structure_journey", args=[structure.pk])
    page = reverse("accelerator:structure", args=[structure.pk])
    assert journey not in client_for(owner).get(page).content.decode()
    cohort = Cohort.objects.create(
        programme=factories.ProgrammeFactory(), name="Cohorte 2026", year=2026
    )
    Accompaniment.objects.create(cohort=cohort, structure=structure, source="event")
    assert journey in client_for(owner).get(page).content.decode()
