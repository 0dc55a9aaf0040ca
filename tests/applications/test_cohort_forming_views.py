"""Staff form a cohort from a call's selected dossiers: into a cohort they run or a new one, the
capacity refusal shown in place, every role checked, the page in constant queries."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accelerator.models import Accompaniment, Cohort, Programme
from tests import factories


@pytest.fixture
def call(db):
    return factories.make_call(title="Appel Accélération")


@pytest.fixture
def programme(call):
    return call.programme


def selected(call, name=None, **fields):
    structure = factories.StructureFactory(**({"name": name} if name else {}))
    return factories.make_dossier(call=call, structure=structure, state="selected", **fields)


def page(call):
    return reverse("applications:staff_call_cohort", args=[call.pk])


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def cohort_of(programme, **fields):
    values = {"name": "Cohorte 2026", "year": 2026, "capacity": 15}
    values.update(fields)
    return Cohort.objects.create(programme=programme, **values)


def new_cohort(**overrides):
    data = {
        "cohort": "new",
        "name": "Cohorte 2027",
        "year": "2027",
        "capacity": "15",
        "starts_on": "2027-01-11",
        "ends_on": "2028-06-30",
    }
    data.update(overrides)
    return data


# --- who may


@pytest.fixture
def roles(call, structure, owner, editor, viewer, outsider, staff, manager):
    support_point_user = factories.UserFactory()
    factories.SupportPointFactory(department=structure.department).members.add(support_point_user)
    referent = factories.StaffFactory()
    cohort_of(call.programme, name="Cohorte suivie").referents.add(referent)
    other_manager = factories.ManagerFactory(
        programme=Programme.objects.create(name="Autre programme", slug="autre")
    )
    return {
        "anonymous": None,
        "outsider": outsider,
        "viewer": viewer,
        "editor": editor,
        "owner": owner,
        "support_point": support_point_user,
        "staff": staff,
        "manager_of_another_programme": other_manager,
        "manager": manager,
        "referent": referent,
        "superuser": factories.StaffFactory(is_superuser=True),
    }


EXPECTED = {
    "anonymous": 302,
    "outsider": 403,
    "viewer": 403,
    "editor": 403,
    "owner": 403,
    "support_point": 403,
    "staff": 403,
    "manager_of_another_programme": 403,
    "manager": 200,
    "referent": 200,
    "superuser": 200,
}


@pytest.mark.parametrize(("role", "status"), EXPECTED.items())
def test_who_reaches_the_page(call, roles, role, status):
    selected(call)
    response = client_for(roles[role]).get(page(call))
    assert response.status_code == status
    if role == "anonymous":
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", [r for r, status in EXPECTED.items() if status != 200])
def test_a_post_of_those_who_may_not_changes_nothing(call, roles, role):
    selected(call)
    cohort = Cohort.objects.get(name="Cohorte suivie")
    client = client_for(roles[role])
    response = client.post(page(call), {"cohort": str(cohort.pk)})
    assert response.status_code in (302, 403)
    assert response.status_code == 302 or not Accompaniment.objects.exists()
    response = client.post(page(call), new_cohort())
    assert not Accompaniment.objects.exists()
    assert not Cohort.objects.filter(name="Cohorte 2027").exists()


def test_the_call_nav_links_to_the_page(call, manager):
    response = client_for(manager).get(reverse("applications:staff_dossiers", args=[call.pk]))
    assert page(call) in response.content.decode()


# --- what the page shows


def test_the_page_lists_the_selected_dossiers_and_where_they_already_are(call, manager):
    first = selected(call, name="Vierzon Solidaire Mobilité")
    second = selected(call, name="Blois Solidarités Alimentaires")
    factories.make_dossier(
        call=call, structure=factories.StructureFactory(name="Refusée"), state="rejected"
    )
    cohort = cohort_of(call.programme, name="Cohorte pilote")
    Accompaniment.objects.create(
        cohort=cohort, structure=first.structure, source="call", source_reference=first.reference
    )

    response = client_for(manager).get(page(call))

    html = response.content.decode()
    assert "2 selected dossiers" in html
    assert first.reference in html and second.reference in html
    assert "Vierzon Solidaire Mobilité" in html and "Refusée" not in html
    assert "45 Loiret" in html
    assert reverse("accelerator:cohort_board", args=[cohort.pk]) in html
    # A manager picks one of the programme's cohorts, with its places, or creates one.
    choices = dict(response.context["form"].fields["cohort"].choices)
    assert choices[str(cohort.pk)] == "Cohorte pilote (2026): 1 of 15 places taken"
    assert "new" in choices


def test_a_referent_fills_only_the_cohorts_they_follow(call, programme):
    referent = factories.StaffFactory()
    theirs = cohort_of(programme, name="Cohorte suivie")
    theirs.referents.add(referent)
    others = cohort_of(programme, name="Cohorte d'une autre")
    selected(call)
    client = client_for(referent)

    form = client.get(page(call)).context["form"]
    assert list(dict(form.fields["cohort"].choices)) == [str(theirs.pk)]
    assert "name" not in form.fields

    for choice in ("new", str(others.pk)):
        response = client.post(page(call), new_cohort(cohort=choice))
        assert response.status_code == 200
        assert "cohort" in response.context["form"].errors
    assert not Accompaniment.objects.exists()

    response = client.post(page(call), {"cohort": str(theirs.pk)})
    assert response.status_code == 302
    assert Accompaniment.objects.get().cohort == theirs


def test_a_call_without_selected_dossiers_offers_no_form(call, manager):
    factories.make_dossier(call=call, state="waitlisted")
    client = client_for(manager)
    response = client.get(page(call))
    assert "No dossier of this call is selected yet" in response.content.decode()
    response = client.post(page(call), new_cohort())
    assert response.status_code == 200
    assert "nobody can join yet" in response.content.decode()
    assert not Cohort.objects.exists()


# --- forming


def test_the_selection_joins_an_existing_cohort(call, manager):
    dossiers = [selected(call), selected(call)]
    cohort = cohort_of(call.programme)

    response = client_for(manager).post(page(call), {"cohort": str(cohort.pk)})

    assert response.status_code == 302
    assert response.url == reverse("accelerator:cohort_board", args=[cohort.pk])
    rows = Accompaniment.objects.filter(cohort=cohort).order_by("source_reference")
    assert [(a.structure, a.source, a.source_reference, a.stage) for a in rows] == [
        (d.structure, "call", d.reference, "sourcing") for d in dossiers
    ]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 structures joined the cohort “Cohorte 2026”, in sourcing."
    ]


def test_forming_again_tells_that_nothing_changed(call, manager):
    selected(call)
    cohort = cohort_of(call.programme)
    client = client_for(manager)
    client.post(page(call), {"cohort": str(cohort.pk)})
    response = client.post(page(call), {"cohort": str(cohort.pk)})
    assert response.status_code == 302
    assert "was already in the cohort" in str(list(get_messages(response.wsgi_request))[-1])
    assert Accompaniment.objects.count() == 1


def test_the_selection_joins_a_cohort_created_on_the_spot(call, manager):
    dossier = selected(call)

    response = client_for(manager).post(page(call), new_cohort())

    cohort = Cohort.objects.get(name="Cohorte 2027")
    assert response.status_code == 302
    assert response.url == reverse("accelerator:cohort_board", args=[cohort.pk])
    assert (cohort.programme, cohort.year, cohort.capacity) == (call.programme, 2027, 15)
    assert (cohort.starts_on, cohort.ends_on) == (
        datetime.date(2027, 1, 11),
        datetime.date(2028, 6, 30),
    )
    assert Accompaniment.objects.get().structure == dossier.structure
    assert "1 structure joined the cohort “Cohorte 2027”" in str(
        list(get_messages(response.wsgi_request))[0]
    )


def test_a_full_cohort_is_refused_in_place_and_the_new_one_is_not_kept(call, manager):
    for _ in range(3):
        selected(call)

    response = client_for(manager).post(page(call), new_cohort(capacity="2"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "has 2 places and 0 are taken: 3 more structures do not fit" in html
    # What was typed stays in the form.
    assert 'value="Cohorte 2027"' in html and 'value="2028-06-30"' in html
    assert not Cohort.objects.exists()
    assert not Accompaniment.objects.exists()


def test_an_existing_full_cohort_is_refused_in_place(call, manager):
    selected(call)
    selected(call)
    cohort = cohort_of(call.programme, capacity=1)
    response = client_for(manager).post(page(call), {"cohort": str(cohort.pk)})
    assert response.status_code == 200
    assert "has 1 places and 0 are taken: 2 more structures do not fit" in (
        response.content.decode()
    )
    assert response.context["form"]["cohort"].value() == str(cohort.pk)
    assert not Accompaniment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Needed to create the new cohort."),
        ({"capacity": ""}, "capacity", "Needed to create the new cohort."),
        ({"capacity": "0"}, "capacity", "A cohort has between 1 and 1000 places."),
        ({"year": "26"}, "year", "Give the year of the cohort"),
        ({"ends_on": "2026-12-31"}, "ends_on", "The cohort cannot end before it starts."),
    ],
)
def test_a_new_cohort_that_does_not_hold_is_refused_field_by_field(
    call, manager, overrides, field, message
):
    selected(call)
    response = client_for(manager).post(page(call), new_cohort(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Cohort.objects.exists()


# --- queries


def test_the_page_runs_the_same_queries_for_one_or_many_dossiers(call, manager):
    client = client_for(manager)
    cohort = cohort_of(call.programme, capacity=40)
    cohort_of(call.programme, name="Cohorte pilote")

    def add_dossier():
        dossier = selected(call)
        Accompaniment.objects.create(cohort=cohort, structure=dossier.structure, source="call")

    def count():
        client.get(page(call))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(call)).status_code == 200
        return len(queries)

    add_dossier()
    one = count()
    for _ in range(19):
        add_dossier()
    many = count()
    assert len(client.get(page(call)).context["dossiers"]) == 20
    assert many == one
