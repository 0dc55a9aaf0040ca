"""Reminders about dossiers: calls closing, requests for information left unanswered.

Both rules remind the members who act for the structure (owners and editors). Their offsets are
the call's (`Call.remind_*`; 0 turns one off). A plan reads the calls concerned (one query), works
out each call's occasion in Python, Paris time, then hands the engine querysets that hold every
dossier at once: one INSERT ... SELECT each, whatever the number of dossiers.

An occasion names what it reminds of, so that a new deadline or a new request gets reminders of
its own: "7d@2026-12-10T17:00+01:00" (7 days before that deadline), "day@…" (the closing day),
"after@<request>" and "before@<request>" (the request's log entry). When the scan did not run for
a while, only the latest occasion due is planned, and `pending` drops an older one still waiting.
"""

import operator
from datetime import datetime, time, timedelta
from functools import reduce

from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accelerator.models import MemberRole, Membership
from applications.models import Call, Dossier, DossierState, DossierTransition
from workers import reminders
from workers.outbox import absolute_url
from workers.reminders import PARIS, Notice, Rule, Topic, paris_time, planned, reminder_day

ACTING_ROLES = (MemberRole.OWNER, MemberRole.EDITOR)
DEADLINES = "dossier_deadlines"
NEWS = "dossier_news"
TEMPLATES = "applications/email/reminders"
CLOSING_OFFSETS = ("remind_closing_first_days", "remind_closing_second_days")


def acts_for_a_structure(user):
    return Membership.objects.filter(user=user, role__in=ACTING_ROLES).exists()


reminders.register_topic(
    Topic(
        DEADLINES,
        gettext_lazy("Your dossiers' deadlines"),
        help_text=gettext_lazy(
            "A call closing while your structure's dossier is still a draft, a request for "
            "information waiting for your reply."
        ),
        essential=True,
        audience=acts_for_a_structure,
    )
)
# What happens to a dossier (receipt, request for information, eligibility, new deadline,
# decision letter): its e-mails are part of the procedure, so the topic cannot be turned off.
reminders.register_topic(
    Topic(
        NEWS,
        gettext_lazy("News of your dossiers"),
        help_text=gettext_lazy(
            "Receipts, requests for information, eligibility, new deadlines and decision letters."
        ),
        essential=True,
        audience=acts_for_a_structure,
    )
)


# --- shared ------------------------------------------------------------------------------------


def _local(moment):
    return timezone.localtime(moment, PARIS)


def _stamp(deadline):
    return _local(deadline).isoformat(timespec="minutes")


def _with_acting_members(dossiers):
    """One row per dossier and member who acts for its structure (an active owner or editor)."""
    return dossiers.filter(
        structure__memberships__role__in=ACTING_ROLES,
        structure__memberships__user__is_active=True,
    )


def _planned_by(dossiers, field, occasions):
    """The plan's queryset of `dossiers` whose `field` is a key of `occasions` ({key: (occasion,
    due)}): one query for every key, each row taking its key's occasion and due time."""
    return planned(
        _with_acting_members(dossiers.filter(**{f"{field}__in": list(occasions)})),
        object_id="pk",
        recipient_id="structure__memberships__user_id",
        occasion=Case(
            *(When(**{field: key}, then=Value(o)) for key, (o, _due) in occasions.items()),
            output_field=CharField(),
        ),
        due_at=Case(
            *(When(**{field: key}, then=Value(due)) for key, (_o, due) in occasions.items()),
            output_field=DateTimeField(),
        ),
    )


def _loaded(batch, **annotations):
    """The batch's dossiers by pk, and the (structure, user) pairs that still act: two queries."""
    dossiers = (
        Dossier.objects.select_related("call", "structure")
        .annotate(**annotations)
        .in_bulk({reminder.object_id for reminder in batch})
    )
    acting = set(
        Membership.objects.filter(
            structure_id__in={dossier.structure_id for dossier in dossiers.values()},
            user_id__in={reminder.recipient_id for reminder in batch},
            role__in=ACTING_ROLES,
            user__is_active=True,
        ).values_list("structure_id", "user_id")
    )
    return dossiers, acting


def _moment(reminder):
    # The reason is judged now, or at the time the scan was asked for when that is later.
    return max(timezone.now(), reminder.due_at)


def _dossier_path(dossier_id):
    return reverse("applications:dossier", args=[dossier_id])


