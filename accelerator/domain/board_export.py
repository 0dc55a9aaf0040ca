"""The cohort board's export: its columns and one row per card, for CSV and XLSX (`tabular`)."""

from django.utils.translation import gettext as _

from accelerator.domain import tabular
from accelerator.models import Source


def export_columns():
    """The export's columns, labelled in the active language."""
    T, INT, EUR, DAY = tabular.TEXT, tabular.INTEGER, tabular.MONEY, tabular.DATE
    C = tabular.Column
    return [
        C(_("Structure"), T, 32),
        C(_("SIRET"), T, 16),
        C(_("Département"), T, 20),
        C(_("Source"), T, 20),
        C(_("Référent"), T, 24),
        C(_("Support point"), T, 24),
        C(_("Stage"), T, 20),
        C(_("Days in stage"), INT, 12),
        C(_("Entered the stage on"), DAY, 14),
        C(_("Open milestones"), INT, 12),
        C(_("Overdue milestones"), INT, 12),
        C(_("Done milestones"), INT, 12),
        C(_("Seed grant awarded (€)"), EUR, 16),
        C(_("Seed grant disbursed (€)"), EUR, 16),
        C(_("Funds raised (€)"), EUR, 16),
        C(_("Fundraising target (€)"), EUR, 16),
        C(_("Open regulatory obstacles"), INT, 12),
    ]


def export_rows(cards):
    """One row per card (`board_cards.Card`), in the order of `export_columns`: texts, ints,
    Decimals and dates."""
    sources = {source.value: str(source.label) for source in Source}
    rows = []
    for card in cards:
        accompaniment = card.accompaniment
        structure = accompaniment.structure
        department = structure.department
        rows.append(
            [
                structure.name,
                structure.siret,
                f"{department.code} {department.name}",
                sources.get(accompaniment.source, accompaniment.source),
                accompaniment.referent.display_name if accompaniment.referent else "",
                accompaniment.support_point.name if accompaniment.support_point else "",
                card.stage_label,
                card.days_in_stage,
                card.entered_on,
                card.milestones_open,
                card.milestones_overdue,
                card.milestones_done,
                card.grant_awarded,
                card.grant_disbursed,
                card.funds_raised,
                card.funds_target,
                card.obstacles_open,
            ]
        )
    return rows
