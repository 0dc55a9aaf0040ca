"""Who may do what with agenda entries and actors' entries (cms.permissions), read in one table."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests import factories
from tests.cms.agenda_helpers import make_actor, make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    manager = factories.UserFactory()
    return {
        "anon": AnonymousUser(),
        "stranger": factories.UserFactory(),
        "proposer": factories.UserFactory(),
        "manager": manager,
        "staff": factories.StaffFactory(),
    }


def _who(people, perm, obj=None):
    return sorted(name for name, user in people.items() if user.has_perm(perm, obj))


@pytest.mark.parametrize(
    ("state", "perm", "expected"),
    [
        ("approved", "cms.view_agenda_entry", ["anon", "manager", "proposer", "staff", "stranger"]),
        ("proposed", "cms.view_agenda_entry", ["manager", "proposer", "staff"]),
        ("rejected", "cms.view_agenda_entry", ["manager", "proposer", "staff"]),
        ("proposed", "cms.change_agenda_entry", ["proposer", "staff"]),
        ("changes_requested", "cms.change_agenda_entry", ["proposer", "staff"]),
        ("approved", "cms.change_agenda_entry", ["manager", "staff"]),
        ("rejected", "cms.change_agenda_entry", ["staff"]),
        ("proposed", "cms.approve_agenda_entry", ["staff"]),
        ("proposed", "cms.request_changes_agenda_entry", ["staff"]),
        ("proposed", "cms.reject_agenda_entry", ["staff"]),
        ("changes_requested", "cms.resubmit_agenda_entry", ["proposer", "staff"]),
    ],
)
def test_agenda_entry_permissions(people, state, perm, expected):
    organiser = make_actor(managers=[people["manager"]])
    entry = make_entry(state=state, proposer=people["proposer"], organiser_actor=organiser)
    assert _who(people, perm, entry) == expected


def test_anyone_signed_in_proposes(people):
    expected = ["manager", "proposer", "staff", "stranger"]
    assert _who(people, "cms.propose_agenda_entry") == expected
    assert _who(people, "cms.propose_actor") == expected
    assert _who(people, "cms.moderate") == ["staff"]


@pytest.mark.parametrize(
    ("state", "perm", "expected"),
    [
        ("approved", "cms.view_actor", ["anon", "manager", "proposer", "staff", "stranger"]),
        ("proposed", "cms.view_actor", ["manager", "staff"]),
        ("approved", "cms.change_actor", ["manager", "staff"]),
        ("changes_requested", "cms.change_actor", ["manager", "staff"]),
        ("rejected", "cms.change_actor", ["staff"]),
        ("proposed", "cms.approve_actor", ["staff"]),
        ("changes_requested", "cms.resubmit_actor", ["manager", "staff"]),
    ],
)
def test_actor_permissions(people, state, perm, expected):
    actor = make_actor(state=state, managers=[people["manager"]])
    assert _who(people, perm, actor) == expected
