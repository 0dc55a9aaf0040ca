"""The accelerator app: the programme's people, structures and the accompaniment journey."""

from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AcceleratorConfig(AppConfig):
    name = "accelerator"
    verbose_name = _("Programme")

    def ready(self):
        from accelerator import permissions  # noqa: F401 (its rules register on import)

        # Their rules, roles and "today" sections register on import.
        from accelerator.domain import reminders, roles, staff_today  # noqa: F401
        from accelerator.views.applicant.home import register_dashboard_section

        register_dashboard_section("accelerator/includes/journey_section.html", _journeys)


def _journeys(request, memberships):
    """The journeys of the person's structures and, for a support point member, the structures
    accompanied in its territory: two queries, whatever the number of structures."""
    from accelerator.domain.own_journey import member_accompaniments, territory_accompaniments

    today = timezone.localdate()
    return {
        "journey_accompaniments": member_accompaniments(
            [membership.structure_id for membership in memberships], today
        ),
        "territory_accompaniments": territory_accompaniments(request.user, today),
    }
