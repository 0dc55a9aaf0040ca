"""Essor's Django project and the programme after selection: programmes, territories, structures."""

from workers.celery import app as celery_app

__all__ = ["celery_app"]
