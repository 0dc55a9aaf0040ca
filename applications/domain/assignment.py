"""Who reviews which dossier: manual assignment, balanced automatic assignment, grouped notice."""

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.domain.refusals import Refused
from applications.domain import conflicts, jury_notices
from applications.domain.dossiers import change_state, change_states
from applications.domain.ranking_rows import refresh_dossier_ranking
from applications.models import (
    Assignment,
    Call,
    ConflictDeclaration,
    ConflictKind,
    Dossier,
    DossierState,
    Juror,
    Review,
)

# A dossier takes jurors while it waits for review or is being reviewed.
ASSIGNABLE_STATES = (DossierState.ELIGIBLE, DossierState.UNDER_REVIEW)
DEFAULT_JURORS_PER_DOSSIER = 3


def juror_name(juror):
    return juror.user.display_name if juror.user_id else juror.email


def accepted_jurors(call):
    """The jurors who may be given dossiers: those who accepted their invitation."""
    return Juror.objects.filter(call=call, user__isnull=False, accepted_at__isnull=False)


def assignable_dossiers(call):
    return Dossier.objects.filter(call=call, state__in=ASSIGNABLE_STATES)


def juror_cap(juror, call, cap=None):
    """How many dossiers `juror` may hold: their own maximum, else `cap` (a run's choice), else
    the call's cap; None means no limit."""
    if juror.max_dossiers is not None:
        return juror.max_dossiers
    if cap is not None:
        return cap
    return call.max_dossiers_per_juror


def _check_permission(actor, call):
    if not actor.has_perm("applications.manage_assignments", call):
        raise PermissionDenied


def _lock_call(call_id):
    """Assignments to a call's dossiers are written one transaction at a time (by hand or
    automatically, always this lock first, then the dossiers'), so each sees the others' work."""
    list(Call.objects.select_for_update(of=("self",)).filter(pk=call_id).values_list("pk"))


# --- by hand ---------------------------------------------------------------------------------


def assignment_refusals(juror, dossier):
    """Why `juror` cannot be given `dossier` now (empty when they can). By hand, staff may go
    against the département rule and a suggested conflict, never against a declared one."""
    name = juror_name(juror)
    if dossier.call_id != juror.call_id:
        return [
            _("The dossier %(reference)s belongs to another call.")
            % {"reference": dossier.reference}
        ]
    reasons = []
    if not (juror.user_id and juror.accepted_at):
        reasons.append(
            _("%(name)s has not accepted the invitation to the jury yet.") % {"name": name}
        )
    if dossier.state not in ASSIGNABLE_STATES:
        reasons.append(
            _(
                "The dossier %(reference)s is “%(state)s”: only eligible dossiers and dossiers "
                "under review take jurors."
            )
            % {"reference": dossier.reference, "state": dossier.get_state_display()}
        )
    declared = (
        ConflictDeclaration.objects.filter(juror=juror, dossier=dossier)
        .exclude(kind=ConflictKind.NONE)
        .exists()
    )
    if declared:
        reasons.append(
            _("%(name)s has a declared conflict of interest with the dossier %(reference)s.")
            % {"name": name, "reference": dossier.reference}
        )
    return reasons


def assign(juror, dossier, actor, automatic=False, notify=True):
    """Give `dossier` to `juror` for review, by `actor`. An eligible dossier moves to "under
    review" (through `change_state`). The juror hears of it in one grouped e-mail once the
    transaction commits. Raises Refused with the reasons, or PermissionDenied."""
    _check_permission(actor, juror.call)
    try:
        with transaction.atomic():
            _lock_call(juror.call_id)
            # The row as it is now, locked: the caller's copy may be older than a moment ago.
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
            reasons = assignment_refusals(juror, dossier)
            if reasons:
                raise Refused(reasons)
            if dossier.state == DossierState.ELIGIBLE:
                dossier = change_state(dossier, "start_review", actor)
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    juror=juror, dossier=dossier, assigned_by=actor, automatic=automatic
                )
            refresh_dossier_ranking(dossier.pk)
    except IntegrityError as error:
        raise Refused(
            _("%(name)s already has the dossier %(reference)s.")
            % {"name": juror_name(juror), "reference": dossier.reference}
        ) from error
    if notify:
        call = juror.call
        transaction.on_commit(lambda: notify_new_assignments(call))
    return assignment