def _notice(dossier, text, template, context):
    link = _dossier_path(dossier.pk)
    return Notice(
        text=text,
        link=link,
        template=f"{TEMPLATES}/{template}",
        context={
            "dossier": dossier,
            "reference": dossier.reference,
            "call_title": dossier.call.title,
            "structure_name": dossier.structure.name,
            "action_url": absolute_url(link),
            "action_label": _("Open the dossier"),
            **context,
        },
        about=f"dossier:{dossier.pk}",
        within=f"structure:{dossier.structure_id}",
    )


# --- the call closes -------------------------------------------------------------------------


def closing_occasions(deadline, first_days, second_days, day_hour):
    """[(occasion, due)] of one deadline, earliest first: N days before it (at its time of day,
    Paris time, whatever the clocks do meanwhile), and at `day_hour` o'clock on its day when that
    comes before it."""
    local = _local(deadline)
    stamp = _stamp(deadline)
    found = {}
    for days in {first_days, second_days} - {0, None}:
        found[f"{days}d@{stamp}"] = paris_time(local.date() - timedelta(days=days), local.time())
    if day_hour is not None:
        due = paris_time(local.date(), time(day_hour))
        if due < deadline:
            found[f"day@{stamp}"] = due
    return sorted(found.items(), key=lambda item: item[1])


def latest_due(occasions, deadline, now):
    """The last of `occasions` due at `now` (an earlier one is superseded), or None, also once
    the deadline has passed."""
    due = [item for item in occasions if item[1] <= now]
    return due[-1] if due and now < deadline else None


def _call_occasions(deadline, call):
    return closing_occasions(
        deadline,
        *(call[name] for name in CLOSING_OFFSETS),
        call["remind_closing_day_hour"],
    )


def _drafts():
    return Dossier.objects.filter(state=DossierState.DRAFT)


def _plan_closing(now):
    offsets = (*CLOSING_OFFSETS, "remind_closing_day_hour")
    calls = Call.objects.filter(closes_at__gt=now).values("pk", "closes_at", *offsets)
    by_call = {}
    for call in calls:
        latest = latest_due(_call_occasions(call["closes_at"], call), call["closes_at"], now)
        if latest:
            by_call[call["pk"]] = latest
    plans = []
    if by_call:
        on_time = _drafts().filter(
            Q(deadline_extended_to__isnull=True) | Q(deadline_extended_to__lte=F("call__closes_at"))
        )
        plans.append(_planned_by(on_time, "call_id", by_call))
    # Personal extensions are few: each dossier's own deadline, read at once.
    extended = _drafts().filter(
        Q(deadline_extended_to__gt=now), Q(deadline_extended_to__gt=F("call__closes_at"))
    )
    by_dossier = {}
    for row in extended.values("pk", "deadline_extended_to", *(f"call__{o}" for o in offsets)):
        call = {name: row[f"call__{name}"] for name in offsets}
        deadline = row["deadline_extended_to"]
        latest = latest_due(_call_occasions(deadline, call), deadline, now)
        if latest:
            by_dossier[row["pk"]] = latest
    if by_dossier:
        plans.append(_planned_by(extended, "pk", by_dossier))
    return plans


def _pending_closing(batch):
    dossiers, acting = _loaded(batch)
    found = {}
    for reminder in batch:
        dossier = dossiers.get(reminder.object_id)
        if dossier is None or dossier.state != DossierState.DRAFT:
            continue
        if (dossier.structure_id, reminder.recipient_id) not in acting:
            continue
        call, deadline, at = dossier.call, dossier.deadline, _moment(reminder)
        occasions = closing_occasions(
            deadline,
            *(getattr(call, name) for name in CLOSING_OFFSETS),
            call.remind_closing_day_hour,
        )
        latest = latest_due(occasions, deadline, at)
        if latest is None or latest[0] != reminder.occasion:
            continue
        found[reminder.pk] = {"dossier": dossier, "deadline": deadline, "at": at}
    return found


def _notice_closing(reminder, context):
    dossier, deadline = context["dossier"], context["deadline"]
    local = _local(deadline)
    days = (local.date() - _local(context["at"]).date()).days
    values = {
        "reference": dossier.reference,
        "call": dossier.call.title,
        "days": days,
        "time": formats.time_format(local, "H:i"),
    }
    if days <= 0:
        text = _("The dossier %(reference)s for “%(call)s” closes today at %(time)s") % values
    else:
        text = (
            ngettext(
                "The dossier %(reference)s for “%(call)s” closes in %(days)d day",
                "The dossier %(reference)s for “%(call)s” closes in %(days)d days",
                days,
            )
            % values
        )
    return _notice(dossier, text, "call_closing", {"deadline": deadline, "days": max(days, 0)})


