"""The staff's weekly digest: one e-mail per member of the programme staff, on Monday at 8:00,
with what waits for them in sections (counts and the first few items, each linked to its page).

The sections come from a small registry, so that a room above this one adds its own without
this one importing it: `applications` registers new dossiers and pending reviews from its
AppConfig.ready(), as it does for the dashboard's sections. The programme's own sections
(overdue milestones and reports, stalled structures, obstacles waiting) are registered here.
Every section costs a constant number of queries, read once for a whole batch of e-mails.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.db.models import Value
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from accelerator.domain.reminders import stalled_q
from accelerator.models import (
    ACTIVE_STAGES,
    OPEN_OBSTACLE_STATES,
    Accompaniment,
    ImpactReport,
    Milestone,
    RegulatoryObstacle,
    Stage,
    User,
)
from accelerator.permissions import is_programme_staff
from workers.outbox import absolute_url
from workers.reminders import (
    PARIS,
    Notice,
    Rule,
    Topic,
    paris_time,
    planned,
    register,
    register_topic,
)

# How many items a section lists under its count.
TOP_ITEMS = 5
# When beat sends the digest: Monday at this hour, Paris time (workers/migrations/0004).
DIGEST_HOUR = time(8, 0)


@dataclass(frozen=True)
class DigestItem:
    """One line of a section: a text (a lazy string is rendered in the recipient's language),
    the path of its page, and a day shown after the section's `day_label`."""

    text: str
    link: str
    day: date | None = None


@dataclass(frozen=True)
class DigestFigures:
    count: int
    items: list = field(default_factory=list)


@dataclass(frozen=True)
class DigestSection:
    """A part of the digest. `read(now)` returns its `DigestFigures` in a constant number of
    queries; `url_name` names the staff page that lists them all (reversed with no argument);
    `title` and `day_label` are lazy strings; sections are shown by `position`."""

    name: str
    title: str
    read: Callable
    url_name: str
    day_label: str = ""
    position: int = 100


_sections: dict[str, DigestSection] = {}


def register_digest_section(section):
    """Called by the rooms when their app is ready; registering again replaces."""
    _sections[section.name] = section
    return section


def unregister_digest_section(name):
    _sections.pop(name, None)


def digest_sections():
    return sorted(_sections.values(), key=lambda section: (section.position, section.name))


# --- the programme's sections --------------------------------------------------------------------


def _today(now):
    return timezone.localtime(now, PARIS).date()


def _figures(queryset, item, order):
    """The count and the first TOP_ITEMS of `queryset`, each made an item: two queries."""
    return DigestFigures(
        count=queryset.count(),
        items=[item(row) for row in queryset.order_by(*order)[:TOP_ITEMS]],
    )


def _accompaniment_path(accompaniment_id, anchor=""):
    return reverse("accelerator:accompaniment", args=[accompaniment_id]) + anchor


def overdue_milestones(now):
    milestones = Milestone.objects.filter(
        Milestone.overdue_q(_today(now)), accompaniment__stage__in=ACTIVE_STAGES
    ).select_related("accompaniment__structure")
    return _figures(
        milestones,
        lambda milestone: DigestItem(
            f"{milestone.accompaniment.structure.name} — {milestone.title}",
            _accompaniment_path(milestone.accompaniment_id, f"#milestone-{milestone.pk}"),
            milestone.due_on,
        ),
        ("due_on", "pk"),
    )


def overdue_reports(now):
    reports = ImpactReport.objects.filter(
        ImpactReport.late_q(_today(now)), accompaniment__stage__in=ACTIVE_STAGES
    ).select_related("accompaniment__structure")
    return _figures(
        reports,
        lambda report: DigestItem(
            format_lazy(
                gettext_lazy("{structure}: impact report {number}"),
                structure=report.accompaniment.structure.name,
                number=report.number,
            ),
            reverse("accelerator:impact_report", kwargs={"pk": report.pk}),
            report.due_on,
        ),
        ("due_on", "pk"),
    )


def stalled_structures(now):
    stalled = stalled_q(_today(now))
    if stalled is None:
        return DigestFigures(count=0)
    accompaniments = Accompaniment.objects.filter(stalled, stage__in=ACTIVE_STAGES).select_related(
        "structure"
    )
    return _figures(
        accompaniments,
        lambda accompaniment: DigestItem(
            format_lazy("{} — {}", accompaniment.structure.name, Stage(accompaniment.stage).label),
            _accompaniment_path(accompaniment.pk),
            timezone.localtime(accompaniment.stage_entered_at, PARIS).date(),
        ),
        ("stage_entered_at", "pk"),
    )


def obstacles_waiting(now):
    obstacles = RegulatoryObstacle.objects.filter(state__in=OPEN_OBSTACLE_STATES).select_related(
        "accompaniment__structure"
    )
    return _figures(
        obstacles,
        lambda obstacle: DigestItem(
            f"{obstacle.accompaniment.structure.name} — {obstacle}",
            reverse("accelerator:obstacle", kwargs={"pk": obstacle.pk}),
            timezone.localtime(obstacle.reported_at, PARIS).date(),
        ),
        ("reported_at", "pk"),
    )


for _section in (
    DigestSection(
        "overdue_milestones",
        gettext_lazy("Overdue milestones"),
        overdue_milestones,
        "accelerator:cohort_list",
        pgettext_lazy("before a date", "due on"),
        position=30,
    ),
    DigestSection(
        "overdue_reports",
        gettext_lazy("Overdue impact reports"),
        overdue_reports,
        "accelerator:cohort_list",
        pgettext_lazy("before a date", "due on"),
        position=40,
    ),
    DigestSection(
        "stalled_structures",
        gettext_lazy("Structures staying long in one stage"),
        stalled_structures,
        "accelerator:cohort_list",
        pgettext_lazy("before a date", "since"),
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
    register_digest_section(_section)


# --- the rule ------------------------------------------------------------------------------------


STAFF_DIGEST = register_topic(
    Topic(
        "staff_digest",
        gettext_lazy("Weekly digest of the programme"),
        gettext_lazy(
            "On Monday morning: new dossiers, pending reviews, overdue milestones and reports, "
            "stalled structures and obstacles waiting."
        ),
        audience=is_programme_staff,
    )
)


def week_of(now):
    """The ISO week of `now` in Paris ("2027-W13") and its Monday."""
    today = _today(now)
    year, week, weekday = today.isocalendar()
    return f"{year}-W{week:02d}", today - timedelta(days=weekday - 1)


def programme_staff():
    """Who receives the digest: the programme staff, as `is_programme_staff` says (active
    staff accounts, superusers among them)."""
    return User.objects.filter(is_active=True, is_staff=True)


def plan_staff_digest(now):
    occasion, monday = week_of(now)
    return [
        planned(
            programme_staff(),
            object_id=Value(0),
            recipient_id="pk",
            occasion=occasion,
            due_at=paris_time(monday, DIGEST_HOUR),
        )
    ]


class DigestFiguresOnce:
    """The sections' figures, shared by every e-mail of a batch and read at the first one that
    needs them: the last look before delivery (which only asks whether the reason holds) reads
    none."""

    def __init__(self, now):
        self.now = now
        self._read = None

    @property
    def sections(self):
        if self._read is None:
            self._read = [(section, section.read(self.now)) for section in digest_sections()]
        return self._read


def pending_staff_digest(reminders):
    """Still staff, and still the current week: a digest left over from a past week is not
    sent."""
    now = timezone.now()
    week, _monday = week_of(now)
    figures = DigestFiguresOnce(now)
    return {
        reminder.pk: {"figures": figures, "week": reminder.occasion}
        for reminder in reminders
        if reminder.occasion == week and is_programme_staff(reminder.recipient)
    }


def staff_digest_notice(reminder, context):
    link = reverse("accelerator:cohort_list")
    sections = [
        {
            "title": section.title,
            "count": figures.count,
            "day_label": section.day_label,
            "link": absolute_url(reverse(section.url_name)),
            "items": [
                {"text": item.text, "link": absolute_url(item.link), "day": item.day}
                for item in figures.items
            ],
        }
        for section, figures in context["figures"].sections
    ]
    total = sum(section["count"] for section in sections)
    return Notice(
        text=ngettext(
            "Weekly digest: %(count)s item to look at",
            "Weekly digest: %(count)s items to look at",
            total,
        )
        % {"count": total},
        link=link,
        template="accelerator/email/reminders/staff_digest",
        context={
            "sections": sections,
            "total": total,
            "week": context["week"],
            "action_url": absolute_url(link),
            "action_label": _("Open the cohorts"),
        },
    )


register(
    Rule(
        "staff_weekly_digest",
        STAFF_DIGEST.name,
        plan_staff_digest,
        pending_staff_digest,
        staff_digest_notice,
        # Beat runs it on Monday at 8:00 (scan_reminders("staff_weekly_digest")), not every scan.
        scheduled=False,
    )
)
