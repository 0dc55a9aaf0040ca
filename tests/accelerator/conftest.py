"""Fixtures of the accelerator tests: people around one structure, a client for each, and a
cohort holding that structure."""

import pytest
from django.test import Client

from tests import factories
from tests.accelerator.cohorts import accompany, make_cohort


@pytest.fixture
def support_point_user(structure):
    """A member of the support point ("point d'appui") of the structure's département."""
    user = factories.UserFactory()
    point = factories.SupportPointFactory(department=structure.department)
    point.members.add(user)
    return user


@pytest.fixture
def far_support_point_user(db):
    """A member of the support point of another département (Cher, 18)."""
    user = factories.UserFactory()
    point = factories.SupportPointFactory(department=factories.department("18", "Cher"))
    point.members.add(user)
    return user


@pytest.fixture
def client_for():
    """`client_for(user)` is a client logged in as `user`; `client_for(None)` is anonymous."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def people(owner, editor, viewer, outsider, staff, support_point_user):
    """Everyone of the permission tests, by name (anonymous is None)."""
    return {
        "anonymous": None,
        "outsider": outsider,
        "viewer": viewer,
        "editor": editor,
        "owner": owner,
        "staff": staff,
        "support_point": support_point_user,
    }


@pytest.fixture
def count_queries():
    """`count_queries(client, url)`: how many queries a second GET of `url` runs (session warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client, url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    return count


@pytest.fixture
def cohort(structure):
    """A cohort holding the `structure` of the permission fixtures (Loiret, 45)."""
    cohort = make_cohort()
    accompany(cohort, structure)
    return cohort


@pytest.fixture
def manager_user(db):
    return factories.ManagerFactory()
