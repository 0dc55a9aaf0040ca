"""Background work: the Celery app, the beat schedule and the notification outbox."""
