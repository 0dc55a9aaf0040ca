"""Real services (PostgreSQL, Redis) for tests marked `services`.

On a developer's machine without them these tests skip; in CI (CI=true) a missing or unreachable
service fails the test, never skips it. Registered as a pytest plugin (`-p tests.services`, as
`make test` does), this module also turns any skip of a `services` test in CI into a failure.
"""

import os

import pytest


def in_ci():
    return os.environ.get("CI") == "true"


def _missing(reason):
    if in_ci():
        pytest.fail(f"{reason}: tests marked 'services' must run in CI", pytrace=False)
    pytest.skip(reason)


def require_service(variable):
    """Return the URL in environment variable `variable`, or skip (fail in CI) without it."""
    value = os.environ.get(variable, "")
    if not value:
        _missing(f"{variable} is not set")
    return value


def require_redis():
    """Return REDIS_URL once a PING got its answer, or skip (fail in CI)."""
    import redis

    url = require_service("REDIS_URL")
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        _missing(f"Redis at {url} does not answer ({error})")
    finally:
        client.close()
    return url


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    skipped = report.skipped and not hasattr(report, "wasxfail")
    if skipped and in_ci() and item.get_closest_marker("services"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"A test marked 'services' was skipped in CI ({reason})"
