"""Reminders for jurors: new assignments, conflicts to declare, reviews due and overdue.

Every rule reminds a juror once per occasion of everything they owe on one call (one grouped
reminder, never one per dossier): the reminded object is the juror's seat. The reasons are checked
again just before sending (`workers.reminders`), in a fixed number of queries per batch.
"""

from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.domain import jury_notices
from applications.domain.assignment import ASSIGNABLE_STATES
from applications.domain.jury_notices import JURY_NEWS, JURY_REVIEWS, TOPIC_LABELS
from applications.domain.review_progress import (
    owed_reviews,
    reviews_in_phase,
    seated_jurors,
    undeclared,
)
from applications.models import Assignment, Juror, JurorRole, ReviewPhase
from workers import reminders
from workers.models import OutboxMessage, ReminderStatus
from workers.reminders import PARIS, Rule, Topic, paris_time, planned, reminder_day

# Assignments made in one sitting are told together: the latest must be this old.
QUIET = timedelta(minutes=10)
# Declarations still to make are recalled this long after the assignments were told.
DECLARE_AFTER = timedelta(days=2)
# A scan that did not run for longer than this does not send stale reminders.
CATCH_UP = timedelta(days=7)
# Overdue reviews are recalled daily for this long after the phase closed; then staff decide.
OVERDUE_FOR = timedelta(days=14)


def _is_juror(user):
    return Juror.objects.filter(user=user).exists()


reminders.register_topic(
    Topic(
        JURY_REVIEWS,
        TOPIC_LABELS[JURY_REVIEWS],
        help_text=_("The reviews you still owe, before and after a review phase closes."),
        essential=True,
        audience=_is_juror,
    )
)
reminders.register_topic(
    Topic(
        JURY_NEWS,
        TOPIC_LABELS[JURY_NEWS],
        help_text=_("Dossiers newly given to you, and conflict declarations still to make."),
        audience=_is_juror,
    )
)


# --- planning --------------------------------------------------------------------------------


def per_juror(jurors, occasion, due_at):
    """A plan of one reminder per juror's seat, to the person sitting in it."""
    return planned(jurors, object_id="pk", recipient_id="user_id", occasion=occasion, due_at=due_at)


def unannounced():
    """Assignments the juror has not been told of, on dossiers still taking jurors."""
    return Assignment.objects.filter(notified_at__isnull=True, dossier__state__in=ASSIGNABLE_STATES)


