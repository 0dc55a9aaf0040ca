"""A dossier as a PDF document: its facts (submission time in Paris, receipt number, the form it
answered), its answers in form order and the list of its files, for the structure's members and
the programme staff to download, keep and print. The parts are shared with the juror's pack
(`applications.domain.juror_pack`). Fonts, styles and numbered pages are those of every Essor
document (`accelerator.domain.pdf`)."""

import re

from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, Spacer

from accelerator.domain import pdf
from applications.domain.answer_display import display_rows
from applications.domain.form_definition import SECTION, form_definition, questions
from applications.domain.receipts import receipt_number
from applications.models import DossierState


def pdf_filename(dossier):
    """The download's file name: the reference, in characters every system accepts."""
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '-', dossier.reference).strip('.-') or 'dossier'}.pdf"


def form_answered(dossier):
    """Which form the answers belong to: the copy frozen at submission, or the call's live form
    while the dossier is being written (it may still change)."""
    count = len(questions(form_definition(dossier)))
    if dossier.form_snapshot is not None:
        return ngettext(
            "The form as it stood at submission (%(count)d question)",
            "The form as it stood at submission (%(count)d questions)",
            count,
        ) % {"count": count}
    return ngettext(
        "The call's current form (%(count)d question), which may still change",
        "The call's current form (%(count)d questions), which may still change",
        count,
    ) % {"count": count}


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
            pdf.moment(dossier.submitted_at) if dossier.submitted_at else _("Not yet"),
        ),
        (_("Receipt number"), receipt_number(dossier)),
        (_("Form answered"), form_answered(dossier)),
        (_("Generated on"), pdf.moment(generated_at)),
    ]
    return pdf.facts_table(rows)


def _answer_paragraphs(row, styles):
    if row.get("hidden_count"):
        # A partners table in blind review: the juror's screen says how many, never who.
        text = ngettext(
            "%(counter)s partner, not shown in blind review.",
            "%(counter)s partners, not shown in blind review.",
            row["hidden_count"],
        ) % {"counter": row["hidden_count"]}
        return [Paragraph(pdf.markup(text), styles["empty"])]
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


def answers_story(rows, styles):
    """The visible questions (rows as `display_rows` gives them), each under its section; a
    section none of whose questions applies is left out with them. A question with no answer
    says so."""
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


def file_type(name, content_type=""):
    """What kind of file, as people say it: “PDF”, “DOCX”; the MIME type when the name has no
    extension."""
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    return extension.upper() if extension else content_type


def files_story(files, styles, heading=None):
    """The list of the dossier's files: (name, size in bytes, type) each, under a heading."""
    story = [Paragraph(pdf.markup(heading or _("Files")), styles["section"])]
    if not files:
        return [*story, Paragraph(pdf.markup(_("No file.")), styles["empty"])]
    rows = [(name, filesizeformat(size), kind) for name, size, kind in files]
    header = (_("Name"), _("Size"), _("Type"))
    story.append(pdf.data_table(header, rows, [110 * mm, 28 * mm, 32 * mm], numeric=(1,)))
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
        files = [
            (a.original_name, a.size, file_type(a.original_name, a.content_type))
            for a in attachments
        ]
        story = [
            Paragraph(pdf.markup(dossier.call.title), styles["title"]),
            Paragraph(pdf.markup(f"{title} · {dossier.structure.name}"), styles["subtitle"]),
            _facts(dossier, state or dossier.state, now or timezone.now()),
            Spacer(1, 6),
            *answers_story(rows, styles),
            *files_story(files, styles),
        ]
        return pdf.build(
            story,
            title=f"{title} · {dossier.call.title}",
            subject=dossier.structure.name,
            footer=f"{title} · {dossier.structure.name}",
            language=language,
        )
