"""The cards of a cohort board: each accompaniment's figures (milestones, obstacles, grant,
fundraising, late impact reports, last move) annotated in one query, and the cohort's totals
summed from the cards.

One correlated subquery per figure keeps the cost constant whatever the size of the cohort, and
the totals cost no query: they are summed from the cards in Python.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.board_stages import BOARD_STAGES, stage_labels
from accelerator.models import (
    OPEN_OBSTACLE_STATES,
    Accompaniment,
    AccompanimentTransition,
    Disbursement,
    FundraisingRound,
    ImpactReport,
    Milestone,
    RegulatoryObstacle,
    SeedGrant,
)
from accelerator.money import euros

PARIS = ZoneInfo("Europe/Paris")
ZERO = Decimal("0.00")


def _per_accompaniment(queryset, key, aggregate, output_field, default):
    """A correlated subquery: `aggregate` over the rows of `queryset` that belong to the outer
    accompaniment (through `key`), `default` when there are none. One subquery per figure keeps
    the joins from multiplying each other's rows."""
    grouped = (
        queryset.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(result=aggregate)
        .values("result")
    )
    return Coalesce(
        Subquery(grouped, output_field=output_field),
        Value(default, output_field=output_field),
        output_field=output_field,
    )


def _count(queryset, key="accompaniment"):
    return _per_accompaniment(queryset, key, Count("pk"), IntegerField(), 0)


def _sum(queryset, column, key="accompaniment"):
    return _per_accompaniment(
        queryset, key, Sum(column), DecimalField(max_digits=14, decimal_places=2), ZERO
    )


def _last_move(column, output_field):
    latest = AccompanimentTransition.objects.filter(accompaniment=OuterRef("pk")).order_by(
        "-at", "-pk"
    )
    return Subquery(latest.values(column)[:1], output_field=output_field)


def annotated(queryset, today):
    """Each accompaniment with the figures of its card, in the same query."""
    open_milestones = Milestone.objects.filter(status=Milestone.Status.OPEN)
    return queryset.select_related("structure__department", "referent", "support_point").annotate(
        milestones_open=_count(open_milestones),
        milestones_overdue=_count(Milestone.objects.filter(Milestone.overdue_q(today))),
        milestones_done=_count(Milestone.objects.filter(status=Milestone.Status.DONE)),
        obstacles_open=_count(RegulatoryObstacle.objects.filter(state__in=OPEN_OBSTACLE_STATES)),
        reports_late=_count(ImpactReport.objects.filter(ImpactReport.late_q(today))),
        grant_awarded=_sum(SeedGrant.objects.all(), "amount"),
        grant_disbursed=_sum(Disbursement.objects.all(), "amount", key="grant__accompaniment"),
        funds_raised=_sum(FundraisingRound.objects.all(), "amount_raised"),
        funds_target=_sum(FundraisingRound.objects.all(), "target"),
        last_move_at=_last_move("at", DateTimeField()),
        last_move_source=_last_move("source", CharField()),
        last_move_target=_last_move("target", CharField()),
    )


@dataclass
class Card:
    """What the board shows of one accompanied structure."""

    accompaniment: Accompaniment
    stage_label: str
    paused_from_label: str
    entered_on: datetime.date
    days_in_stage: int
    milestones_open: int
    milestones_overdue: int
    milestones_done: int
    obstacles_open: int
    grant_awarded: Decimal
    grant_disbursed: Decimal
    funds_raised: Decimal
    funds_target: Decimal
    last_move_on: datetime.date | None
    last_move_label: str
    # Impact reports past their due date that the structure has not submitted.
    reports_late: int = 0

    @property
    def pk(self):
        return self.accompaniment.pk

    @property
    def structure(self):
        return self.accompaniment.structure

    @property
    def referent(self):
        return self.accompaniment.referent


def make_card(accompaniment, today, labels):
    entered_on = timezone.localtime(accompaniment.stage_entered_at, PARIS).date()
    last_move_on, last_move_label = None, ""
    if accompaniment.last_move_at is not None:
        last_move_on = timezone.localtime(accompaniment.last_move_at, PARIS).date()
        last_move_label = _("%(source)s to %(target)s") % {
            "source": labels.get(accompaniment.last_move_source, accompaniment.last_move_source),
            "target": labels.get(accompaniment.last_move_target, accompaniment.last_move_target),
        }
    return Card(
        accompaniment=accompaniment,
        stage_label=labels[accompaniment.stage],
        paused_from_label=labels.get(accompaniment.paused_from, ""),
        entered_on=entered_on,
        days_in_stage=max((today - entered_on).days, 0),
        milestones_open=accompaniment.milestones_open,
        milestones_overdue=accompaniment.milestones_overdue,
        milestones_done=accompaniment.milestones_done,
        obstacles_open=accompaniment.obstacles_open,
        grant_awarded=euros(accompaniment.grant_awarded),
        grant_disbursed=euros(accompaniment.grant_disbursed),
        funds_raised=euros(accompaniment.funds_raised),
        funds_target=euros(accompaniment.funds_target),
        last_move_on=last_move_on,
        last_move_label=last_move_label,
        reports_late=accompaniment.reports_late,
    )


def cards_of(accompaniments, now=None):
    """The cards of `accompaniments` (a queryset), by structure name, in one query."""
    now = now or timezone.now()
    today = timezone.localtime(now, PARIS).date()
    labels = stage_labels()
    return [
        make_card(accompaniment, today, labels)
        for accompaniment in annotated(accompaniments, today)
    ]


# --- totals


@dataclass
class Totals:
    structures: int
    grant_awarded: Decimal
    grant_disbursed: Decimal
    funds_raised: Decimal
    funds_target: Decimal
    per_stage: list  # (stage, label, count), every board stage
    per_department: list  # ("45 Loiret", count), most structures first

    @property
    def left_to_disburse(self):
        return self.grant_awarded - self.grant_disbursed

    @property
    def raised_percent(self):
        """Funds raised as a whole percentage of the targets; None without a target."""
        if not self.funds_target:
            return None
        return int((self.funds_raised * 100 / self.funds_target).quantize(1, ROUND_HALF_UP))


def totals(cards, labels):
    per_stage = dict.fromkeys((stage.value for stage in BOARD_STAGES), 0)
    per_department = {}
    for card in cards:
        per_stage[card.accompaniment.stage] += 1
        department = card.structure.department
        name = f"{department.code} {department.name}"
        per_department[name] = per_department.get(name, 0) + 1
    return Totals(
        structures=len(cards),
        grant_awarded=sum((card.grant_awarded for card in cards), ZERO),
        grant_disbursed=sum((card.grant_disbursed for card in cards), ZERO),
        funds_raised=sum((card.funds_raised for card in cards), ZERO),
        funds_target=sum((card.funds_target for card in cards), ZERO),
        per_stage=[(stage, labels[stage], count) for stage, count in per_stage.items()],
        per_department=sorted(per_department.items(), key=lambda item: (-item[1], item[0])),
    )
