"""A dossier as a PDF document: its facts, then its answers in form order, for the structure's
members and the programme staff to download, keep and print. Fonts, styles and numbered pages
are those of every Essor document (`accelerator.domain.pdf`)."""

import re
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.platypus import HRFlowable, Paragraph, Spacer

from accelerator.domain import pdf
from applications.domain.answer_display import display_rows
from applications.domain.form_definition import SECTION
from applications.models import DossierState

PARIS = ZoneInfo("Europe/Paris")


def _paris(moment):
    local = timezone.localtime(moment, timezone=PARIS)
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": date_format(local, "j F Y"),
        "time": date_format(local, "H:i"),
    }


def pdf_filename(dossier):
    """The download's file name: the reference, in characters every system accepts."""
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '-', dossier.reference).strip('.-') or 'dossier'}.pdf"


def _facts(dossier, state, generated_at):
    structure = dossier.structure
    rows = [
        (_("Call"), dossier.call.title),
        (_("Programme"), dossier.call.programme.name if dossier.call.programme_id else ""),
        (_("Reference"), dossier.reference),
        (_("Structure"), structure.name),
        (_("SIREN or SIRET"), structure.siret),
        (_("State"), DossierState(state).label),
        (
            _("Submitted"),
            _paris(dossier.submitted_at) if dossier.submitted_at else _("Not yet"),
        ),
        (_("Generated on"), _paris(generated_at)),
    ]
    return pdf.facts_table(rows)


def _answer_paragraphs(row, styles):
    paragraphs = [
        p
        for p in (row["pdf"] if "pdf" in row else [row["text"]])
        if p is not None and str(p).strip()
    ]
    if not paragraphs:
        return [Paragraph(pdf.markup(_("No answer")), styles["empty"])]
    return [Paragraph(pdf.markup(text), styles["answer"]) for text in paragraphs]


def _section(row, styles):
    """A section's heading, a rule, and its introduction (what the applicants were asked)."""
    rule = HRFlowable(width="100%", thickness=0.5, color=pdf.RULE, spaceBefore=1, spaceAfter=2)
    rule.keepWithNext = 1
    intro = [p for p in row.get("pdf") or [] if str(p).strip()]
    return [
        Paragraph(pdf.markup(row["label"]), styles["section"]),
        rule,
        *(Paragraph(pdf.markup(text), styles["intro"]) for text in intro),
    ]


def _answers(rows, styles):
    """The visible questions, each under its section; a section none of whose questions
    applies is left out with them."""
    story, heading = [], None
    for row in rows:
        if not row.get("visible", True):
            continue
        if row["type"] == SECTION:
            heading = row
            continue
        if heading is not None:
            story.extend(_section(heading, styles))
            heading = None
        story.append(Paragraph(pdf.markup(row["label"]), styles["label"]))
        story.extend(_answer_paragraphs(row, styles))
    return story


def dossier_pdf(dossier, language, *, state=None, now=None):
    """The dossier as PDF bytes, in `language`.

    `state` is the state to print: the applicant's side passes the one its members may see (no
    decision before its letter); by default the dossier's own. Reads the attachments in one
    query; select_related the call, its programme and the structure to read nothing more."""
    styles = pdf.styles()
    attachments = list(dossier.attachments.all())
    with translation.override(language):
        rows = display_rows(dossier, attachments)
        title = _("Dossier %(reference)s") % {"reference": dossier.reference}
        story = [
            Paragraph(pdf.markup(dossier.call.title), styles["title"]),
            Paragraph(pdf.markup(f"{title} · {dossier.structure.name}"), styles["subtitle"]),
            _facts(dossier, state or dossier.state, now or timezone.now()),
            Spacer(1, 6),
            *_answers(rows, styles),
        ]
        return pdf.build(
            story,
            title=f"{title} · {dossier.call.title}",
            subject=dossier.structure.name,
            footer=f"{title} · {dossier.structure.name}",
            language=language,
        )
