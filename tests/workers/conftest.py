"""Fixtures for the outbox tests: a small e-mail template trio that extends the shared base."""

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
