"""A dossier as a PDF document: its facts, then its answers in form order, for the structure's
members and the programme staff to download, keep and print."""

import re
from functools import cache, partial
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import reportlab
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from applications.domain.answer_display import display_rows
from applications.domain.form_definition import SECTION
from applications.models import DossierState

AUTHOR = "Essor"
PARIS = ZoneInfo("Europe/Paris")
MARGIN = 20 * mm
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#0b5a4a")
RULE = colors.HexColor("#cbd2d9")

# The Bitstream Vera fonts ship inside ReportLab and are embedded in the file, so the document
# reads the same everywhere and holds every French character (é, œ, €, « », ’). They lack the
# thin spaces that French typography sometimes uses: those print as ordinary non-breaking ones.
FONT = "EssorVera"
_FONT_FILES = {
    FONT: "Vera.ttf",
    f"{FONT}-Bold": "VeraBd.ttf",
    f"{FONT}-Italic": "VeraIt.ttf",
    f"{FONT}-BoldItalic": "VeraBI.ttf",
}
_SPACES = str.maketrans({"\u202f": "\u00a0", "\u2009": "\u00a0", "\u2007": "\u00a0", "\t": "    "})
# Characters XML (and so ReportLab's paragraph markup) cannot hold.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@cache
def _fonts():
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )
    return FONT


@cache
def _styles():
    font = _fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, textColor=INK)
    return {
        "title": ParagraphStyle(
            "title", base, fontName=f"{font}-Bold", fontSize=18, leading=23, spaceAfter=2
        ),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, textColor=MUTED, spaceAfter=10),
        "fact_label": ParagraphStyle("fact_label", base, fontName=f"{font}-Bold", fontSize=9),
        "fact": ParagraphStyle("fact", base, fontSize=9, leading=12),
        "section": ParagraphStyle(
            "section",
            base,
            fontName=f"{font}-Bold",
            fontSize=13,
            leading=17,
            textColor=ACCENT,
            spaceBefore=14,
            keepWithNext=1,
        ),
        "intro": ParagraphStyle(
            "intro", base, fontSize=9, leading=12, textColor=MUTED, spaceAfter=2, keepWithNext=1
        ),
        "label": ParagraphStyle(
            "label", base, fontName=f"{font}-Bold", spaceBefore=6, spaceAfter=2, keepWithNext=1
        ),
        "answer": ParagraphStyle("answer", base, spaceAfter=4),
        "empty": ParagraphStyle(
            "empty", base, fontName=f"{font}-Italic", textColor=MUTED, spaceAfter=4
        ),
    }


def _markup(text):
    """Plain text as paragraph markup: escaped, line breaks kept."""
    text = _UNPRINTABLE.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_SPACES).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br/>")


def _paris(moment):
    local = timezone.localtime(moment, timezone=PARIS)
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": date_format(local, "j F Y"),
        "time": date_format(local, "H:i"),
    }


def pdf_filename(dossier):
    """The download's file name: the reference, in characters every system accepts."""
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '-', dossier.reference).strip('.-') or 'dossier'}.pdf"


def _facts(dossier, state, generated_at, styles):
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
    table = Table(
        [
            [
                Paragraph(_markup(label), styles["fact_label"]),
                Paragraph(_markup(value), styles["fact"]),
            ]
            for label, value in rows
            if value
        ],
        colWidths=[42 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("LINEABOVE", (0, 0), (-1, 0), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
            ]
        )
    )
    return table


def _answer_paragraphs(row, styles):
    paragraphs = [
        p
        for p in (row["pdf"] if "pdf" in row else [row["text"]])
        if p is not None and str(p).strip()
    ]
    if not paragraphs:
        return [Paragraph(_markup(_("No answer")), styles["empty"])]
    return [Paragraph(_markup(text), styles["answer"]) for text in paragraphs]


def _section(row, styles):
    """A section's heading, a rule, and its introduction (what the applicants were asked)."""
    rule = HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=1, spaceAfter=2)
    rule.keepWithNext = 1
    intro = [p for p in row.get("pdf") or [] if str(p).strip()]
    return [
        Paragraph(_markup(row["label"]), styles["section"]),
        rule,
        *(Paragraph(_markup(text), styles["intro"]) for text in intro),
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
        story.append(Paragraph(_markup(row["label"]), styles["label"]))
        story.extend(_answer_paragraphs(row, styles))
    return story


def _fit(text, width, size):
    """`text` cut to `width` points, with an ellipsis when it was cut (a long structure name
    must not run into the page number)."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(f"{text}…", FONT, size) > width:
        text = text[:-1]
    return f"{text.rstrip()}…"


class _NumberedCanvas(Canvas):
    """Holds every page until the end, so that each footer can say how many pages there are."""

    def __init__(self, *args, footer="", page_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self._footer, self._page_label, self._pages = footer, page_label, []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total):
        width, _height = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.25)
        self.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
        label = self._page_label % {"number": self._pageNumber, "total": total}
        self.drawRightString(width - MARGIN, 10 * mm, label)
        room = width - 2 * MARGIN - self.stringWidth(label, FONT, 8) - 10 * mm
        self.drawString(MARGIN, 10 * mm, _fit(self._footer, room, 8))
        self.restoreState()


def dossier_pdf(dossier, language, *, state=None, now=None):
    """The dossier as PDF bytes, in `language`.

    `state` is the state to print: the applicant's side passes the one its members may see (no
    decision before its letter); by default the dossier's own. Reads the attachments in one
    query; select_related the call, its programme and the structure to read nothing more."""
    styles = _styles()
    attachments = list(dossier.attachments.all())
    with translation.override(language):
        rows = display_rows(dossier, attachments)
        title = _("Dossier %(reference)s") % {"reference": dossier.reference}
        story = [
            Paragraph(_markup(dossier.call.title), styles["title"]),
            Paragraph(_markup(f"{title} · {dossier.structure.name}"), styles["subtitle"]),
            _facts(dossier, state or dossier.state, now or timezone.now(), styles),
            Spacer(1, 6),
            *_answers(rows, styles),
        ]
        buffer = BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=f"{title} · {dossier.call.title}",
            author=AUTHOR,
            creator=AUTHOR,
            subject=dossier.structure.name,
            lang=language,
            initialFontName=FONT,
        )
        footer = f"{title} · {dossier.structure.name}".translate(_SPACES)
        document.build(
            story,
            canvasmaker=partial(
                _NumberedCanvas, footer=footer, page_label=_("Page %(number)s / %(total)s")
            ),
        )
    return buffer.getvalue()
