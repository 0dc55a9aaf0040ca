"""The look of Essor's PDF documents (ReportLab): embedded fonts that hold every French character,
the house styles, paragraph markup from plain text, tables of facts and figures, and pages
numbered "Page n / total" under a footer. Generic: no model of any app is read here."""

import re
from functools import cache, partial
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import reportlab
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

AUTHOR = "Essor"
PARIS = ZoneInfo("Europe/Paris")
MARGIN = 20 * mm
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#0b5a4a")
RULE = colors.HexColor("#cbd2d9")
SHADE = colors.HexColor("#f0f4f8")

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
SPACES = str.maketrans({"\u202f": "\u00a0", "\u2009": "\u00a0", "\u2007": "\u00a0", "\t": "    "})
# Characters XML (and so ReportLab's paragraph markup) cannot hold.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@cache
def fonts():
    """Register the embedded fonts once; the name of their family."""
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
def styles():
    """The paragraph styles of every Essor document, by name."""
    font = fonts()
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
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
        "cell_head": ParagraphStyle(
            "cell_head", base, fontName=f"{font}-Bold", fontSize=8.5, leading=11
        ),
        # Figures are right-aligned, so that units and thousands line up down a column.
        "cell_number": ParagraphStyle("cell_number", base, fontSize=8.5, leading=11, alignment=2),
        "cell_head_number": ParagraphStyle(
            "cell_head_number", base, fontName=f"{font}-Bold", fontSize=8.5, leading=11, alignment=2
        ),
    }


def number(value):
    """A count or a figure in the active language's form, thousands grouped: “12 500”."""
    return number_format(value, use_l10n=True, force_grouping=True)


def day(value):
    """A date in words in the active language: “3 December 2026”, “3 décembre 2026”."""
    return date_format(value, "j F Y") if value else ""


def moment(value):
    """A moment in Paris time: “3 December 2026 at 14:05 (Paris time)”."""
    local = timezone.localtime(value, PARIS)
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": date_format(local.date(), "j F Y"),
        "time": date_format(local, "H:i"),
    }


def period(start, end):
    """“1 January 2026 to 30 June 2026”."""
    if not (start and end):
        return ""
    return _("%(start)s to %(end)s") % {"start": day(start), "end": day(end)}


def markup(text):
    """Plain text as paragraph markup: escaped, line breaks kept."""
    text = _UNPRINTABLE.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(SPACES).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br/>")


def paragraph(text, style):
    """A paragraph of plain `text` in the named style."""
    return Paragraph(markup(text), styles()[style])


def facts_table(rows, label_width=42 * mm):
    """Label-and-value lines (those with an empty value left out), ruled, aligned on the left."""
    table = Table(
        [
            [paragraph(label, "fact_label"), paragraph(value, "fact")]
            for label, value in rows
            if value
        ],
        colWidths=[label_width, None],
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


def data_table(header, rows, widths, numeric=()):
    """A table of figures: a shaded header row repeated on every page, one line per row, the
    columns whose index is in `numeric` right-aligned. Cells are plain texts."""

    def cell(text, index, head=False):
        name = ("cell_head" if head else "cell") + ("_number" if index in numeric else "")
        return paragraph(text, name)

    data = [[cell(text, i, head=True) for i, text in enumerate(header)]]
    data += [[cell(text, i) for i, text in enumerate(row)] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("LINEABOVE", (0, 0), (-1, 0), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def fit(text, width, size):
    """`text` cut to `width` points, with an ellipsis when it was cut (a long structure name
    must not run into the page number)."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(f"{text}…", FONT, size) > width:
        text = text[:-1]
    return f"{text.rstrip()}…"


class NumberedCanvas(Canvas):
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
        self.drawString(MARGIN, 10 * mm, fit(self._footer, room, 8))
        self.restoreState()


def build(story, *, title, subject, footer, language):
    """The document as PDF bytes: A4, the house margins, `footer` and "Page n / total" at the
    foot of every page (in the active language), `title` and `subject` in its properties."""
    fonts()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=title,
        author=AUTHOR,
        creator=AUTHOR,
        subject=subject,
        lang=language,
        initialFontName=FONT,
    )
    document.build(
        story,
        canvasmaker=partial(
            NumberedCanvas,
            footer=footer.translate(SPACES),
            page_label=_("Page %(number)s / %(total)s"),
        ),
    )
    return buffer.getvalue()
