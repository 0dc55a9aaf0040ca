"""The journey on the home page: members see their structures' stage and overdue milestones,
support points the structures accompanied in their territory; constant queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.journey import change_stage
from accelerator.models import Milestone, Stage
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment

HOME = reverse("accelerator:home")
S = Stage


def journey_url(structure):
    return reverse("accelerator:structure_journey", kwargs={"pk": structure.pk})


def accompaniment_url(accompaniment):
    return reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk})


def overdue(accompaniment, count):
    past = timezone.localdate() - datetime.timedelta(days=2)
    for index in range(count):
        Milestone.objects.create(
            accompaniment=accompaniment, stage=accompaniment.stage, title=f"M{index}", due_on=past
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "editor", "owner"])
def test_members_see_their_structure_stage_and_overdue_milestones(
    client_for, structure, people, role
):
    accompaniment = make_accompaniment(structure, S.LABELLING)
    overdue(accompaniment, 2)
    # Neither done nor future milestones count.
    Milestone.objects.create(
        accompaniment=accompaniment,
        stage=S.LABELLING,
        title="Fait",
        status="done",
        due_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    Milestone.objects.create(
        accompaniment=accompaniment,
        stage=S.LABELLING,
        title="Plus tard",
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    page = client_for(people[role]).get(HOME).content.decode()
    section = page[page.index('id="journey-title"') :]
    section = section[: section.index("</section>")]
    assert "My structures in the programme" in page
    assert f'href="{journey_url(structure)}"' in section
    assert "stage--labelling" in section and "Labelling" in section
    assert "2 overdue milestones" in section
    assert "Cohorte 1 (2026)" in section


@pytest.mark.django_db
def test_no_section_without_an_accompaniment(client_for, structure, owner, outsider):
    page = client_for(owner).get(HOME).content.decode()
    assert "My structures in the programme" not in page
    assert "Structures accompanied in your territory" not in page
    make_accompaniment(structure)
    # Someone else's journey never shows.
    page = client_for(outsider).get(HOME).content.decode()
    assert "My structures in the programme" not in page
    assert journey_url(structure) not in page


@pytest.mark.django_db
def test_the_support_point_sees_its_territory(
    client_for, structure, support_point_user, far_support_point_user, manager
):
    accompaniment = make_accompaniment(structure, S.LABELLING)
    overdue(accompaniment, 1)
    elsewhere = make_accompaniment(
        factories.StructureFactory(name="Hors territoire", department=factories.department("18"))
    )
    gone = make_accompaniment(factories.StructureFactory(name="Sortie du programme"))
    change_stage(gone, "exit", manager, reason="Fermeture")
    page = client_for(support_point_user).get(HOME).content.decode()
    section = page[page.index('id="territory-title"') :]
    section = section[: section.index("</section>")]
    assert "Structures accompanied in your territory" in section
    assert f'href="{accompaniment_url(accompaniment)}"' in section
    assert structure.name in section and "Labelling" in section
    assert "<strong>1</strong>" in section  # one overdue milestone
    assert "Hors territoire" not in section
    assert "Sortie du programme" not in section

    far_page = client_for(far_support_point_user).get(HOME).content.decode()
    assert "Hors territoire" in far_page
    assert structure.name not in far_page
    assert accompaniment_url(elsewhere) in far_page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "outsider"])
def test_no_territory_section_for_others(client_for, structure, people, role):
    make_accompaniment(structure)
    page = client_for(people[role]).get(HOME).content.decode()
    assert "Structures accompanied in your territory" not in page


@pytest.mark.django_db
def test_the_member_section_query_count_does_not_grow_with_structures(client_for, count_queries):
    def member_of(count):
        user = factories.UserFactory()
        for _index in range(count):
            structure = factories.MembershipFactory(user=user, role="owner").structure
            accompaniment = make_accompaniment(structure, S.LABELLING)
            overdue(accompaniment, 2)
        return user

    expected = count_queries(client_for(member_of(1)), HOME)
    client = client_for(member_of(10))
    assert count_queries(client, HOME) == expected
    page = client.get(HOME).content.decode()
    assert page.count("2 overdue milestones") == 10
    print(f"home page (member): {expected} queries with 1 and with 10 accompanied structures")


@pytest.mark.django_db
def test_the_territory_section_query_count_does_not_grow_with_structures(client_for, count_queries):
    def point_with(count, code):
        department = factories.department(code, f"Département {code}")
        user = factories.UserFactory()
        factories.SupportPointFactory(department=department).members.add(user)
        for _index in range(count):
            accompaniment = make_accompaniment(factories.StructureFactory(department=department))
            overdue(accompaniment, 1)
        return user

    expected = count_queries(client_for(point_with(1, "28")), HOME)
    client = client_for(point_with(10, "36"))
    assert count_queries(client, HOME) == expected
    page = client.get(HOME).content.decode()
    section = page[page.index('id="territory-title"') :]
    assert section.count("<tr data-accompaniment=") == 10
    print(f"home page (support point): {expected} queries with 1 and with 10 structures")
