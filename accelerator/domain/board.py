"""The cohort board, as its pages ask for it: which structures of a cohort a reader sees, the
list of cohorts, the board's filters, and the board assembled from its cards (`board_cards`),
totals, weekly progress (`board_progress`) and chart (`board_chart`).

Everything here costs a constant number of queries, whatever the size of the cohort; the export's
rows are in `board_export`.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.board_cards import Totals, cards_of, totals
from accelerator.domain.board_chart import Chart, progress_chart
from accelerator.domain.board_progress import cohort_weeks
from accelerator.domain.board_stages import BOARD_STAGES, STAGE_COLOURS, stage_labels
from accelerator.domain.support_points import followed_q
from accelerator.models import Accompaniment, Cohort
from accelerator.permissions import is_programme_staff, is_superuser

# The référent filter's value for structures that have none yet.
NO_REFERENT = "none"


# --- who sees what


def territory(user):
    """The départements whose structures `user` sees on cohort boards: None for programme staff
    (every structure), else those of the support points they belong to (empty when none); there
    a support point sees only the accompaniments it follows (`followed_q`)."""
    if is_programme_staff(user) or is_superuser(user):
        return None
    if not user.is_authenticated:
        return frozenset()
    return frozenset(user.support_points.values_list("department_id", flat=True))


def _in_territory(queryset, departments):
    """Accompaniments of the reader's territory that it follows (all of them for staff)."""
    if departments is None:
        return queryset
    return queryset.filter(followed_q(departments))


def seen(cohort, departments, department=None, referent=None):
    """The accompaniments of `cohort` the reader sees (`departments` from `territory`), filtered."""
    queryset = _in_territory(Accompaniment.objects.filter(cohort=cohort), departments)
    return filtered(queryset, department=department, referent=referent)


# --- the list of cohorts


@dataclass
class CohortLine:
    cohort: Cohort
    structures: int
    stages: list  # (stage, label, count) for the stages holding at least one structure


def cohort_lines(departments):
    """Every cohort with its structures counted, per stage too, in one query. For a support point
    (`departments` given) only the cohorts holding structures of its territory, only those
    counted."""
    scope = None if departments is None else followed_q(departments, prefix="accompaniments__")
    counts = {"structure_count": Count("accompaniments", filter=scope)}
    for stage in BOARD_STAGES:
        in_stage = Q(accompaniments__stage=stage)
        counts[f"in_{stage.value}"] = Count(
            "accompaniments", filter=in_stage if scope is None else scope & in_stage
        )
    cohorts = Cohort.objects.select_related("programme").annotate(**counts)
    if departments is not None:
        cohorts = cohorts.filter(structure_count__gt=0)
    labels = stage_labels()
    return [
        CohortLine(
            cohort=cohort,
            structures=cohort.structure_count,
            stages=[
                (stage.value, labels[stage], getattr(cohort, f"in_{stage.value}"))
                for stage in BOARD_STAGES
                if getattr(cohort, f"in_{stage.value}")
            ],
        )
        for cohort in cohorts.order_by("-year", "name", "pk")
    ]


# --- filters


@dataclass
class FilterChoices:
    """What the board's filters offer: the départements and référents of the structures the reader
    sees in the cohort. `seen` tells whether the reader sees any structure of it at all."""

    departments: list = field(default_factory=list)  # (code, "45 Loiret")
    referents: list = field(default_factory=list)  # (pk as text or NO_REFERENT, name)
    seen: bool = False


def filter_choices(cohort, departments):
    """The filters' choices, in one query."""
    rows = (
        _in_territory(Accompaniment.objects.filter(cohort=cohort), departments)
        .order_by()
        .values_list(
            "structure__department__code",
            "structure__department__name",
            "referent_id",
            "referent__first_name",
            "referent__last_name",
            "referent__email",
        )
        .distinct()
    )
    found_departments, found_referents, without_referent, seen = {}, {}, False, False
    for code, name, referent_id, first_name, last_name, email in rows:
        seen = True
        found_departments[code] = f"{code} {name}"
        if referent_id is None:
            without_referent = True
        else:
            # As User.display_name reads.
            full_name = f"{first_name} {last_name}".strip()
            found_referents[str(referent_id)] = full_name or email
    referents = sorted(found_referents.items(), key=lambda item: (item[1].lower(), item[0]))
    if without_referent:
        referents.append((NO_REFERENT, _("No référent yet")))
    return FilterChoices(
        departments=sorted(found_departments.items()), referents=referents, seen=seen
    )


def filtered(queryset, department=None, referent=None):
    """Accompaniments of one département (its INSEE code) and of one référent (a user's pk, or
    NO_REFERENT): the same filters for the cards, the totals, the chart and the exports."""
    if department:
        queryset = queryset.filter(structure__department__code=department)
    if referent == NO_REFERENT:
        queryset = queryset.filter(referent__isnull=True)
    elif referent:
        queryset = queryset.filter(referent_id=referent)
    return queryset


# --- the board


@dataclass
class StageColumn:
    stage: str
    label: str
    colour: str
    cards: list


@dataclass
class Board:
    cohort: Cohort
    cards: list
    columns: list
    totals: Totals
    weeks: list
    chart: Chart


def build_board(cohort, departments, department=None, referent=None, now=None):
    """The whole board, in two queries: the cards, then the stage-change logs of the chart."""
    now = now or timezone.now()
    labels = stage_labels()
    accompaniments = seen(cohort, departments, department=department, referent=referent)
    cards = cards_of(accompaniments, now=now)
    starts = {card.pk: card.accompaniment.created_at for card in cards}
    weeks = cohort_weeks(cohort, accompaniments, starts, now)
    by_stage = {stage.value: [] for stage in BOARD_STAGES}
    for card in cards:
        by_stage[card.accompaniment.stage].append(card)
    columns = [
        StageColumn(stage.value, labels[stage], STAGE_COLOURS[stage], by_stage[stage])
        for stage in BOARD_STAGES
    ]
    return Board(
        cohort=cohort,
        cards=cards,
        columns=columns,
        totals=totals(cards, labels),
        weeks=weeks,
        chart=progress_chart(weeks, labels),
    )
