"""Reminders about milestones, impact reports, stalled stages, and the staff's weekly digest.

Registered with the engine (`workers.reminders`) when the app is ready: here the topics, the
planning helpers the rules share and the stalled stages; milestones and impact reports in
`reminders_deadlines`, the staff's weekly digest in `reminders_digest`. Date-based reminders go
at 9:00 Paris time (`workers.reminders.REMINDER_HOUR`), whatever the season.
"""

from datetime import time, timedelta

from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat, TruncDate
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accelerator.models import (
    ACTIVE_STAGES,
    Accompaniment,
    Cohort,
    MemberRole,
    Membership,
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
    reminder_day,
)

# The members a structure's reminders go to: those who act for it.
ACTING_ROLES = (MemberRole.OWNER, MemberRole.EDITOR)
# How far back an overdue item is still announced when the scans stopped for a while.
OVERDUE_CATCH_UP_DAYS = 7


def acts_or_follows(user):
    """Who sees the deadlines topic: a person acting for a structure, or programme staff."""
    if is_programme_staff(user):
        return True
    return Membership.objects.filter(user=user, role__in=ACTING_ROLES).exists()


DEADLINES = register_topic(
    Topic(
        "structure_deadlines",
        gettext_lazy("My structure: deadlines and decisions"),
        gettext_lazy("Milestones and impact reports to deliver, and the programme's decisions."),
        essential=True,
        audience=acts_or_follows,
    )
)
FOLLOWUP = register_topic(
    Topic(
        "followup",
        gettext_lazy("Structures I follow"),
        gettext_lazy(
            "Structures that stay long in one stage, and milestones or impact reports overdue "
            "in the structures you follow."
        ),
        audience=is_programme_staff,
    )
)


# --- planning helpers ----------------------------------------------------------------------------


def offset_groups(field):
    """The distinct values of a cohort's reminder setting, 0 (off) left out: one query."""
    values = Cohort.objects.order_by().exclude(**{field: 0}).values_list(field, flat=True)
    return sorted(set(values.distinct()))


def due_window(field, day, prefix="accompaniment__"):
    """Items due from `day` to the cohort's offset (`field`) ahead, per group of cohorts sharing
    an offset; None when every cohort turned the reminder off."""
    window = None
    for offset in offset_groups(field):
        group = Q(
            **{
                f"{prefix}cohort__{field}": offset,
                "due_on__gte": day,
                "due_on__lte": day + timedelta(days=offset),
            }
        )
        window = group if window is None else window | group
    return window


def overdue_window(day):
    """Items whose due day went, in the last OVERDUE_CATCH_UP_DAYS days."""
    return Q(due_on__lt=day, due_on__gte=day - timedelta(days=OVERDUE_CATCH_UP_DAYS))


def day_occasion(moment, path="due_on"):
    """ "due:2027-03-28": the moment and the ISO date of a date column (SQLite and PostgreSQL
    write a date as text the same way)."""
    return Concat(Value(f"{moment}:"), Cast(path, CharField()), output_field=CharField())


def to_members(queryset, prefix="accompaniment__", **planning):
    """`queryset` reminded to the active owners and editors of each item's structure (one filter
    call: the role and the person are those of the same membership)."""
    people = queryset.filter(
        **{
            f"{prefix}structure__memberships__role__in": ACTING_ROLES,
            f"{prefix}structure__memberships__user__is_active": True,
        }
    )
    return planned(
        people, object_id="pk", recipient_id=f"{prefix}structure__memberships__user", **planning
    )


def to_followers(queryset, prefix="accompaniment__", **planning):
    """`queryset` reminded to the référent of each item's accompaniment, or, when it has none,
    to its cohort's référents: two querysets."""
    own = queryset.filter(**{f"{prefix}referent__is_active": True})
    cohort = queryset.filter(
        **{f"{prefix}referent__isnull": True, f"{prefix}cohort__referents__is_active": True}
    )
    return [
        planned(own, object_id="pk", recipient_id=f"{prefix}referent", **planning),
        planned(cohort, object_id="pk", recipient_id=f"{prefix}cohort__referents", **planning),
    ]