def _latest(assignments, prefix):
    """An occasion naming the latest of a juror's `assignments`: "<prefix>:<its id>"."""
    latest = assignments.filter(juror=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    return Concat(
        Value(f"{prefix}:"),
        Cast(Subquery(latest), CharField()),
        output_field=CharField(),
    )


def plan_assignments(now):
    """Jurors with assignments not yet told of, once the latest is QUIET old."""
    recent = unannounced().filter(juror=OuterRef("pk"), assigned_at__gt=now - QUIET)
    jurors = seated_jurors().filter(
        Exists(unannounced().filter(juror=OuterRef("pk"))), ~Exists(recent)
    )
    occasion = _latest(unannounced(), "upto")
    return [per_juror(jurors, occasion, now)]


def plan_conflicts(now):
    """Jurors told of assignments DECLARE_AFTER ago who have not declared on them: once per
    announcement (named by the latest such assignment)."""
    told = undeclared().filter(
        notified_at__lte=now - DECLARE_AFTER, notified_at__gt=now - DECLARE_AFTER - CATCH_UP
    )
    jurors = seated_jurors().filter(Exists(told.filter(juror=OuterRef("pk"))))
    occasion = _latest(told, "declare")
    return [per_juror(jurors, occasion, now)]


def _reviewers(calls):
    """Q for the jurors of `calls` ({call id: presidents only}) who review in their phase."""
    condition = Q(pk__in=[])
    for call_id, presidents_only in calls.items():
        part = Q(call_id=call_id)
        if presidents_only:
            part &= Q(role=JurorRole.PRESIDENT)
        condition |= part
    return condition


def owing(calls):
    """The seated jurors of `calls` ({call id: presidents only}) who still owe reviews."""
    owed = owed_reviews().filter(juror=OuterRef("pk"))
    return seated_jurors().filter(_reviewers(calls)).filter(Exists(owed))


def due_moment(phase_ends_at, days):
    """`days` before the end of a phase, at the same Paris time of day."""
    return (timezone.localtime(phase_ends_at, PARIS) - timedelta(days=days)).astimezone(UTC)


def due_occasion(phase_id, ends_at):
    return f"due:{phase_id}:{ends_at.astimezone(UTC):%Y%m%d%H%M}"


def plan_reviews_due(now):
    """Jurors owing reviews in an open phase whose end is `remind_reviews_before_days` away:
    one reminder per phase (and per end, should staff move it). One query for the phases, then
    one INSERT for all of them."""
    phases = ReviewPhase.objects.filter(
        starts_at__lte=now, ends_at__gt=now, call__remind_reviews_before_days__gt=0
    ).values_list("pk", "call_id", "ends_at", "presidents_only", "call__remind_reviews_before_days")
    due = [
        (pk, call_id, ends_at, presidents_only, moment)
        for pk, call_id, ends_at, presidents_only, days in phases
        if (moment := due_moment(ends_at, days)) <= now
    ]
    if not due:
        return []
    jurors = owing({call_id: only for _pk, call_id, _ends, only, _moment in due})
    occasion = Case(
        *(When(call_id=c, then=Value(due_occasion(pk, ends))) for pk, c, ends, _o, _m in due),
        output_field=CharField(),
    )
    due_at = Case(
        *(When(call_id=c, then=Value(moment)) for _pk, c, _e, _o, moment in due),
        output_field=DateTimeField(),
    )
    return [per_juror(jurors, occasion, due_at)]


def _closed_phases(at, now):
    """The phases that closed by `at`, within OVERDUE_FOR, with no later phase of their call
    started by `now`."""
    later = ReviewPhase.objects.filter(
        call=OuterRef("call"), starts_at__gt=OuterRef("starts_at"), starts_at__lte=now
    )
    return ReviewPhase.objects.filter(ends_at__lte=at, ends_at__gt=at - OVERDUE_FOR).exclude(
        Exists(later)
    )


def plan_reviews_overdue(now):
    """Jurors still owing reviews once their phase closed: daily at 9:00 Paris time."""
    day = reminder_day(now)
    at = paris_time(day)
    calls = dict(_closed_phases(at, now).values_list("call_id", "presidents_only"))
    if not calls:
        return []
    occasion = f"overdue:{day.isoformat()}"
    return [per_juror(owing(calls), occasion, at)]


# --- checking again before sending -------------------------------------------------------------


@dataclass
class Owed:
    """What one reminder is about, built in the batch's fixed number of queries."""

    call_id: int
    call_title: str
    blind: bool
    # (dossier id, reference) of the dossiers concerned, and how many await a declaration.
    items: list = field(default_factory=list)
    to_declare: int = 0
    phase_name: str = ""
    deadline: object = None
    phase_open: bool = False
    assignment_ids: list = field(default_factory=list)


def _seats(batch):
    """{reminder pk: juror} for the reminders whose juror still sits on the jury as the same
    person, and the review phases of their calls ({call id: [phases by start]})."""
    jurors = (
        Juror.objects.filter(pk__in={r.object_id for r in batch}, accepted_at__isnull=False)
        .select_related("call")
        .in_bulk()
    )
    seats = {
        r.pk: jurors[r.object_id]
        for r in batch
        if r.object_id in jurors and jurors[r.object_id].user_id == r.recipient_id
    }
    phases = {}
    for phase in ReviewPhase.objects.filter(
        call_id__in={j.call_id for j in seats.values()}
    ).order_by("starts_at"):
        phases.setdefault(phase.call_id, []).append(phase)
    return seats, phases


def _owed(juror, phases, rows):
    return Owed(
        call_id=juror.call_id,
        call_title=juror.call.title,
        blind=any(phase.blind for phase in phases.get(juror.call_id, ())),
        items=[(row["dossier_id"], row["dossier__reference"]) for row in rows],
        to_declare=sum(1 for row in rows if row.get("undeclared")),
        assignment_ids=[row["pk"] for row in rows],
    )


def _rows(assignments, seats, **annotations):
    """{juror id: rows} of `assignments` for the seated jurors, in one query."""
    found = {}
    fields = ("pk", "juror_id", "dossier_id", "dossier__reference", *annotations)
    for row in (
        assignments.filter(juror_id__in={j.pk for j in seats.values()})
        .annotate(**annotations)
        .order_by("dossier__reference")
        .values(*fields)
    ):
        found.setdefault(row["juror_id"], []).append(row)
    return found


def _upto(reminder):
    return int(reminder.occasion.split(":", 1)[1])


def pending_assignments(batch):
    """Assignments still untold, taken under a row lock so that the staff's action cannot tell
    them meanwhile. Once the reminder is sent (the outbox asks again just before delivery), the
    assignments it told of are marked: they need only still be there."""
    seats, phases = _seats(batch)
    sent = all(r.status == ReminderStatus.SENT for r in batch)
    if sent:
        assignments = Assignment.objects.filter(dossier__state__in=ASSIGNABLE_STATES)
    else:
        assignments = unannounced().select_for_update(of=("self",))
    rows = _rows(assignments, seats)
    contexts = {}
    for reminder in batch:
        juror = seats.get(reminder.pk)
        mine = [r for r in rows.get(juror.pk, ()) if r["pk"] <= _upto(reminder)] if juror else []
        if mine:
            contexts[reminder.pk] = _owed(juror, phases, mine)
    if sent:
        return contexts
    # Told already by the staff's action of the very same set (its marks lost): not twice.
    keys = {
        pk: jury_notices.assignments_key(owed.call_id, seats[pk].pk, owed.assignment_ids)
        for pk, owed in contexts.items()
    }
    known = set(OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    return {pk: owed for pk, owed in contexts.items() if keys[pk] not in known}


def mark_told(batch):
    """After the assignments' reminders went: the assignments they told of are told."""
    told = Q(pk__in=[])
    for reminder in batch:
        told |= Q(juror_id=reminder.object_id, pk__lte=_upto(reminder))
    unannounced().filter(told).update(notified_at=timezone.now())


def pending_conflicts(batch):
    """Declarations still to make, whatever the assignment that occasioned the reminder."""
    seats, phases = _seats(batch)
    rows = _rows(undeclared(), seats)
    return {
        r.pk: _owed(seats[r.pk], phases, rows[seats[r.pk].pk])
        for r in batch
        if r.pk in seats and rows.get(seats[r.pk].pk)
    }


def _owed_reviews(batch, phase_of):
    """Reviews still owed, for the reminders whose phase (`phase_of(reminder, phases)`, None
    when the reason went) still makes them due; each Owed with the phase's name and end."""
    seats, phases = _seats(batch)
    to_declare = Exists(undeclared().filter(pk=OuterRef("pk")))
    rows = _rows(owed_reviews(), seats, undeclared=to_declare)
    contexts = {}
    for reminder in batch:
        juror = seats.get(reminder.pk)
        if juror is None or not rows.get(juror.pk):
            continue
        phase = phase_of(reminder, phases.get(juror.call_id, []))
        if phase is None or not reviews_in_phase(phase, juror):
            continue
        owed = _owed(juror, phases, rows[juror.pk])
        owed.phase_name, owed.deadline = phase.name, phase.ends_at
        owed.phase_open = phase.ends_at > timezone.now()
        contexts[reminder.pk] = owed
    return contexts


def _due_phase(reminder, phases):
    """The phase of a "due" occasion if it is still open and still ends when it said."""
    now = timezone.now()
    for phase in phases:
        if due_occasion(phase.pk, phase.ends_at) == reminder.occasion:
            return phase if phase.starts_at <= now < phase.ends_at else None
    return None


def _overdue_phase(reminder, phases):
    """The call's last started phase if it has closed (no phase open, none started since)."""
    now = timezone.now()
    started = [phase for phase in phases if phase.starts_at <= now]
    if not started or started[-1].ends_at > now:
        return None
    return started[-1]


def _any_started_phase(reminder, phases):
    """Staff asked: any time once reviewing has started; the open phase names the deadline."""
    now = timezone.now()
    started = [phase for phase in phases if phase.starts_at <= now]
    return started[-1] if started else None


def pending_due(batch):
    return _owed_reviews(batch, _due_phase)


def pending_overdue(batch):
    return _owed_reviews(batch, _overdue_phase)


def pending_asked(batch):
    return _owed_reviews(batch, _any_started_phase)


# --- what to say -----------------------------------------------------------------------------


def notice_assignments(reminder, owed):
    return jury_notices.assignments_notice(
        call_id=owed.call_id, call_title=owed.call_title, items=owed.items, blind=owed.blind
    )


def notice_conflicts(reminder, owed):
    return jury_notices.conflicts_notice(owed)


def notice_due(reminder, owed):
    return jury_notices.reviews_notice(owed, "due")


def notice_overdue(reminder, owed):
    return jury_notices.reviews_notice(owed, "overdue")


def notice_asked(reminder, owed):
    return jury_notices.reviews_notice(owed, "asked")


def _nothing(now):
    return []


ASSIGNMENTS = reminders.register(
    Rule(
        "juror_assignments",
        JURY_NEWS,
        plan_assignments,
        pending_assignments,
        notice_assignments,
        after=mark_told,
    )
)
CONFLICTS = reminders.register(
    Rule("juror_conflicts", JURY_NEWS, plan_conflicts, pending_conflicts, notice_conflicts)
)
REVIEWS_DUE = reminders.register(
    Rule("juror_reviews_due", JURY_REVIEWS, plan_reviews_due, pending_due, notice_due)
)
REVIEWS_OVERDUE = reminders.register(
    Rule(
        "juror_reviews_overdue", JURY_REVIEWS, plan_reviews_overdue, pending_overdue, notice_overdue
    )
)
# Staff's "remind now": planned by `jury_remind_now`, never by the scan.
REVIEWS_ASKED = reminders.register(
    Rule(
        "juror_reviews_asked",
        JURY_REVIEWS,
        _nothing,
        pending_asked,
        notice_asked,
        scheduled=False,
    )
)
