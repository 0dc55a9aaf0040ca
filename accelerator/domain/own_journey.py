"""What a structure's own journey page and the home page read: a structure's accompaniments, their
milestones by stage, what is due soon and what is overdue, in a constant number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from accelerator.models import (
    JOURNEY,
    STAGE_ORDER,
    Accompaniment,
    AccompanimentTransition,
    Milestone,
    Stage,
)

# "Due soon" on the structure's page: open milestones due within this many days.
DUE_SOON_DAYS = 30


def newest_first(queryset):
    """Accompaniments of the newest cohort first (a structure may have been in several)."""
    return queryset.order_by("-cohort__year", "-cohort__starts_on", "-created_at", "-pk")


@dataclass
class Step:
    """One step of the progress bar: `state` is done, current, paused, stopped or todo."""

    stage: str
    label: str
    state: str


@dataclass
class StageGroup:
    stage: str
    label: str
    milestones: list


@dataclass
class OwnJourney:
    """One accompaniment as its structure reads it."""

    accompaniment: Accompaniment
    steps: list
    # The stage the progress stands on: the current one, the one a pause or an exit left.
    position: str
    groups: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)

    @property
    def position_label(self):
        return Stage(self.position).label if self.position else ""

    @property
    def milestone_count(self):
        return sum(len(group.milestones) for group in self.groups)


def progress(stage, position):
    """The steps of the journey with the place `position` holds; a paused or exited journey
    keeps the steps behind it done and marks where it stopped."""
    index = JOURNEY.index(position) if position in JOURNEY else -1
    here = {Stage.PAUSED: "paused", Stage.EXITED: "stopped"}.get(stage, "current")
    steps = []
    for rank, step in enumerate(JOURNEY):
        if rank < index:
            state = "done"
        elif rank == index:
            state = here
        else:
            state = "todo"
        steps.append(Step(step.value, step.label, state))
    return steps


def accompaniments_of(structure):
    """The structure's accompaniments, newest first, with what the page shows of each: cohort,
    programme, référent, support point, and for an exit the stage it left (one query)."""
    left_from = (
        AccompanimentTransition.objects.filter(accompaniment=OuterRef("pk"), target=Stage.EXITED)
        .order_by("-at", "-pk")
        .values("source")[:1]
    )
    return newest_first(
        Accompaniment.objects.filter(structure=structure)
        .select_related("cohort__programme", "referent", "support_point")
        .annotate(left_from=Subquery(left_from))
    )


def _sort_key(milestone):
    # Undated milestones last, whatever the database does with NULLs.
    return (milestone.due_on is None, milestone.due_on or datetime.date.min, milestone.pk)


def own_journeys(structure, today=None):
    """An `OwnJourney` per accompaniment of `structure`: two queries, whatever the number of
    milestones. Every accompaniment and milestone shares the `structure` instance given, so
    permission checks on them read the roles it caches."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    accompaniments = list(accompaniments_of(structure))
    by_id = {}
    for accompaniment in accompaniments:
        accompaniment.structure = structure
        by_id[accompaniment.pk] = accompaniment
    milestones = sorted(
        Milestone.objects.filter(accompaniment_id__in=list(by_id)) if by_id else [],
        key=_sort_key,
    )
    per_accompaniment = {pk: {} for pk in by_id}
    for milestone in milestones:
        milestone.accompaniment = by_id[milestone.accompaniment_id]
        milestone.overdue = milestone.is_overdue(today)
        per_accompaniment[milestone.accompaniment_id].setdefault(milestone.stage, []).append(
            milestone
        )
    journeys = []
    for accompaniment in accompaniments:
        if accompaniment.stage == Stage.PAUSED:
            position = accompaniment.paused_from
        elif accompaniment.stage == Stage.EXITED:
            position = accompaniment.left_from or ""
        else:
            position = accompaniment.stage
        by_stage = per_accompaniment[accompaniment.pk]
        groups = [
            StageGroup(stage.value, stage.label, by_stage[stage])
            for stage in STAGE_ORDER
            if stage in by_stage
        ]
        mine = [m for group in groups for m in group.milestones]
        journeys.append(
            OwnJourney(
                accompaniment=accompaniment,
                steps=progress(accompaniment.stage, position),
                position=position,
                groups=groups,
                overdue=[m for m in mine if m.overdue],
                due_soon=[
                    m
                    for m in mine
                    if m.status == Milestone.Status.OPEN
                    and m.due_on is not None
                    and today <= m.due_on <= horizon
                ],
            )
        )
    return journeys


# --- the home page


def member_accompaniments(structure_ids, today=None):
    """The accompaniments of the structures a person belongs to, with their overdue milestones
    counted (one query; none when they belong to no structure)."""
    if not structure_ids:
        return []
    today = today or timezone.localdate()
    return list(
        newest_first(
            Accompaniment.objects.filter(structure_id__in=structure_ids)
            .select_related("cohort__programme", "structure")
            .annotate(
                overdue_count=Count("milestones", filter=Milestone.overdue_q(today, "milestones__"))
            )
        )
    )


def territory_accompaniments(user, today=None):
    """The structures accompanied now (not alumni, not exited) in the départements of the
    support points `user` belongs to, with their overdue milestones counted (one query)."""
    if not (user and user.is_authenticated):
        return []
    today = today or timezone.localdate()
    in_territory = Accompaniment.objects.filter(
        structure__department__support_points__members=user
    ).values("pk")
    return list(
        Accompaniment.objects.filter(pk__in=in_territory)
        .exclude(stage__in=[Stage.ALUMNI, Stage.EXITED])
        .select_related("cohort", "structure__department")
        .annotate(
            overdue_count=Count("milestones", filter=Milestone.overdue_q(today, "milestones__"))
        )
        .order_by("structure__department__code", "structure__name", "-cohort__year", "pk")
    )