def unassign(juror, dossier, actor):
    """Take `dossier` back from `juror`. Refused once their review is submitted; a draft review
    goes with the assignment. Returns True when a draft review was deleted."""
    _check_permission(actor, juror.call)
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update().filter(juror=juror, dossier=dossier).first()
        )
        if assignment is None:
            raise Refused(
                _("%(name)s does not have the dossier %(reference)s.")
                % {"name": juror_name(juror), "reference": dossier.reference}
            )
        review = Review.objects.filter(assignment=assignment).first()
        if review is not None and review.is_submitted:
            raise Refused(
                _(
                    "%(name)s has already submitted a review of the dossier %(reference)s: "
                    "the assignment stays."
                )
                % {"name": juror_name(juror), "reference": dossier.reference}
            )
        assignment.delete()
        refresh_dossier_ranking(dossier.pk, jurors=[juror.pk])
    return review is not None


# --- automatically ---------------------------------------------------------------------------


@dataclass
class ShortDossier:
    dossier_id: int
    reference: str
    jurors: int
    # "conflicts": not enough jurors free of conflict (and of the département rule);
    # "cap": enough of them, but they had reached their cap.
    reason: str


@dataclass
class AssignmentReport:
    """What one run of `auto_assign` did, and what it could not do, in plain words."""

    per_dossier: int
    cap: int | None
    dossier_count: int = 0
    juror_count: int = 0
    created: int = 0
    started_review: int = 0
    exclude_same_department: bool = False
    short: list[ShortDossier] = field(default_factory=list)
    # Jurors at their cap once the run ended: those held by the run's cap, those by their own.
    capped_jurors: list[str] = field(default_factory=list)
    own_cap_jurors: list[str] = field(default_factory=list)
    skipped_dossiers: list[str] = field(default_factory=list)
    created_by_juror: dict[int, int] = field(default_factory=dict)

    @property
    def complete(self):
        return not self.short and not self.skipped_dossiers

    def summary(self):
        if not self.juror_count:
            return _("No juror has accepted the invitation yet: nothing could be assigned.")
        if not self.dossier_count:
            return _("No eligible dossier or dossier under review: nothing to assign.")
        done = ngettext(
            "%(count)s assignment created.",
            "%(count)s assignments created.",
            self.created,
        ) % {"count": self.created}
        if self.complete:
            return " ".join(
                [
                    done,
                    ngettext(
                        "Every dossier now has %(count)s juror.",
                        "Every dossier now has %(count)s jurors.",
                        self.per_dossier,
                    )
                    % {"count": self.per_dossier},
                ]
            )
        return done

    def problems(self):
        """What the run could not do, one line per group of dossiers and per cap."""
        if not self.juror_count or not self.dossier_count:
            return []
        lines = []
        groups = Counter((s.jurors, s.reason) for s in self.short)
        for (jurors, reason), count in sorted(groups.items()):
            lines.append(f"{self._how_many(count, jurors)}: {self._why(reason)}")
        if self.capped_jurors and self.cap is not None:
            lines.append(
                ngettext(
                    "The cap of %(cap)s dossiers per juror was reached for %(count)s juror.",
                    "The cap of %(cap)s dossiers per juror was reached for %(count)s jurors.",
                    len(self.capped_jurors),
                )
                % {"cap": self.cap, "count": len(self.capped_jurors)}
            )
        if self.own_cap_jurors:
            lines.append(
                ngettext(
                    "%(count)s juror reached their own maximum of dossiers.",
                    "%(count)s jurors reached their own maximum of dossiers.",
                    len(self.own_cap_jurors),
                )
                % {"count": len(self.own_cap_jurors)}
            )
        if self.skipped_dossiers:
            lines.append(
                ngettext(
                    "%(count)s dossier changed state during the assignment and was left out: "
                    "%(references)s.",
                    "%(count)s dossiers changed state during the assignment and were left out: "
                    "%(references)s.",
                    len(self.skipped_dossiers),
                )
                % {
                    "count": len(self.skipped_dossiers),
                    "references": ", ".join(self.skipped_dossiers),
                }
            )
        return lines

    def messages(self):
        return [self.summary(), *self.problems()]

    def _how_many(self, count, jurors):
        if jurors == 0:
            return ngettext(
                "%(count)s dossier has no juror",
                "%(count)s dossiers have no juror",
                count,
            ) % {"count": count}
        if count == 1:
            return ngettext(
                "1 dossier has %(jurors)s juror",
                "1 dossier has %(jurors)s jurors",
                jurors,
            ) % {"jurors": jurors}
        return ngettext(
            "%(count)s dossiers have %(jurors)s juror",
            "%(count)s dossiers have %(jurors)s jurors",
            jurors,
        ) % {"count": count, "jurors": jurors}

    def _why(self, reason):
        if reason == "cap":
            return _("the jurors without conflict have reached their cap.")
        if self.exclude_same_department:
            return _("not enough jurors without conflict and from another département.")
        return _("not enough jurors without conflict.")


