"""The demo, loaded once per module that imports these fixtures, and rolled back at its end.

Loading takes some twenty seconds: the demo's tests read what one load made (a test that writes
does so inside its own savepoint, rolled back after it), as the access matrix reads its world.
"""

import time
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.module_settings import module_settings


@dataclass(frozen=True)
class LoadedDemo:
    output: str  # what `load_demo` printed, summary and logins
    started_at: object  # the time before the load: nothing the demo made may come later
    mails: tuple  # e-mails sent while loading (the outbox records them as sent instead)
    seconds: float


@pytest.fixture(scope="module", autouse=True)
def _isolated_media(tmp_path_factory):
    """One folder of files for the module (replaces the suite's per-test folder, which would lose
    the demo's attachments after the first test)."""
    with module_settings(tmp_path_factory.mktemp("demo")):
        yield


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, _isolated_media):
    with django_db_blocker.unblock(), transaction.atomic():
        from django.core.cache import cache

        cache.clear()
        mail.outbox = []
        started_at, started = timezone.now(), time.monotonic()
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield LoadedDemo(
            output=out.getvalue(),
            started_at=started_at,
            mails=tuple(mail.outbox),
            seconds=time.monotonic() - started,
        )
        transaction.set_rollback(True)
        cache.clear()
