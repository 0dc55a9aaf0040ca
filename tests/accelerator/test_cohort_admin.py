"""Staff add to a cohort a structure sourced outside any call: found by name or SIRET, with its
source and référent; capacity refused in place; every role checked; results in constant queries."""

import datetime
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accelerator.domain.cohorts import create_cohort
from accelerator.models import Accompaniment, Cohort, Milestone, MilestoneTemplate, Programme
from tests import factories


@pytest.fixture
def cohort(db):
    return Cohort.objects.create(
        programme=factories.ProgrammeFactory(), name="Cohorte 2026", year=2026, capacity=3
    )


def page(cohort, **query):
    url = reverse("accelerator:cohort_add_structure", args=[cohort.pk])
    if query:
        url += "?" + urlencode(query)
    return url


def adding(newcomer, **overrides):
    data = {
        "q": newcomer.name,
        "structure": str(newcomer.pk),
        "source": "innovation_lab",
        "source_reference": "Lab d'innovation sociale du Cher, session de mars",
        "referent": "",
    }
    data.update(overrides)
    return data


# --- who may


@pytest.fixture
def roles(people, far_support_point_user, manager, cohort):
    referent = factories.StaffFactory()
    cohort.referents.add(referent)
    other_manager = factories.ManagerFactory(
        programme=Programme.objects.create(name="Autre programme", slug="autre")
    )
    return {
        **people,
        "far_support_point": far_support_point_user,
        "manager_of_another_programme": other_manager,
        "manager": manager,
        "referent": referent,
        "superuser": factories.StaffFactory(is_superuser=True),
    }


EXPECTED = {
    "anonymous": 302,
    "outsider": 404,
    "viewer": 404,
    "editor": 404,
    "owner": 404,
    "support_point": 403,
    "far_support_point": 403,
    "staff": 403,
    "manager_of_another_programme": 403,
    "manager": 200,
    "referent": 200,
    "superuser": 200,
}


@pytest.mark.parametrize(("role", "status"), EXPECTED.items())
def test_who_reaches_the_page(client_for, roles, cohort, structure, role, status):
    response = client_for(roles[role]).get(page(cohort, q=structure.name))
    assert response.status_code == status
    if role == "anonymous":
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(("role", "status"), EXPECTED.items())
def test_who_adds_a_structure(client_for, roles, cohort, role, status):
    newcomer = factories.StructureFactory(name="Le Panier Berrichon")
    response = client_for(roles[role]).post(page(cohort), adding(newcomer))
    if status == 200:
        assert response.status_code == 302
        assert Accompaniment.objects.get(cohort=cohort).structure == newcomer
    else:
        assert response.status_code == status
        assert not Accompaniment.objects.exists()


def test_an_unknown_cohort_is_not_found(client_for, manager):
    assert client_for(manager).get("/cohorts/999999/add/").status_code == 404


# --- finding the structure


def test_structures_are_found_by_part_of_their_name_or_their_siret(client_for, manager, cohort):
    jardins = factories.StructureFactory(name="Les Jardins d'insertion de l'Yèvre")
    factories.StructureFactory(name="Le Panier Berrichon")
    client = client_for(manager)

    found = client.get(page(cohort, q="jardins d'INSERTION")).context["results"]
    assert [structure.name for structure in found] == [jardins.name]

    spaced = f"{jardins.siret[:3]} {jardins.siret[3:6]} {jardins.siret[6:9]} {jardins.siret[9:]}"
    found = client.get(page(cohort, q=spaced)).context["results"]
    assert [structure.pk for structure in found] == [jardins.pk]

    response = client.get(page(cohort, q="Introuvable"))
    assert response.context["results"] == []
    assert "No structure matches “Introuvable”." in response.content.decode()


