from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Calls and dossiers")

    def ready(self):
        from accelerator.domain.reminders_digest import register_digest_section
        from accelerator.views.applicant.home import register_dashboard_section
        from applications import permissions  # noqa: F401 (its rules register on import)
        from applications.domain import (  # noqa: F401 (their rules register on import)
            jury_reminders,
            reminders,
        )
        from applications.domain.staff_digest import SECTIONS

        for section in SECTIONS:
            register_digest_section(section)

        register_dashboard_section("applications/dossier/_dashboard_section.html", _recent_dossiers)
        register_dashboard_section("applications/jury/juror/_dashboard_section.html", _my_juries)


def _recent_dossiers(request, memberships):
    """The applicant's latest dossiers on their home page (one query, whatever the count)."""
    from applications.domain.queries import dossiers_of

    if not memberships:
        return {"dossiers": []}
    return {"dossiers": list(dossiers_of(request.user)[:10])}


def _my_juries(request, memberships):
    """The juries the user sits on, on their home page (one query, whatever the count)."""
    from applications.domain.jury_seats import seats_of

    return {"seats": list(seats_of(request.user)[:10])}