def auto_assign(call, actor, per_dossier=None, cap=None):
    """Give every eligible dossier and dossier under review `per_dossier` jurors (the call's
    number by default), spreading the load as evenly as the caps allow, never to a juror with a
    declared or suggested conflict nor, when the call asks it, from the dossier's département.
    Existing assignments count: a second run only fills what is missing. Returns a report.

    The plan is made in memory: dossiers with the fewest possible jurors first, each place to
    the least-loaded possible juror (ties by juror id, so the result is reproducible)."""
    _check_permission(actor, call)
    per_dossier = per_dossier or call.jurors_per_dossier or DEFAULT_JURORS_PER_DOSSIER
    report = AssignmentReport(
        per_dossier=per_dossier,
        cap=cap if cap is not None else call.max_dossiers_per_juror,
        exclude_same_department=call.exclude_same_department,
    )
    with transaction.atomic():
        # One run at a time per call: a second one waits, then sees the first one's work.
        _lock_call(call.pk)
        jurors = list(accepted_jurors(call).select_related("user").order_by("pk"))
        dossiers = list(assignable_dossiers(call).select_related("structure").order_by("pk"))
        report.juror_count, report.dossier_count = len(jurors), len(dossiers)
        if not jurors or not dossiers:
            return report
        plan = _plan(call, jurors, dossiers, per_dossier, cap, report)
        _apply(call, actor, dossiers, plan, report)
    if report.created:
        transaction.on_commit(lambda: notify_new_assignments(call))
    return report


def _plan(call, jurors, dossiers, per_dossier, cap, report):
    """The new (juror_id, dossier_id) pairs, decided in memory."""
    blocked = conflicts.blocked_pairs(call)
    existing = defaultdict(set)
    load = Counter()
    for juror_id, dossier_id in Assignment.objects.filter(juror__call=call).values_list(
        "juror_id", "dossier_id"
    ):
        existing[dossier_id].add(juror_id)
        load[juror_id] += 1
    limits = {j.pk: juror_cap(j, call, cap) for j in jurors}
    department_of = {j.pk: j.department_id for j in jurors}

    def possible(dossier):
        department = dossier.structure.department_id
        return [
            j.pk
            for j in jurors
            if (j.pk, dossier.pk) not in blocked
            and j.pk not in existing[dossier.pk]
            and not (
                call.exclude_same_department
                and department is not None
                and department_of[j.pk] == department
            )
        ]

    needs = []
    for dossier in dossiers:
        missing = per_dossier - len(existing[dossier.pk])
        if missing > 0:
            candidates = possible(dossier)
            needs.append((len(candidates), dossier.pk, dossier, missing, candidates))
    needs.sort(key=lambda need: need[:2])

    plan = []
    for _count, _pk, dossier, missing, candidates in needs:
        free = [(load[j], j) for j in candidates if limits[j] is None or load[j] < limits[j]]
        chosen = [j for _load, j in heapq.nsmallest(missing, free)]
        for juror_id in chosen:
            load[juror_id] += 1
            plan.append((juror_id, dossier.pk))
        have = len(existing[dossier.pk]) + len(chosen)
        if have < per_dossier:
            enough_without_cap = len(existing[dossier.pk]) + len(candidates) >= per_dossier
            report.short.append(
                ShortDossier(
                    dossier_id=dossier.pk,
                    reference=dossier.reference,
                    jurors=have,
                    reason="cap" if enough_without_cap else "conflicts",
                )
            )
    for juror in jurors:
        limit = limits[juror.pk]
        if limit is not None and load[juror.pk] >= limit:
            if juror.max_dossiers is not None:
                report.own_cap_jurors.append(juror_name(juror))
            else:
                report.capped_jurors.append(juror_name(juror))
    return plan