reminders.register(
    Rule("call_closing", DEADLINES, _plan_closing, _pending_closing, _notice_closing)
)


# --- information requested -----------------------------------------------------------------


def _last_request(field="pk"):
    return Subquery(
        DossierTransition.objects.filter(dossier=OuterRef("pk"), name="request_info")
        .order_by("-at", "-pk")
        .values(field)[:1]
    )


def _midnight(day):
    """The first instant of `day` in Paris: a moment before it falls on an earlier date."""
    return datetime.combine(day, time(0), tzinfo=PARIS)


def _reply_soon(call_id, before_days, day):
    # The reply date comes within `before_days` of the reminder day: the reminder before it.
    limit = _midnight(day + timedelta(days=before_days + 1))
    return Q(call_id=call_id, info_reply_due_at__lt=limit)


def _plan_info(now):
    calls = (
        Call.objects.filter(dossiers__state=DossierState.INFO_REQUESTED)
        .order_by()
        .values("pk", "remind_info_after_days", "remind_info_before_days")
        .distinct()
    )
    day = reminder_day(now)
    groups = {"before": [], "after": []}
    for call in calls:
        soon = None
        if call["remind_info_before_days"]:
            soon = _reply_soon(call["pk"], call["remind_info_before_days"], day)
            groups["before"].append(soon)
        if call["remind_info_after_days"]:
            waited = _midnight(day - timedelta(days=call["remind_info_after_days"] - 1))
            after = Q(call_id=call["pk"], info_requested_at__lt=waited)
            # Once the reminder before the reply date is due, it is the one that goes.
            groups["after"].append(after & ~soon if soon else after)
    waiting = _with_acting_members(
        Dossier.objects.filter(
            Q(info_reply_due_at__isnull=True) | Q(info_reply_due_at__gt=now),
            state=DossierState.INFO_REQUESTED,
            info_requested_at__isnull=False,
        )
    )
    return [
        planned(
            waiting.filter(reduce(operator.or_, conditions)),
            object_id="pk",
            recipient_id="structure__memberships__user_id",
            occasion=Concat(
                Value(f"{kind}@"), Coalesce(Cast(_last_request(), CharField()), Value(""))
            ),
            due_at=paris_time(day),
        )
        for kind, conditions in groups.items()
        if conditions
    ]


def _before_is_due(dossier, at):
    days = dossier.call.remind_info_before_days
    if not days or dossier.info_reply_due_at is None:
        return False
    return _local(dossier.info_reply_due_at).date() - timedelta(days=days) <= reminder_day(at)


def _pending_info(batch):
    dossiers, acting = _loaded(
        batch, last_request=_last_request(), request_comment=_last_request("comment")
    )
    found = {}
    for reminder in batch:
        dossier = dossiers.get(reminder.object_id)
        if dossier is None or dossier.state != DossierState.INFO_REQUESTED:
            continue
        if (dossier.structure_id, reminder.recipient_id) not in acting:
            continue
        kind, _sep, request = reminder.occasion.partition("@")
        at = _moment(reminder)
        if request != str(dossier.last_request):
            continue
        if dossier.info_reply_due_at is not None and at >= dossier.info_reply_due_at:
            continue
        if kind == "after" and _before_is_due(dossier, at):
            continue
        found[reminder.pk] = {"dossier": dossier, "kind": kind}
    return found


def _notice_info(reminder, context):
    dossier = context["dossier"]
    values = {"reference": dossier.reference, "call": dossier.call.title}
    reply_by = dossier.info_reply_due_at
    if context["kind"] == "before":
        values["date"] = formats.date_format(_local(reply_by), "j F")
        text = _("Your reply on the dossier %(reference)s for “%(call)s” is expected by %(date)s")
    else:
        text = _("The dossier %(reference)s for “%(call)s” waits for the information requested")
    return _notice(
        dossier,
        text % values,
        "info_requested",
        {
            "kind": context["kind"],
            "reply_due_at": reply_by,
            "requested_at": dossier.info_requested_at,
            "comment": dossier.request_comment or "",
        },
    )


reminders.register(Rule("info_requested", DEADLINES, _plan_info, _pending_info, _notice_info))
