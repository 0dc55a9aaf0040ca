"""What a support point ("point d'appui") sees: the structures accompanied in its territory, not
the others of its département, nothing of another département; of the people, the contacts only."""

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.urls import reverse

from accelerator import migrations
from accelerator.domain.followup import set_milestone_status
from accelerator.domain.journey import change_stage
from accelerator.domain.obstacles import report_obstacle
from accelerator.domain.structures import create_structure
from accelerator.models import Accompaniment, MemberRole, Membership, Milestone, Stage
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment

CONTACT = {"first_name": "Clarisse", "last_name": "Contactée", "email": "clarisse@asso.example"}
HIDDEN = {"first_name": "Norbert", "last_name": "Discret", "email": "norbert@asso.example"}


def person(role, structure, is_contact, **names):
    user = factories.UserFactory(**names)
    Membership.objects.create(structure=structure, user=user, role=role, is_contact=is_contact)
    return user


@pytest.fixture
def loiret(db):
    return factories.department("45", "Loiret")


@pytest.fixture
def accompanied(loiret):
    """A structure of Loiret in a cohort, with a contact (its owner) and an editor who is none;
    the editor reported an obstacle and closed a milestone, so their name is on the timeline."""
    structure = factories.StructureFactory(department=loiret, name="Accompagnée")
    person(MemberRole.OWNER, structure, True, **CONTACT)
    editor = person(MemberRole.EDITOR, structure, False, **HIDDEN)
    accompaniment = make_accompaniment(structure, Stage.SOURCING)
    report_obstacle(accompaniment, editor, "Décret 2021-1", "Les embauches.")
    milestone = Milestone.objects.create(
        accompaniment=accompaniment, stage=Stage.SOURCING, title="Bilan", owner="structure"
    )
    set_milestone_status(milestone, Milestone.Status.DONE, editor)
    return accompaniment


@pytest.fixture
def unaccompanied(loiret):
    """A structure of the same département that is in no cohort."""
    structure = factories.StructureFactory(department=loiret, name="Candidate seulement")
    person(MemberRole.OWNER, structure, True, first_name="Olga", email="olga@solo.example")
    return structure


@pytest.fixture
def local(loiret):
    user = factories.UserFactory()
    factories.SupportPointFactory(department=loiret).members.add(user)
    return user


@pytest.fixture
def far(db):
    user = factories.UserFactory()
    factories.SupportPointFactory(department=factories.department("18", "Cher")).members.add(user)
    return user


def pages(accompaniment):
    structure = accompaniment.structure
    return {
        "structure": reverse("accelerator:structure", args=[structure.pk]),
        "members": reverse("accelerator:members", args=[structure.pk]),
        "journey": reverse("accelerator:structure_journey", args=[structure.pk]),
        "accompaniment": reverse("accelerator:accompaniment", args=[accompaniment.pk]),
        "board": reverse("accelerator:cohort_board", args=[accompaniment.cohort_id]),
        "obstacle": reverse("accelerator:obstacle", args=[accompaniment.obstacles.get().pk]),
    }


def assert_no_hidden_person(html):
    assert HIDDEN["email"] not in html
    assert HIDDEN["last_name"] not in html


# --- the support point of the territory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("structure", 200),
        ("journey", 200),
        ("accompaniment", 200),
        ("board", 200),
        ("obstacle", 200),
        # The full list of members is the structure's and the staff's: the contacts are on the
        # structure's and the accompaniment's pages.
        ("members", 403),
    ],
)
def test_the_local_support_point_reads_an_accompanied_structure_without_its_other_people(
    accompanied, local, client_for, page, expected
):
    response = client_for(local).get(pages(accompanied)[page])
    assert response.status_code == expected
    assert_no_hidden_person(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["structure", "accompaniment"])
def test_the_local_support_point_reads_the_contacts(accompanied, local, client_for, page):
    html = client_for(local).get(pages(accompanied)[page]).content.decode()
    assert CONTACT["email"] in html
    assert "Clarisse Contactée" in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["accompaniment", "journey", "obstacle"])
