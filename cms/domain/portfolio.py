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
from cms.domain.page_cache import forget_public_pages
from cms.models.portfolio import PortfolioConsent

# Who gives and withdraws a structure's consent (cms/permissions.py).
GIVE = "cms.give_portfolio_consent"
DESCRIPTION_MAX_LENGTH = PortfolioConsent._meta.get_field("description").max_length


def _newest_first(accompaniments):
    return accompaniments.order_by("-cohort__year", "-created_at", "-pk")


def latest_accompaniment(structure):
    """The accompaniment whose stage the portfolio shows; None for a structure never
    accompanied, which cannot appear there. One query."""
    return _newest_first(Accompaniment.objects.filter(structure=structure)).first()


def consent_of(structure):
    """The consent `structure` gave, or None. One query."""
    return PortfolioConsent.objects.filter(structure=structure).first()


def give_consent(structure, actor, description):
    """Record that `structure` agrees to appear in the portfolio with `description`, or change
    that description. Its editors decide; staff record a consent given to them in writing. A
    structure never accompanied has nothing to appear with: refused."""
    if not actor.has_perm(GIVE, structure):
        raise PermissionDenied
    description = (description or "").strip()
    if not description:
        raise Refused({"description": _("Write the description the public will read.")})
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise Refused(
            {
                "description": _("The description takes %(max)s characters at most.")
                % {"max": DESCRIPTION_MAX_LENGTH}
            }
        )
    if latest_accompaniment(structure) is None:
        raise Refused(_("Only a structure accompanied by the programme appears in the portfolio."))
    consent, _created = PortfolioConsent.objects.update_or_create(
        structure=structure,
        defaults={
            "description": description,
            "consented_by": actor,
            "consented_at": timezone.now(),
        },
    )
    # The portfolio's visitors read it at once, not when their kept page expires.
    forget_public_pages()
    return consent


def withdraw_consent(structure, actor):
    """Take `structure` out of the portfolio at once. Its figures stay as it set them, but no
    longer appear there."""
    if not actor.has_perm(GIVE, structure):
        raise PermissionDenied
    PortfolioConsent.objects.filter(structure=structure).delete()
    forget_public_pages()


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


def _entry(structure, stage, description):
    return PortfolioEntry(
        name=structure.name,
        department=f"{structure.department.name} ({structure.department.code})",
        stage=Stage(stage).label,
        description=description,
    )


def _add_figures(entries):
    """Each entry of {structure id: entry} gets the latest public figure of each indicator of
    its structure. One query."""
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


def portfolio():
    """The structures that consented and were accompanied, by name, each at the stage of its
    latest accompaniment and with its latest public figure of each indicator. Two queries."""
    latest = _newest_first(Accompaniment.objects.filter(structure=OuterRef("structure")))
    consents = (
        PortfolioConsent.objects.annotate(stage=Subquery(latest.values("stage")[:1]))
        .filter(stage__isnull=False)
        .select_related("structure__department")
        .order_by("structure__name", "pk")
    )
    entries = {
        consent.structure_id: _entry(consent.structure, consent.stage, consent.description)
        for consent in consents
    }
    _add_figures(entries)
    return list(entries.values())


def preview(structure, accompaniment, description):
    """The entry the portfolio shows (or would show) of `structure` with `description`, at the
    stage of its `latest_accompaniment`: what its people read before they consent, built as
    `portfolio()` builds it. One query (the structure's département loaded with it)."""
    entries = {structure.pk: _entry(structure, accompaniment.stage, description)}
    _add_figures(entries)
    return entries[structure.pk]
