"""A cohort's progress over time: how many of its structures were in each stage at the end of
every week, rebuilt from the stage-change logs read in one query."""

import bisect
import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from accelerator.domain.board_stages import BOARD_STAGES
from accelerator.models import AccompanimentTransition, Stage

PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Week:
    """How many structures were in each stage at the end of the week starting on `starts_on`
    (at the present moment for the current week)."""

    starts_on: datetime.date
    counts: dict  # stage value -> structures, every board stage

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def in_order(self):
        """The counts in the order of the board's columns."""
        return [self.counts[stage] for stage in BOARD_STAGES]


def monday(day):
    return day - datetime.timedelta(days=day.weekday())


def progress_series(starts, moves, first_day, now):
    """The cohort's weekly progress, from the week of `first_day` to the week of `now`.

    `starts` maps each accompaniment to its creation (it is in sourcing from then on); `moves` are
    its stage changes as (accompaniment, at, source, target), from the logs. A structure counts
    from its creation; before its first logged move it is in that move's source (sourcing, as every
    structure starts). Pure: the caller reads the logs in one query.
    """
    today = timezone.localtime(now, PARIS).date()
    history = {pk: ([], []) for pk in starts}  # times, stages after each time
    for pk, at, source, target in sorted(moves, key=lambda move: move[1]):
        if pk not in history:
            continue
        times, stages = history[pk]
        if not times:
            # Before its first move the structure was in the move's source.
            times.append(min(starts[pk], at))
            stages.append(source)
        times.append(at)
        stages.append(target)
    for pk, (times, stages) in history.items():
        if not times:
            times.append(starts[pk])
            stages.append(Stage.SOURCING.value)

    weeks = []
    week = monday(min(first_day, today))
    while week <= today:
        next_week = week + datetime.timedelta(days=7)
        cutoff = min(datetime.datetime.combine(next_week, datetime.time.min, PARIS), now)
        counts = dict.fromkeys((stage.value for stage in BOARD_STAGES), 0)
        for times, stages in history.values():
            # The last change strictly before the cutoff; none means not yet in the cohort.
            index = bisect.bisect_left(times, cutoff) - 1
            if index >= 0:
                counts[stages[index]] += 1
        weeks.append(Week(starts_on=week, counts=counts))
        week = next_week
    return weeks


def first_day(cohort, starts):
    """The first week of the chart: the cohort's start, else its first structure's arrival."""
    if cohort.starts_on:
        return cohort.starts_on
    if starts:
        return timezone.localtime(min(starts.values()), PARIS).date()
    return timezone.localdate()


def cohort_weeks(cohort, accompaniments, starts, now):
    """The weekly series of `accompaniments` (a queryset) of `cohort`, whose creations `starts`
    maps by pk, from their stage-change logs read in one query."""
    moves = (
        AccompanimentTransition.objects.filter(accompaniment__in=accompaniments.values("pk"))
        .order_by("at", "pk")
        .values_list("accompaniment_id", "at", "source", "target")
    )
    return progress_series(starts, list(moves), first_day(cohort, starts), now)
