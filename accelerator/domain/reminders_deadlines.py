"""Reminders of the deadlines of accompanied structures: milestones and impact reports due
soon and overdue, to the people who must deliver them and to the référents who follow them.

A "due" reminder is planned for every open item due from today to its cohort's offset ahead, an
"overdue" one for every open item whose day went in the last week: a day without a scan (beat
stopped) loses nothing, and the occasion names the due date, so each date is said once (and
again only if the date changes).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.reminders import (
    DEADLINES,
    FOLLOWUP,
    Links,
    day_occasion,
    due_window,
    long_day,
    overdue_window,
    to_followers,
    to_members,
    within,
)
from accelerator.models import (
    ACTIVE_STAGES,
    OPEN_REPORT_STATES,
    ImpactReport,
    Milestone,
    MilestoneOwner,
)
from workers.outbox import absolute_url
from workers.reminders import Notice, Rule, paris_time, register, reminder_day


def _open_milestones():
    return Milestone.objects.filter(
        status=Milestone.Status.OPEN, accompaniment__stage__in=ACTIVE_STAGES
    )


def _open_reports():
    return ImpactReport.objects.filter(
        state__in=OPEN_REPORT_STATES, accompaniment__stage__in=ACTIVE_STAGES
    )


def plan_milestone_due(now):
    day = reminder_day(now)
    window = due_window("remind_milestone_days", day)
    if window is None:
        return []
    milestones = _open_milestones().filter(window)
    planning = {"occasion": day_occasion("due"), "due_at": paris_time(day)}
    return [
        to_members(milestones.filter(owner=MilestoneOwner.STRUCTURE), **planning),
        *to_followers(milestones.filter(owner=MilestoneOwner.STAFF), **planning),
    ]


def plan_milestone_overdue(now):
    day = reminder_day(now)
    milestones = _open_milestones().filter(overdue_window(day))
    planning = {"occasion": day_occasion("overdue"), "due_at": paris_time(day)}
    return [
        to_members(milestones.filter(owner=MilestoneOwner.STRUCTURE), **planning),
        *to_followers(milestones.filter(owner=MilestoneOwner.STAFF), **planning),
    ]


def plan_milestone_overdue_referent(now):
    day = reminder_day(now)
    milestones = _open_milestones().filter(overdue_window(day), owner=MilestoneOwner.STRUCTURE)
    return to_followers(milestones, occasion=day_occasion("overdue"), due_at=paris_time(day))


def plan_report_due(now):
    day = reminder_day(now)
    window = due_window("remind_report_days", day)
    if window is None:
        return []
    reports = _open_reports().filter(window)
    return [to_members(reports, occasion=day_occasion("due"), due_at=paris_time(day))]


def plan_report_overdue(now):
    day = reminder_day(now)
    reports = _open_reports().filter(overdue_window(day))
    return [to_members(reports, occasion=day_occasion("overdue"), due_at=paris_time(day))]


def plan_report_overdue_referent(now):
    day = reminder_day(now)
    reports = _open_reports().filter(overdue_window(day))
    return to_followers(reports, occasion=day_occasion("overdue"), due_at=paris_time(day))


def deadline_pending(items, reminders, is_open, for_followers):
    """{reminder pk: context} of the reminders about milestones or reports (`items` by pk, their
    accompaniment loaded) whose reason holds: the item still open in an active stage, due on the
    day its occasion names (a due reminder not yet past it), the recipient still the one it goes
    to (`for_followers(item)`: its référent, else its acting members). One query for the links."""
    today = reminder_day(timezone.now())
    links = Links(
        [item.accompaniment for item in items.values()], {r.recipient_id for r in reminders}
    )
    contexts = {}
    for reminder in reminders:
        item = items.get(reminder.object_id)
        if item is None or not is_open(item) or item.due_on is None:
            continue
        moment, _sep, day = reminder.occasion.partition(":")
        accompaniment = item.accompaniment
        if accompaniment.stage not in ACTIVE_STAGES or item.due_on.isoformat() != day:
            continue
        if moment == "due" and item.due_on < today:
            continue
        followers = for_followers(item)
        if followers:
            linked = links.follows(accompaniment, reminder.recipient)
        else:
            linked = links.acts_for(accompaniment, reminder.recipient)
        if linked:
            contexts[reminder.pk] = {
                "item": item,
                "overdue": moment == "overdue",
                "for_staff": followers,
                "days_left": (item.due_on - today).days,
            }
    return contexts


def _milestones_of(reminders):
    return Milestone.objects.select_related(
        "accompaniment__structure", "accompaniment__cohort"
    ).in_bulk({r.object_id for r in reminders})


def _reports_of(reminders):
    return ImpactReport.objects.select_related(
        "accompaniment__structure", "accompaniment__cohort"
    ).in_bulk({r.object_id for r in reminders})


def _milestone_open(milestone):
    return milestone.status == Milestone.Status.OPEN


def _report_open(report):
    return report.state in OPEN_REPORT_STATES


def pending_milestones(reminders):
    """For the milestone's doers: its structure's members, or its référent when it is the
    programme's."""
    return deadline_pending(
        _milestones_of(reminders),
        reminders,
        _milestone_open,
        lambda milestone: milestone.owner == MilestoneOwner.STAFF,
    )