def test_what_a_member_who_is_no_contact_did_is_signed_by_the_structure(
    accompanied, local, client_for, page
):
    html = client_for(local).get(pages(accompanied)[page]).content.decode()
    assert "Décret 2021-1" in html  # the obstacle the editor reported is there, unsigned
    assert "Norbert" not in html


@pytest.mark.django_db
def test_staff_and_members_still_read_every_name(accompanied, client_for):
    staff = factories.StaffFactory()
    owner = Membership.objects.get(structure=accompanied.structure, role=MemberRole.OWNER).user
    assert HIDDEN["email"] in client_for(staff).get(pages(accompanied)["members"]).content.decode()
    assert HIDDEN["email"] in client_for(owner).get(pages(accompanied)["members"]).content.decode()
    timeline = client_for(staff).get(pages(accompanied)["accompaniment"]).content.decode()
    assert "Norbert Discret" in timeline


@pytest.mark.django_db
def test_the_home_lists_the_accompanied_structure_only(
    accompanied, unaccompanied, local, client_for
):
    html = client_for(local).get(reverse("accelerator:home")).content.decode()
    assert "Accompagnée" in html
    assert "Candidate seulement" not in html
    assert_no_hidden_person(html)
    assert CONTACT["email"] not in html and "olga@solo.example" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["structure", "journey", "members"])
def test_a_structure_of_the_departement_in_no_cohort_is_a_404(
    unaccompanied, local, client_for, page
):
    name = "structure_journey" if page == "journey" else page
    url = reverse(f"accelerator:{name}", args=[unaccompanied.pk])
    assert client_for(local).get(url).status_code == 404


@pytest.mark.django_db
def test_an_exited_structure_is_no_longer_followed(accompanied, local, client_for):
    exited = change_stage(accompanied, "exit", factories.ManagerFactory(), reason="Fermeture")
    assert exited.stage == Stage.EXITED
    client = client_for(local)
    for name in ("structure", "journey", "accompaniment", "board", "obstacle"):
        assert client.get(pages(exited)[name]).status_code == 404, name
    assert "Accompagnée" not in client.get(reverse("accelerator:cohort_list")).content.decode()


@pytest.mark.django_db
def test_the_board_shows_no_exited_card_of_the_territory(accompanied, loiret, local, client_for):
    gone = Accompaniment.objects.create(
        cohort=accompanied.cohort,
        structure=factories.StructureFactory(department=loiret, name="Partie"),
        source="call",
    )
    change_stage(gone, "exit", factories.ManagerFactory(), reason="Fermeture")
    html = client_for(local).get(pages(accompanied)["board"]).content.decode()
    assert "Accompagnée" in html
    assert "Partie" not in html


# --- the support point of another département


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["structure", "journey", "accompaniment", "board", "obstacle", "members"]
)
def test_a_support_point_of_another_departement_sees_nothing(accompanied, far, client_for, page):
    assert client_for(far).get(pages(accompanied)[page]).status_code == 404


@pytest.mark.django_db
def test_a_far_support_point_home_lists_nothing_of_the_structure(accompanied, far, client_for):
    html = client_for(far).get(reverse("accelerator:home")).content.decode()
    assert "Accompagnée" not in html
    assert_no_hidden_person(html)


# --- contacts: named by the owners


@pytest.mark.django_db
def test_the_owner_names_a_contact_and_the_support_point_then_sees_them(
    accompanied, local, client_for
):
    owner = Membership.objects.get(structure=accompanied.structure, role=MemberRole.OWNER).user
    hidden = Membership.objects.get(structure=accompanied.structure, user__email=HIDDEN["email"])
    url = reverse("accelerator:set_contact", args=[accompanied.structure_id, hidden.pk])
    members_page = reverse("accelerator:members", args=[accompanied.structure_id])
    assert url in client_for(owner).get(members_page).content.decode()

    response = client_for(owner).post(url, {"is_contact": "yes"})
    assert response.status_code == 302
    hidden.refresh_from_db()
    assert hidden.is_contact
    assert (
        HIDDEN["email"] in client_for(local).get(pages(accompanied)["structure"]).content.decode()
    )

    client_for(owner).post(url, {"is_contact": "no"})
    hidden.refresh_from_db()
    assert not hidden.is_contact


