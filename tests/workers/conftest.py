"""Fixtures for the outbox tests: a small e-mail template trio that extends the shared base, and
beat's schedule."""

import importlib
from pathlib import Path

import pytest

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _notice_templates(settings):
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [*engine["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]


@pytest.fixture
def eager(settings):
    """Tasks run inline, as they would on a worker, when the transaction commits."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


@pytest.fixture
def unreachable_mail_server(settings):
    settings.EMAIL_BACKEND = "tests.workers.backends.UnreachableServerEmailBackend"
    return settings


@pytest.fixture
def beat_schedule(db):
    """The beat entries that workers/migrations/0004_beat_schedule.py creates, by that migration's
    own function: a transactional test that ran before may have emptied the database. Entries
    already there are left as they are."""
    from django.apps import apps

    migration = importlib.import_module("workers.migrations.0004_beat_schedule")
    migration.create_schedule(apps, None)
    return migration.SCHEDULE
