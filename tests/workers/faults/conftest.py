"""Fixtures for the fault tests: a Redis of the test's own on a free port (never the machine's
shared Redis, which other tests use), PostgreSQL where threads or processes share the database,
and an SMTP sink."""

import shutil

import pytest
from django.db import connection

from tests.services import require_service
from tests.test_redis_outage import OwnRedis, redis_at
from tests.workers.faults.smtp_sink import SmtpSink


@pytest.fixture
def own_redis(settings, monkeypatch):
    """Cache, broker and a current Celery app on a redis-server started for the test."""
    if shutil.which("redis-server") is None:
        # Marked `services`: in CI this skip is a failure.
        pytest.skip("redis-server is not installed")
    server = OwnRedis()
    server.start()
    try:
        with redis_at(server.url, settings, monkeypatch) as app:
            server.app = app
            yield server
    finally:
        server.stop()


@pytest.fixture
def postgresql():
    """The test database is PostgreSQL (DATABASE_URL), shared by threads and processes."""
    require_service("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.fail("DATABASE_URL must name a PostgreSQL database for this test")
    return connection.settings_dict


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink
