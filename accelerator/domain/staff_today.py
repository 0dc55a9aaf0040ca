"""What the staff's "today" page lists: what is due now, in sections (a count and the first few
items, each linked to its page, and a link to the full list).

The sections have the shape of the weekly digest's (accelerator.domain.reminders_digest) and the
programme's ones are the digest's own functions; the rooms above this one add theirs from their
AppConfig.ready() (`applications` adds dossiers to check, late reviews and decisions to send), so
this module imports none of them. Every section costs a constant number of queries.
"""

from django.utils.translation import gettext_lazy, pgettext_lazy

from accelerator.domain.reminders_digest import (
    DigestSection,
    obstacles_waiting,
    overdue_milestones,
    overdue_reports,
)

_sections: dict[str, DigestSection] = {}


def register_today_section(section):
    """Called by the rooms when their app is ready; registering again replaces."""
    _sections[section.name] = section
    return section


def today_sections():
    return sorted(_sections.values(), key=lambda section: (section.position, section.name))


def due_today(now):
    """Each section with its figures, in order: [(section, DigestFigures)]."""
    return [(section, section.read(now)) for section in today_sections()]


for _section in (
    DigestSection(
        "overdue_milestones",
        gettext_lazy("Overdue milestones"),
        overdue_milestones,
        "accelerator:cohort_list",
        pgettext_lazy("before a date", "due on"),
        position=40,
    ),
    DigestSection(
        "overdue_reports",
        gettext_lazy("Overdue impact reports"),
        overdue_reports,
        "accelerator:cohort_list",
        pgettext_lazy("before a date", "due on"),
        position=50,
    ),
    DigestSection(
        "obstacles_waiting",
        gettext_lazy("Regulatory obstacles waiting"),
        obstacles_waiting,
        "accelerator:obstacle_list",
        pgettext_lazy("before a date", "reported on"),
        position=60,
    ),
):
    register_today_section(_section)
