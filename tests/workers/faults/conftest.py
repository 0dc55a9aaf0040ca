"""Fixtures for the fault tests: a Redis of the test's own on a free port (never the machine's
shared Redis, which other tests use), PostgreSQL where threads or processes share the database,
and an SMTP sink."""

import pytest
from django.db import connection

from tests.services import require_service
from tests.test_redis_outage import own_redis  # noqa: F401 (the fixture: a Redis of the test's own)
from tests.workers.faults.smtp_sink import SmtpSink


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