def _apply(call, actor, dossiers, plan, report):
    """Move the eligible dossiers that got jurors to "under review", then write the plan."""
    by_pk = {d.pk: d for d in dossiers}
    planned = {dossier_id for _juror_id, dossier_id in plan}
    # The states as they are now, the rows locked: a dossier withdrawn since we read it is left
    # out, one put under review by hand meanwhile is simply not started twice.
    states = dict(
        Dossier.objects.select_for_update(of=("self",))
        .filter(pk__in=planned)
        .order_by("pk")
        .values_list("pk", "state")
    )
    left_out = {pk for pk in planned if states.get(pk) not in ASSIGNABLE_STATES}
    to_start = [by_pk[pk] for pk in sorted(planned) if states.get(pk) == DossierState.ELIGIBLE]
    started, refused = change_states(to_start, "start_review", actor)
    report.started_review = len(started)
    left_out |= set(refused)
    report.skipped_dossiers = [by_pk[pk].reference for pk in sorted(left_out)]
    now = timezone.now()
    assignments = [
        Assignment(
            juror_id=juror_id,
            dossier_id=dossier_id,
            assigned_by=actor,
            assigned_at=now,
            automatic=True,
        )
        for juror_id, dossier_id in plan
        if dossier_id not in left_out
    ]
    Assignment.objects.bulk_create(assignments, batch_size=500)
    refresh_dossier_ranking([a.dossier_id for a in assignments])
    report.created = len(assignments)
    report.created_by_juror = dict(Counter(a.juror_id for a in assignments))


# --- telling the jurors ----------------------------------------------------------------------


def call_is_blind(call):
    """Whether any review phase of the call hides the applicants: then the e-mails do too."""
    return call.review_phases.filter(blind=True).exists()


def notify_new_assignments(call):
    """Tell each juror, in one notice, of all their assignments not yet announced, then mark
    them announced: the staff's action, run when assignments are made. The reminder rule
    `juror_assignments` tells of those left unannounced with the same notice; both take the
    assignments under a row lock and mark them in the same transaction as the e-mail, so the
    second finds nothing. Keyed by the set of assignments, so a retry never sends twice.
    Honours the jurors' choices for the topic (off, digest). Returns the e-mails queued."""
    with transaction.atomic():
        pending = list(
            Assignment.objects.select_for_update(of=("self",))
            .filter(juror__call=call, notified_at__isnull=True, juror__user__isnull=False)
            .select_related("juror__user", "dossier")
            .order_by("juror_id", "dossier__reference")
        )
        if not pending:
            return 0
        blind = call_is_blind(call)
        by_juror = defaultdict(list)
        for assignment in pending:
            by_juror[assignment.juror].append(assignment)
        choices = jury_notices.deliveries(
            [juror.user for juror in by_juror], jury_notices.JURY_NEWS
        )
        queued = 0
        for juror, assignments in by_juror.items():
            items = [(a.dossier_id, a.dossier.reference) for a in assignments]
            email = jury_notices.tell(
                juror.user,
                topic=jury_notices.JURY_NEWS,
                key=jury_notices.assignments_key(call.pk, juror.pk, [a.pk for a in assignments]),
                build=lambda items=items: jury_notices.assignments_notice(
                    call_id=call.pk, call_title=call.title, items=items, blind=blind
                ),
                delivery=choices[juror.user_id],
            )
            queued += email is not None
        Assignment.objects.filter(pk__in=[a.pk for a in pending]).update(notified_at=timezone.now())
    return queued


# --- what the staff pages show ---------------------------------------------------------------


def dossiers_in_review(call):
    """The dossiers the assignment page lists, each with its `juror_count`: those that take
    jurors, and any other one that already has some (shortlisted, decided...)."""
    return (
        Dossier.objects.filter(call=call)
        .annotate(juror_count=Count("assignments"))
        .filter(Q(state__in=ASSIGNABLE_STATES) | Q(juror_count__gt=0))
    )


def juror_load():
    """A juror's number of dossiers, to annotate jurors with: counted on the assignments' index
    per juror, not by joining the call's assignments to every juror row."""
    per_juror = (
        Assignment.objects.filter(juror=OuterRef("pk"))
        .order_by()
        .values("juror")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_juror), 0)


def review_figures(call, per_dossier):
    """The assignment page's figures in one query over the call: "listed" (the dossiers
    `dossiers_in_review` lists), "assignable" (those that take jurors) and "short" (those of them
    with fewer than `per_dossier` jurors, which the "missing" filter lists)."""
    taking = Q(state__in=ASSIGNABLE_STATES)
    return dossiers_in_review(call).aggregate(
        listed=Count("pk"),
        assignable=Count("pk", filter=taking),
        short=Count("pk", filter=taking & Q(juror_count__lt=per_dossier)),
    )
