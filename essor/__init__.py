"""The wiring of Essor: settings, root URLs, WSGI/ASGI, middleware, health and error pages.

It sees every room; no room imports it."""

from workers.celery import app as celery_app

__all__ = ["celery_app"]
