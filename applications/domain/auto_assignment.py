"""The balanced automatic assignment: every dossier that takes jurors gets the call's number of
them, the load spread as evenly as the caps allow, never to a juror in conflict; and the report
of what it did and could not do, in plain words."""

# --- automatically ---------------------------------------------------------------------------

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.domain import conflicts
from applications.domain.assignment import (
    ASSIGNABLE_STATES,
    DEFAULT_JURORS_PER_DOSSIER,
    accepted_jurors,
    assignable_dossiers,
    check_permission,
    juror_cap,
    juror_name,
    lock_call,
    notify_new_assignments,
)
from applications.domain.dossiers import change_states
from applications.domain.ranking_rows import refresh_dossier_ranking
from applications.models import Assignment, Dossier, DossierState


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
    check_permission(actor, call)
    per_dossier = per_dossier or call.jurors_per_dossier or DEFAULT_JURORS_PER_DOSSIER
    report = AssignmentReport(
        per_dossier=per_dossier,
        cap=cap if cap is not None else call.max_dossiers_per_juror,
        exclude_same_department=call.exclude_same_department,
    )
    with transaction.atomic():
        # One run at a time per call: a second one waits, then sees the first one's work.
        lock_call(call.pk)
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
