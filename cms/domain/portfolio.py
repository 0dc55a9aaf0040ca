"""The public portfolio: which accompanied structures appear (those that consented), what of
theirs is shown (name, département, stage, the public description, the figures they made
public) and nothing else; and the consent itself, given and withdrawn."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.impact_publication import public_figures
from accelerator.domain.impact_values import display_value
from accelerator.domain.refusals import Refused
from accelerator.models import Accompaniment, Stage
from cms.models.portfolio import PortfolioConsent


def give_consent(structure, actor, description):
    """Record that `structure` agrees to appear in the portfolio with `description`, or change
    that description. Its editors decide; staff record a consent given to them in writing."""
    if not actor.has_perm("accelerator.change_structure", structure):
        raise PermissionDenied
    description = (description or "").strip()
    if not description:
        raise Refused(_("Write the description the public will read."))
    consent, _created = PortfolioConsent.objects.update_or_create(
        structure=structure,
        defaults={
            "description": description,
            "consented_by": actor,
            "consented_at": timezone.now(),
        },
    )
    return consent


def withdraw_consent(structure, actor):
    """Take `structure` out of the portfolio at once. Its figures stay as it set them, but no
    longer appear there."""
    if not actor.has_perm("accelerator.change_structure", structure):
        raise PermissionDenied
    PortfolioConsent.objects.filter(structure=structure).delete()


@dataclass
class PublicFigure:
    label: str
    shown: str
    period_end: object


@dataclass
class PortfolioEntry:
    """All the portfolio shows of a structure; built field by field, so that nothing else of
    the structure can reach the template."""

    name: str
    department: str
    stage: str
    description: str
    figures: list = field(default_factory=list)


def portfolio():
    """The structures that consented and were accompanied, by name, each at the stage of its
    latest accompaniment and with its latest public figure of each indicator. Two queries."""
    latest = Accompaniment.objects.filter(structure=OuterRef("structure")).order_by(
        "-cohort__year", "-created_at", "-pk"
    )
    consents = (
        PortfolioConsent.objects.annotate(stage=Subquery(latest.values("stage")[:1]))
        .filter(stage__isnull=False)
        .select_related("structure__department")
        .order_by("structure__name", "pk")
    )
    entries = {
        consent.structure_id: PortfolioEntry(
            name=consent.structure.name,
            department=f"{consent.structure.department.name} ({consent.structure.department.code})",
            stage=Stage(consent.stage).label,
            description=consent.description,
        )
        for consent in consents
    }
    # Ordered by period: the last figure of an indicator is its latest.
    latest_figures = {}
    figures = public_figures().filter(report__accompaniment__structure__in=list(entries))
    for value in figures.order_by("report__period_end", "pk"):
        key = (value.report.accompaniment.structure_id, value.indicator_id)
        latest_figures[key] = value
    for (structure_id, _indicator), value in sorted(
        latest_figures.items(),
        key=lambda item: (item[1].indicator.category, item[1].indicator.position, item[1].pk),
    ):
        entries[structure_id].figures.append(
            PublicFigure(
                label=value.indicator.name,
                shown=display_value(value.indicator, value.value, value.text),
                period_end=value.report.period_end,
            )
        )
    return list(entries.values())