class Links:
    """Who is still linked to the accompaniments of a batch, read in two queries: the acting
    members of their structures, and the référents of the cohorts of those without one."""

    def __init__(self, accompaniments, recipient_ids):
        accompaniments = list(accompaniments)
        structures = {a.structure_id for a in accompaniments}
        cohorts = {a.cohort_id for a in accompaniments if a.referent_id is None}
        self.acting = set()
        if structures:
            self.acting = set(
                Membership.objects.filter(
                    structure_id__in=structures,
                    user_id__in=recipient_ids,
                    role__in=ACTING_ROLES,
                    user__is_active=True,
                ).values_list("structure_id", "user_id")
            )
        self.cohort_referents = set()
        if cohorts:
            self.cohort_referents = set(
                Cohort.referents.through.objects.filter(
                    cohort_id__in=cohorts, user_id__in=recipient_ids
                ).values_list("cohort_id", "user_id")
            )

    def acts_for(self, accompaniment, user):
        return (accompaniment.structure_id, user.pk) in self.acting

    def follows(self, accompaniment, user):
        if not user.is_active:
            return False
        if accompaniment.referent_id is not None:
            return accompaniment.referent_id == user.pk
        return (accompaniment.cohort_id, user.pk) in self.cohort_referents


def long_day(day):
    return formats.date_format(day, "j F Y")


def within(accompaniment):
    return f"structure:{accompaniment.structure_id}"


# --- stalled stages ------------------------------------------------------------------------------


def _entered_on(accompaniment):
    return timezone.localtime(accompaniment.stage_entered_at, PARIS).date()


def stalled_q(day):
    """Accompaniments whose stage was entered at least their cohort's threshold of Paris days
    before `day`, per group of cohorts sharing a threshold; None when every cohort turned it off."""
    stalled = None
    for offset in offset_groups("stalled_after_days"):
        # Entered on `day - offset` or before: before midnight of the day after.
        limit = paris_time(day - timedelta(days=offset - 1), time(0))
        group = Q(cohort__stalled_after_days=offset, stage_entered_at__lt=limit)
        stalled = group if stalled is None else stalled | group
    return stalled


def plan_stage_stalled(now):
    """Accompaniments in an active stage for longer than their cohort's threshold; the occasion
    names the stage and the day it was entered, so each stalled stage is said once."""
    day = reminder_day(now)
    stalled = stalled_q(day)
    if stalled is None:
        return []
    accompaniments = Accompaniment.objects.filter(stalled, stage__in=ACTIVE_STAGES)
    occasion = Concat(
        F("stage"),
        Value(":"),
        Cast(TruncDate("stage_entered_at", tzinfo=PARIS), CharField()),
        output_field=CharField(),
    )
    return to_followers(accompaniments, prefix="", occasion=occasion, due_at=paris_time(day))


def pending_stage_stalled(reminders):
    accompaniments = Accompaniment.objects.select_related("structure", "cohort").in_bulk(
        {r.object_id for r in reminders}
    )
    links = Links(accompaniments.values(), {r.recipient_id for r in reminders})
    today = reminder_day(timezone.now())
    contexts = {}
    for reminder in reminders:
        accompaniment = accompaniments.get(reminder.object_id)
        if accompaniment is None or accompaniment.stage not in ACTIVE_STAGES:
            continue
        entered = _entered_on(accompaniment)
        days = (today - entered).days
        threshold = accompaniment.cohort.stalled_after_days
        if reminder.occasion != f"{accompaniment.stage}:{entered.isoformat()}":
            continue
        if not threshold or days < threshold:
            continue
        if links.follows(accompaniment, reminder.recipient):
            contexts[reminder.pk] = {"accompaniment": accompaniment, "days": days}
    return contexts


def stage_stalled_notice(reminder, context):
    accompaniment = context["accompaniment"]
    link = reverse("accelerator:accompaniment", args=[accompaniment.pk])
    stage = accompaniment.get_stage_display()
    text = ngettext(
        "%(structure)s has been in “%(stage)s” for %(days)s day",
        "%(structure)s has been in “%(stage)s” for %(days)s days",
        context["days"],
    ) % {
        "structure": accompaniment.structure.name,
        "stage": stage,
        "days": context["days"],
    }
    return Notice(
        text=text,
        link=link,
        template="accelerator/email/reminders/stage_stalled",
        context={
            **context,
            "structure": accompaniment.structure,
            "cohort": accompaniment.cohort,
            "stage_label": stage,
            "entered_on": _entered_on(accompaniment),
            "action_url": absolute_url(link),
            "action_label": _("See the accompaniment"),
        },
        about=f"accompaniment:{accompaniment.pk}",
        within=within(accompaniment),
    )


register(
    Rule(
        "stage_stalled",
        FOLLOWUP.name,
        plan_stage_stalled,
        pending_stage_stalled,
        stage_stalled_notice,
    )
)

# The other rules register on import; they use the helpers above.
from accelerator.domain import reminders_deadlines, reminders_digest  # noqa: E402, F401
