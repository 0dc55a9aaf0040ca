"""Shared fixtures. Tests use real objects (see factories) and the real database."""

import os

import pytest

from tests import factories

# Fails the run when a test that needs PostgreSQL or Redis skips in CI.
pytest_plugins = ["tests.services"]


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def in_ci():
    return os.environ.get("CI") == "true"


@pytest.fixture
def staff(db):
    return factories.StaffFactory()


@pytest.fixture
def manager(db):
    """Staff who manage the programme: they move structures and run its cohorts."""
    return factories.ManagerFactory()


@pytest.fixture
def structure(db):
    return factories.StructureFactory()


@pytest.fixture
def owner(structure):
    return factories.MembershipFactory(structure=structure, role="owner").user


@pytest.fixture
def editor(structure):
    return factories.MembershipFactory(structure=structure, role="editor").user


@pytest.fixture
def viewer(structure):
    return factories.MembershipFactory(structure=structure, role="viewer").user


@pytest.fixture
def outsider(db):
    """An applicant of another structure."""
    return factories.MembershipFactory().user


@pytest.fixture
def open_call(db):
    return factories.make_call()


@pytest.fixture
def dossier(open_call, structure, owner):
    return factories.make_dossier(call=open_call, structure=structure, created_by=owner)


@pytest.fixture(autouse=True)
def _fast_and_english(settings):
    # Tests read messages in English; the French catalogue has its own test.
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in tests; the broker tests in tests/workers start real workers."""
    from workers.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: in CI the cache is Redis, shared by every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
