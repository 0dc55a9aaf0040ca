"""The Celery application: Redis in production, kombu's filesystem transport for the embedded run.

A worker reads every queue: `celery -A workers worker -Q default,mail,scans` (deliveries go to
`mail`, scans and digests to `scans`: settings.CELERY_TASK_ROUTES). Beat reads its schedule from
the database (settings.CELERY_BEAT_SCHEDULER): `celery -A workers beat`, exactly one of them, or
`--beat` on the embedded run's only worker (scripts/run.py).
"""

import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essor.settings")


def create_app(name="essor"):
    """A Celery app configured from the Django settings (`CELERY_*`), with our tasks."""
    celery_app = Celery(name)
    celery_app.config_from_object("django.conf:settings", namespace="CELERY")
    celery_app.autodiscover_tasks()
    return celery_app


app = create_app()


def ensure_broker_folders():
    """The filesystem transport needs its folders before a producer or a worker touches them."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder"):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_init.connect
def _prepare_broker(**_kwargs):
    ensure_broker_folders()
