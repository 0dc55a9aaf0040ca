from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    name = "workers"
    verbose_name = _("Notifications")

    def ready(self):
        from workers import reminders  # noqa: F401 (registers its veto with the outbox)
