from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Calls and dossiers")

    def ready(self):
        from accelerator.domain.reminders_digest import register_digest_section
        from accelerator.domain.search import register_searcher
        from accelerator.views.applicant.home import register_dashboard_section
        from applications import permissions  # noqa: F401 (its rules register on import)
        from applications.domain import (  # noqa: F401 (their rules register on import)
            jury_reminders,
            reminders,
        )
        from applications.domain.search import DOSSIERS
        from applications.domain.staff_digest import SECTIONS

        for section in SECTIONS:
            register_digest_section(section)

        _register_landing()

        register_dashboard_section("applications/dossier/_dashboard_section.html", _recent_dossiers)
        register_dashboard_section("applications/jury/juror/_dashboard_section.html", _my_juries)
        register_searcher(DOSSIERS)


def _register_landing():
    """The juror's role (header, landing on /jury/), the staff's "today" sections and the
    applicant's dossiers that need action (accelerator.domain.roles, staff_today, home)."""
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from accelerator.domain.roles import JUROR, RoleKind, register_role
    from accelerator.domain.staff_today import register_today_section
    from accelerator.views.applicant.home import register_dashboard_actions
    from applications.domain import staff_today
    from applications.models import Juror

    register_role(
        RoleKind(
            JUROR,
            _("Juror"),
            40,
            lambda: Exists(Juror.objects.filter(user=OuterRef("pk"), accepted_at__isnull=False)),
            lambda value: reverse("applications:juror_home"),
        )
    )
    for section in staff_today.SECTIONS:
        register_today_section(section)
    register_dashboard_actions(_dossier_actions)


def _dossier_actions(request, memberships):
    """The applicant's dossiers waiting for them, at the top of their home (one query)."""
    from applications.domain.applicant_actions import dossier_actions

    return dossier_actions([membership.structure_id for membership in memberships])


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