@pytest.mark.django_db
def test_a_contact_choice_that_is_neither_yes_nor_no_changes_nothing(accompanied, client_for):
    owner = Membership.objects.get(structure=accompanied.structure, role=MemberRole.OWNER).user
    hidden = Membership.objects.get(structure=accompanied.structure, user__email=HIDDEN["email"])
    url = reverse("accelerator:set_contact", args=[accompanied.structure_id, hidden.pk])
    response = client_for(owner).post(url, {"is_contact": "maybe"}, follow=True)
    hidden.refresh_from_db()
    assert not hidden.is_contact
    assert "contact" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), [("editor", 403), ("local", 403), ("far", 404)])
def test_only_owners_name_contacts(accompanied, local, far, client_for, who, expected):
    editor = Membership.objects.get(structure=accompanied.structure, user__email=HIDDEN["email"])
    user = {"editor": editor.user, "local": local, "far": far}[who]
    url = reverse("accelerator:set_contact", args=[accompanied.structure_id, editor.pk])
    assert client_for(user).post(url, {"is_contact": "yes"}).status_code == expected
    editor.refresh_from_db()
    assert not editor.is_contact


@pytest.mark.django_db
def test_whoever_registers_a_structure_is_its_first_contact_and_no_one_else(loiret):
    creator = factories.UserFactory()
    structure = create_structure(
        creator,
        name="Nouvelle",
        legal_form="association",
        siret=factories.valid_siret(),
        department=loiret,
        creation_year=2020,
    )
    assert Membership.objects.get(structure=structure, user=creator).is_contact
    invited = factories.MembershipFactory(structure=structure, role=MemberRole.EDITOR)
    assert not invited.is_contact


@pytest.mark.django_db
def test_the_migration_makes_existing_owners_contacts(loiret):
    structure = factories.StructureFactory(department=loiret)
    owner = factories.MembershipFactory(structure=structure, role=MemberRole.OWNER)
    editor = factories.MembershipFactory(structure=structure, role=MemberRole.EDITOR)
    Membership.objects.update(is_contact=False)
    # Found by name: the migration's number may change when migrations are merged.
    name = next(
        module.name
        for module in pkgutil.iter_modules(migrations.__path__)
        if module.name.endswith("_membership_is_contact")
    )
    migration = importlib.import_module(f"accelerator.migrations.{name}")
    migration.owners_are_contacts(apps, None)
    owner.refresh_from_db()
    editor.refresh_from_db()
    assert owner.is_contact and not editor.is_contact


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["structure", "accompaniment"])
def test_the_contacts_cost_the_same_queries_however_many(
    loiret, local, client_for, count_queries, django_assert_max_num_queries, page
):
    def accompanied_with(contacts):
        structure = factories.StructureFactory(department=loiret)
        for _ in range(contacts):
            person(MemberRole.EDITOR, structure, True)
        return make_accompaniment(structure, Stage.SOURCING)

    client = client_for(local)
    one, many = accompanied_with(1), accompanied_with(20)
    expected = count_queries(client, pages_without_obstacle(one)[page])
    with django_assert_max_num_queries(expected):
        html = client.get(pages_without_obstacle(many)[page]).content.decode()
    assert html.count("mailto:") >= 20


def pages_without_obstacle(accompaniment):
    return {
        "structure": reverse("accelerator:structure", args=[accompaniment.structure_id]),
        "accompaniment": reverse("accelerator:accompaniment", args=[accompaniment.pk]),
    }
