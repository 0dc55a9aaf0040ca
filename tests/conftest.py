"""Shared fixtures. Tests use real objects (see factories) and the real database."""

import json
import os

import pytest
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from tests import factories

# Fails the run when a test that needs PostgreSQL or Redis skips in CI.
pytest_plugins = ["tests.services"]


def _forget_urls_per_language(setting, **_kwargs):
    """Django keeps the URLs reversed in each language: which language has no prefix depends on
    LANGUAGE_CODE, which tests change (French first in some, English in most)."""
    if setting in ("LANGUAGE_CODE", "LANGUAGES"):
        from django.urls import clear_url_caches

        clear_url_caches()


def pytest_configure(config):
    """`make test` runs the suite in parallel processes (pytest-xdist), each with its own test
    database (pytest-django names them). Each also gets its own Redis database for the cache,
    which every test empties (`_empty_cache`): worker n uses the configured database + n."""
    from django.conf import settings
    from django.test.signals import setting_changed

    setting_changed.connect(_forget_urls_per_language, dispatch_uid="essor-urls-per-language")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = settings.CACHES["default"]
    if not worker.startswith("gw") or "redis" not in cache["BACKEND"].lower():
        return
    base, _slash, number = cache["LOCATION"].rpartition("/")
    offset = int(worker.removeprefix("gw"))
    cache["LOCATION"] = f"{base}/{(int(number or 0) + offset) % 16}"


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time():
    """On SQLite the test database lives in memory and Django hands the test's own connection to
    the live server: a threaded server used it from several threads at once, and a browser's
    parallel requests (a preview frame beside the form) met "database table is locked" under
    load. One request at a time there; Django's server then closes each connection, so the
    browser never waits on a kept-alive one. PostgreSQL keeps the threaded server."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # The server's thread already uses the overridden connections (LiveServerThread).
            super().__init__(*args, **kwargs)

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneRequestAtATime


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
    # Tests read messages in English; the French catalogue has its own test. English is active
    # from the start (a request leaves its language active in the thread, and the public site's
    # addresses depend on it), at addresses without a prefix, the default language's.
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    translation.activate("en")
    yield
    translation.deactivate()


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


# Every test starts from the migrated data (content types, Wagtail's root page and site, the
# territories), whatever ran before it and in whatever order. A transactional test ends with a
# flush that empties every table, and Django only puts the content types back (with new ids, on
# which a later serialized rollback then trips), never what data migrations made: so after each
# flushing test the database is emptied again and the migrated data put back as it was.


# Per database alias, while the test databases exist: the migrated rows, content types first.
_migrated_data = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with a copy of its migrated data kept even when no test asks for a
    serialized rollback (Django's serialized rollback then reads the same copy)."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            migrated = getattr(connection, "_test_serialized_contents", None)
            if migrated is None:
                migrated = connection.creation.serialize_db_to_string()
            migrated = _content_types_first(migrated)
            connection._test_serialized_contents = _migrated_data[connection.alias] = migrated
    yield
    # A database kept for --reuse-db stays as its migrations made it. Then nothing is restored
    # any more: the connections go back to the real databases, which no test may flush.
    _restore_migrated_data(django_db_blocker)
    _migrated_data.clear()


def _content_types_first(serialized):
    """The serialized rows with the content types first: building some objects looks their
    content type up (Wagtail's tasks do, in __init__), and would otherwise create it anew."""
    rows = json.loads(serialized)
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    return json.dumps(rows)


def _flushes_the_database(item):
    """Whether pytest-django runs `item` as a TransactionTestCase, whose teardown flushes."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        transaction
        or reset_sequences
        or fixtures & {"transactional_db", "live_server", "django_db_reset_sequences"}
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _flushes_the_database(item):
            _restore_migrated_data(item.config.stash[blocking_manager_key])


def _empty_every_table(connection):
    """What `flush` does, without its cost on PostgreSQL, where its TRUNCATE of some 150 tables
    makes new files for each (seconds per test) while deleting the few rows a test left takes
    milliseconds; Django's foreign keys are deferred, so the order does not matter. Sequences
    go on from where they are, above the restored ids, as after Django's own flush."""
    from django.core.management import call_command
    from django.db import transaction

    if connection.vendor != "postgresql":
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            database=connection.alias,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
        return
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "; ".join(f"DELETE FROM {connection.ops.quote_name(table)}" for table in tables)
        )


def _skip_djangos_flush():
    """A transactional test ends with Django's flush, then ours (`_restore_migrated_data`, which
    empties the tables again before putting the migrated rows back): the first is redundant."""
    from django.test import TransactionTestCase

    TransactionTestCase._fixture_teardown = lambda self: None


_skip_djangos_flush()


def _restore_migrated_data(django_db_blocker):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    with django_db_blocker.unblock():
        for alias, migrated in _migrated_data.items():
            connection = connections[alias]
            _empty_every_table(connection)
            # The flush's post_migrate cached the content types it made, under ids gone now.
            ContentType.objects.clear_cache()
            connection.creation.deserialize_db_from_string(migrated)