def test_structures_already_in_the_cohort_are_marked_and_cannot_be_chosen(
    client_for, manager, cohort
):
    inside = factories.StructureFactory(name="Coopérative A")
    outside = factories.StructureFactory(name="Coopérative B")
    Accompaniment.objects.create(cohort=cohort, structure=inside, source="event")

    response = client_for(manager).get(page(cohort, q="Coopérative"))

    assert [(s.name, s.in_cohort) for s in response.context["results"]] == [
        ("Coopérative A", True),
        ("Coopérative B", False),
    ]
    html = response.content.decode()
    assert f'value="{inside.pk}" id="structure-{inside.pk}" disabled' in html
    assert f'value="{outside.pk}" id="structure-{outside.pk}">' in html

    response = client_for(manager).post(page(cohort), adding(inside))
    assert response.status_code == 200
    assert response.context["form"].errors["structure"] == [
        "Coopérative A is already in this cohort."
    ]


# --- adding


def test_a_manager_adds_a_structure_with_its_source_and_referent(client_for, manager, cohort):
    MilestoneTemplate.objects.create(
        programme=cohort.programme,
        stage="sourcing",
        title="Diagnostic partagé",
        kind="diagnostic",
        due_after_days=21,
    )
    referent = factories.StaffFactory(first_name="Claire", last_name="Fontaine")
    newcomer = factories.StructureFactory(name="Les Jardins d'insertion de l'Yèvre")
    client = client_for(manager)

    form = client.get(page(cohort, q="Jardins")).content.decode()
    assert "Claire Fontaine" in form and 'name="referent"' in form
    assert 'value="call"' not in form

    response = client.post(page(cohort), adding(newcomer, referent=str(referent.pk)))

    assert response.status_code == 302
    assert response.url == reverse("accelerator:cohort_board", args=[cohort.pk])
    accompaniment = Accompaniment.objects.get(cohort=cohort)
    assert (
        accompaniment.structure,
        accompaniment.source,
        accompaniment.source_reference,
        accompaniment.stage,
        accompaniment.referent,
    ) == (
        newcomer,
        "innovation_lab",
        "Lab d'innovation sociale du Cher, session de mars",
        "sourcing",
        referent,
    )
    # Entering sourcing opened the programme's milestones.
    assert Milestone.objects.get(accompaniment=accompaniment).title == "Diagnostic partagé"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Les Jardins d'insertion de l'Yèvre joined the cohort “Cohorte 2026”, in sourcing."
    ]


def test_a_referent_of_the_cohort_adds_without_choosing_a_referent(client_for, cohort):
    referent = factories.StaffFactory()
    cohort.referents.add(referent)
    newcomer = factories.StructureFactory(name="SCIC Loches Énergie Partagée")
    client = client_for(referent)

    response = client.get(page(cohort, q="Loches"))
    assert "referent" not in response.context["form"].fields
    assert 'name="referent"' not in response.content.decode()

    response = client.post(page(cohort), adding(newcomer, source="partner_network"))
    assert response.status_code == 302
    accompaniment = Accompaniment.objects.get()
    assert (accompaniment.source, accompaniment.referent) == ("partner_network", None)


