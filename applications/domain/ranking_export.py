"""Exports of a call's ranking to CSV and XLSX: each dossier's figures and each juror's scores.

One row per dossier, in the order given (the staff page's sort and filters), with the figures of
`applications.domain.ranking`, then one group of columns per juror: their review's weighted score
(on the ranking's reference scale) and their value for each criterion (on the criterion's own
scale, as they gave it; "N/A" for not applicable).

Only the reviews that count in the ranking fill the juror columns: drafts stay empty, and a juror
who declared a conflict on a dossier has empty cells on that dossier's row. A juror with no
counted review on any exported dossier (conflicts on all of them, or nothing submitted) gets no
column at all: an empty group would only widen the sheet.

Cells that a spreadsheet would read as a formula are made inert (`exports.safe_cell`), in both
formats: openpyxl also writes a text starting with "=" as a formula.
"""

import csv
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from applications.domain.exports import BOM, DELIMITER, EchoBuffer, safe_cell
from applications.domain.ranking import scored_reviews
from applications.models import DossierState, EvaluationCriterion, Juror, Score

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HUNDREDTH = Decimal("0.01")


def _juror_labels(jurors):
    """A column label per juror: their name (or e-mail address), with the address when two
    jurors share a name."""
    names = {juror.pk: str(juror) for juror in jurors}
    counts = Counter(names.values())
    return {
        juror.pk: f"{names[juror.pk]} ({juror.email})"
        if counts[names[juror.pk]] > 1
        else names[juror.pk]
        for juror in jurors
    }


def ranking_table(call, dossiers, grid):
    """(header, rows) of the export of `dossiers` (a list from `ranked_dossiers`, annotated by
    `with_rank`). Cells are text, int or float (None when empty). Four queries whatever the size:
    the grid's titles, the counted reviews with their score, the scores, the jurors. Reviews and
    scores are read as tuples: a national call's tens of thousands of scores stay fast."""
    criteria = list(EvaluationCriterion.objects.filter(call=call).order_by("sort_order", "pk"))
    exported = {dossier.pk for dossier in dossiers}
    reviews = {
        (dossier_id, juror_id): (review_id, score)
        for review_id, dossier_id, juror_id, score in scored_reviews(call, grid=grid).values_list(
            "pk", "assignment__dossier", "assignment__juror", "weighted_score"
        )
        if dossier_id in exported
    }
    # The scores of every submitted review of the call: those of conflicted jurors are read too
    # (a simpler query than repeating the conflict rule) but never shown.
    not_applicable_text = _("N/A")
    values = {
        (review_id, criterion_id): not_applicable_text if not_applicable else value
        for review_id, criterion_id, value, not_applicable in Score.objects.filter(
            review__assignment__dossier__call=call, review__submitted_at__isnull=False
        ).values_list("review", "criterion", "value", "not_applicable")
    }
    jurors = sorted(
        Juror.objects.filter(pk__in={juror_id for _dossier, juror_id in reviews}).select_related(
            "user"
        ),
        key=lambda juror: (str(juror).lower(), juror.pk),
    )
    labels = _juror_labels(jurors)
    # get_FOO_display hashes the whole list of (lazy) choices at every call: label states once.
    states = dict(DossierState.choices)

    header = [
        _("Rank"),
        _("Reference"),
        _("Structure"),
        _("State"),
        _("Weighted mean"),
        _("Median"),
        _("Reviews"),
        _("Spread (standard deviation)"),
        _("Disagreement"),
        _("Yes"),
        _("Maybe"),
        _("No"),
    ]
    for juror in jurors:
        header.append(_("%(juror)s: score") % {"juror": labels[juror.pk]})
        header.extend(
            f"{labels[juror.pk]}: {criterion.title} ({criterion.scale_min}–{criterion.scale_max})"
            for criterion in criteria
        )

    rows = []
    for dossier in dossiers:
        row = [
            dossier.rank,
            dossier.reference,
            dossier.structure.name,
            states[dossier.state],
            dossier.weighted_mean,
            dossier.median,
            dossier.review_count,
            dossier.spread,
            _("yes") if dossier.disagreement else _("no"),
            dossier.yes_count,
            dossier.maybe_count,
            dossier.no_count,
        ]
        for juror in jurors:
            review_id, score = reviews.get((dossier.pk, juror.pk), (None, None))
            if review_id is None:
                row.extend([None] * (1 + len(criteria)))
                continue
            row.append(score)
            row.extend(values.get((review_id, criterion.pk)) for criterion in criteria)
        rows.append(row)
    return header, rows


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        # Rounded half up, as on the page (number_format alone would cut the digits), with the
        # active language's decimal separator: a comma for French spreadsheets.
        rounded = Decimal(repr(value)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
        return formats.number_format(rounded, decimal_pos=2)
    return safe_cell(value)


def ranking_csv_lines(header, rows):
    """Yield the lines of the CSV export: UTF-8 with a byte order mark, `;`-separated."""
    writer = csv.writer(EchoBuffer(), delimiter=DELIMITER)
    yield BOM + writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([_csv_text(cell) for cell in row])


def ranking_xlsx(header, rows, title):
    """The XLSX export as bytes: numbers stay numbers (two decimals shown), texts are inert.
    Written row by row (openpyxl's write-only mode): empty cells cost nothing."""
    workbook = Workbook(write_only=True)
    # A sheet's title: at most 31 characters, none of []:*?/\ .
    sheet = workbook.create_sheet(
        "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Ranking"
    )
    sheet.freeze_panes = "C2"  # the header row, the rank and the reference stay in sight
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, text, font=bold) for text in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, font=None):
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.00"
        return cell
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    if font:
        cell.font = font
    return cell