def pending_milestones_referent(reminders):
    """For the référent of a structure whose own milestone is overdue."""
    return deadline_pending(
        _milestones_of(reminders),
        reminders,
        lambda milestone: (
            _milestone_open(milestone) and milestone.owner == MilestoneOwner.STRUCTURE
        ),
        lambda milestone: True,
    )


def pending_reports(reminders):
    return deadline_pending(_reports_of(reminders), reminders, _report_open, lambda report: False)


def pending_reports_referent(reminders):
    return deadline_pending(_reports_of(reminders), reminders, _report_open, lambda report: True)


def milestone_notice(reminder, context):
    milestone, overdue = context["item"], context["overdue"]
    accompaniment = milestone.accompaniment
    if context["for_staff"]:
        link = reverse("accelerator:accompaniment", args=[accompaniment.pk])
        link += f"#milestone-{milestone.pk}"
    else:
        link = reverse("accelerator:structure_journey", args=[accompaniment.structure_id])
        link += f"#milestones-{accompaniment.pk}"
    names = {
        "structure": accompaniment.structure.name,
        "title": milestone.title,
        "day": long_day(milestone.due_on),
    }
    if overdue:
        text = _("%(structure)s: the milestone “%(title)s” was due on %(day)s") % names
    else:
        text = _("%(structure)s: the milestone “%(title)s” is due on %(day)s") % names
    return Notice(
        text=text,
        link=link,
        template="accelerator/email/reminders/milestone",
        context={
            **context,
            "milestone": milestone,
            "structure": accompaniment.structure,
            "cohort": accompaniment.cohort,
            "action_url": absolute_url(link),
            "action_label": _("See the milestone"),
        },
        about=f"milestone:{milestone.pk}",
        within=within(accompaniment),
    )


def report_notice(reminder, context):
    report, overdue = context["item"], context["overdue"]
    accompaniment = report.accompaniment
    link = reverse("accelerator:impact_report", kwargs={"pk": report.pk})
    names = {
        "structure": accompaniment.structure.name,
        "number": report.number,
        "day": long_day(report.due_on),
    }
    if overdue:
        text = _("%(structure)s: the impact report %(number)s was due on %(day)s") % names
    else:
        text = _("%(structure)s: the impact report %(number)s is due on %(day)s") % names
    return Notice(
        text=text,
        link=link,
        template="accelerator/email/reminders/impact_report",
        context={
            **context,
            "report": report,
            "structure": accompaniment.structure,
            "cohort": accompaniment.cohort,
            "action_url": absolute_url(link),
            "action_label": _("See the report"),
        },
        about=f"impact_report:{report.pk}",
        within=within(accompaniment),
    )


for _rule in (
    Rule("milestone_due", DEADLINES.name, plan_milestone_due, pending_milestones, milestone_notice),
    Rule(
        "milestone_overdue",
        DEADLINES.name,
        plan_milestone_overdue,
        pending_milestones,
        milestone_notice,
    ),
    Rule(
        "milestone_overdue_referent",
        FOLLOWUP.name,
        plan_milestone_overdue_referent,
        pending_milestones_referent,
        milestone_notice,
    ),
    Rule("report_due", DEADLINES.name, plan_report_due, pending_reports, report_notice),
    Rule("report_overdue", DEADLINES.name, plan_report_overdue, pending_reports, report_notice),
    Rule(
        "report_overdue_referent",
        FOLLOWUP.name,
        plan_report_overdue_referent,
        pending_reports_referent,
        report_notice,
    ),
):
    register(_rule)