def test_a_full_cohort_is_refused_in_place_with_the_choice_kept(client_for, manager, cohort):
    for _ in range(3):
        Accompaniment.objects.create(
            cohort=cohort, structure=factories.StructureFactory(), source="event"
        )
    newcomer = factories.StructureFactory(name="Le Panier Berrichon")

    response = client_for(manager).post(page(cohort), adding(newcomer, q="Panier"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "has 3 places and 3 are taken: 1 more structures do not fit" in html
    assert f'value="{newcomer.pk}" id="structure-{newcomer.pk}" checked' in html
    assert "session de mars" in html
    assert Accompaniment.objects.filter(structure=newcomer).count() == 0


def test_the_chosen_structure_stays_when_the_search_no_longer_finds_it(client_for, manager, cohort):
    newcomer = factories.StructureFactory(name="Le Panier Berrichon")
    response = client_for(manager).post(page(cohort), adding(newcomer, q="autre chose", source=""))
    assert response.status_code == 200
    assert [s.pk for s in response.context["results"]] == [newcomer.pk]
    assert "source" in response.context["form"].errors


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"structure": ""}, "structure"),
        ({"structure": "999999"}, "structure"),
        ({"source": "call"}, "source"),
        ({"source": ""}, "source"),
    ],
)
def test_what_does_not_make_an_addition_is_refused_in_place(
    client_for, manager, cohort, overrides, field
):
    newcomer = factories.StructureFactory()
    response = client_for(manager).post(page(cohort), adding(newcomer, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert not Accompaniment.objects.exists()


def test_a_referent_who_is_not_staff_is_refused(client_for, manager, cohort):
    newcomer = factories.StructureFactory()
    applicant = factories.UserFactory()
    response = client_for(manager).post(page(cohort), adding(newcomer, referent=str(applicant.pk)))
    assert response.status_code == 200
    assert "referent" in response.context["form"].errors
    assert not Accompaniment.objects.exists()


# --- queries


def test_the_results_run_the_same_queries_for_one_or_many_structures(
    client_for, manager, cohort, count_queries
):
    client = client_for(manager)
    url = page(cohort, q="Ressourcerie")
    first = factories.StructureFactory(name="Ressourcerie 0")
    Accompaniment.objects.create(cohort=cohort, structure=first, source="event")
    one = count_queries(client, url)
    for number in range(1, 20):
        factories.StructureFactory(name=f"Ressourcerie {number}")
    many = count_queries(client, url)
    response = client.get(url)
    assert len(response.context["results"]) == 20
    assert "Only the first 20 structures found are shown" in response.content.decode()
    assert many == one


# --- creating a cohort (the domain behind the call's cohort page)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("outsider", False),
        ("owner", False),
        ("support_point", False),
        ("staff", False),
        ("referent", False),
        ("manager_of_another_programme", False),
        ("manager", True),
        ("superuser", True),
    ],
)
def test_only_managers_of_the_programme_and_superusers_create_a_cohort(
    roles, cohort, role, allowed
):
    programme = cohort.programme
    if allowed:
        created = create_cohort(programme, roles[role], name=" Cohorte 2027 ", year=2027)
        assert (created.programme, created.name, created.capacity) == (
            programme,
            "Cohorte 2027",
            15,
        )
    else:
        with pytest.raises(PermissionDenied):
            create_cohort(programme, roles[role], name="Cohorte 2027", year=2027)
        assert not Cohort.objects.filter(name="Cohorte 2027").exists()


def test_a_cohort_is_created_with_its_dates_and_staff_referents(manager, cohort):
    referent = factories.StaffFactory()
    created = create_cohort(
        cohort.programme,
        manager,
        name="Cohorte 2027",
        year=2027,
        capacity=12,
        starts_on=datetime.date(2027, 1, 11),
        ends_on=datetime.date(2028, 6, 30),
        referents=[referent],
    )
    assert created.capacity == 12 and list(created.referents.all()) == [referent]
    assert referent.has_perm("accelerator.manage_cohort", created)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"year": None}, "year"),
        ({"year": 26}, "year"),
        ({"capacity": 0}, "capacity"),
        ({"ends_on": datetime.date(2026, 12, 31)}, "ends_on"),
        ({"referents": "applicant"}, "referents"),
    ],
)
def test_what_does_not_make_a_cohort_is_refused_by_field(manager, cohort, fields, field):
    values = {
        "name": "Cohorte 2027",
        "year": 2027,
        "starts_on": datetime.date(2027, 1, 11),
        "ends_on": datetime.date(2028, 6, 30),
    }
    values.update(fields)
    if values.get("referents") == "applicant":
        values["referents"] = [factories.UserFactory()]
    with pytest.raises(ValidationError) as refused:
        create_cohort(cohort.programme, manager, **values)
    assert list(refused.value.message_dict) == [field]
    assert Cohort.objects.count() == 1
