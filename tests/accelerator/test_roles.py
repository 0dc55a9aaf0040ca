"""The roles a person holds (accelerator.domain.roles): who holds which, the default, the switch
kept in the session, and the cost of reading them."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from accelerator.domain import roles
from accelerator.domain.journey import change_stage
from accelerator.models import Stage, User
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment
from tests.applications.jury.helpers import make_juror


def names(user):
    return [role.name for role in roles.roles_of(user)]


def fresh(user):
    """The user as a new request loads it, with no roles cached."""
    return User.objects.get(pk=user.pk)


def request_for(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session if session is not None else SessionStore()
    return request


@pytest.mark.django_db
def test_nobody_special_is_an_applicant():
    user = factories.UserFactory()
    assert names(user) == ["applicant"]
    assert roles.roles_of(user)[0].url == reverse("accelerator:home")


@pytest.mark.django_db
def test_a_member_of_a_structure_is_an_applicant(owner):
    assert names(owner) == ["applicant"]


@pytest.mark.django_db
def test_a_juror_with_no_structure_is_only_a_juror():
    juror = make_juror(factories.make_call())
    assert names(juror.user) == ["juror"]
    assert roles.roles_of(juror.user)[0].url == reverse("applications:juror_home")


@pytest.mark.django_db
def test_an_invited_juror_who_has_not_accepted_is_not_a_juror():
    user = factories.UserFactory()
    make_juror(factories.make_call(), accepted=False, email=user.email)
    assert names(user) == ["applicant"]


@pytest.mark.django_db
def test_staff_are_staff(staff, manager):
    assert names(staff) == ["staff"]
    assert names(manager) == ["staff"]
    assert roles.roles_of(staff)[0].url == reverse("accelerator:staff_today")


@pytest.mark.django_db
def test_an_inactive_staff_account_is_not_staff():
    user = factories.UserFactory(is_staff=True, is_active=False)
    assert names(user) == ["applicant"]


@pytest.mark.django_db
def test_a_support_point_member_lands_on_the_territory(support_point_user):
    assert names(support_point_user) == ["support_point"]
    assert roles.roles_of(support_point_user)[0].url == reverse("accelerator:territory")


@pytest.mark.django_db
def test_a_member_of_an_accompanied_structure_lands_on_its_journey(structure, owner):
    make_accompaniment(structure)
    assert names(fresh(owner)) == ["accompanied", "applicant"]
    assert roles.roles_of(owner)[0].url == reverse(
        "accelerator:structure_journey", kwargs={"pk": structure.pk}
    )


@pytest.mark.django_db
def test_an_exited_structure_is_no_longer_accompanied(structure, owner, manager):
    accompaniment = make_accompaniment(structure)
    accompaniment = change_stage(accompaniment, "exit", manager, reason="Projet arrêté.")
    assert accompaniment.stage == Stage.EXITED
    assert names(owner) == ["applicant"]


@pytest.mark.django_db
def test_the_default_is_the_most_specific_role(structure, owner):
    make_accompaniment(structure)
    factories.SupportPointFactory(department=structure.department).members.add(owner)
    make_juror(factories.make_call(), user=owner)
    assert names(owner) == ["juror", "support_point", "accompanied", "applicant"]
    owner.is_staff = True
    owner.save()
    assert names(fresh(owner)) == ["staff", "juror", "support_point", "accompanied", "applicant"]
    assert roles.current_role(request_for(fresh(owner))).name == "staff"


@pytest.mark.django_db
def test_a_person_switches_to_a_role_they_hold_and_it_stays_in_the_session(owner):
    make_juror(factories.make_call(), user=owner)
    session = SessionStore()
    assert roles.current_role(request_for(fresh(owner), session)).name == "juror"
    chosen = roles.switch_role(request_for(fresh(owner), session), "applicant")
    assert chosen.name == "applicant"
    assert roles.current_role(request_for(fresh(owner), session)).name == "applicant"


@pytest.mark.django_db
def test_a_role_not_held_cannot_be_chosen(owner):
    session = SessionStore()
    assert roles.switch_role(request_for(owner, session), "staff") is None
    assert roles.SESSION_KEY not in session
    # A role chosen earlier and lost since falls back to the default.
    session[roles.SESSION_KEY] = "juror"
    assert roles.current_role(request_for(fresh(owner), session)).name == "applicant"


@pytest.mark.django_db
def test_no_roles_for_an_anonymous_visitor():
    from django.contrib.auth.models import AnonymousUser

    assert roles.roles_of(AnonymousUser()) == []
    assert roles.current_role(request_for(AnonymousUser())) is None


@pytest.mark.django_db
@pytest.mark.parametrize("many", [False, True])
def test_roles_cost_one_query_whatever_the_links_and_none_once_read(
    django_assert_num_queries, many
):
    user = factories.UserFactory()
    count = 5 if many else 1
    department = factories.department("45", "Loiret")
    for _index in range(count):
        structure = factories.MembershipFactory(user=user, role="owner").structure
        make_accompaniment(structure)
        make_juror(factories.make_call(), user=user)
        factories.SupportPointFactory(department=department).members.add(user)
    user = fresh(user)
    with django_assert_num_queries(1):
        assert len(roles.roles_of(user)) == 4
    with django_assert_num_queries(0):
        roles.roles_of(user)
        roles.current_role(request_for(user))


@pytest.mark.django_db
def test_a_user_loaded_with_the_annotations_costs_no_query(
    structure, owner, django_assert_num_queries
):
    make_accompaniment(structure)
    user = User.objects.annotate(**roles.role_annotations()).get(pk=owner.pk)
    with django_assert_num_queries(0):
        assert [role.name for role in roles.roles_of(user)] == ["accompanied", "applicant"]
