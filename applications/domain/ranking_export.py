"""Exports of a call's ranking to CSV and XLSX: each dossier's figures and each juror's scores.

Streamed (`export_rows`): the database ranks, sorts and aggregates, Python only formats the
cells of one chunk of rows at a time. One row per dossier, in the order given (the staff
page's sort and filters), with the figures of `applications.domain.ranking`, then one group
of columns per juror: their review's weighted score (on the ranking's reference scale) and
their value for each criterion (on the criterion's own scale, as they gave it; "N/A" for not
applicable).

Only the reviews that count in the ranking fill the juror columns: drafts stay empty, and a juror
who declared a conflict on a dossier has empty cells on that dossier's row. A juror with no
counted review on any exported dossier (conflicts on all of them, or nothing submitted) gets no
column at all: an empty group would only widen the sheet.

Cells that a spreadsheet would read as a formula are made inert (`exports.safe_cell`), in both
formats: openpyxl also writes a text starting with "=" as a formula.
"""

import csv
from collections import Counter
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from applications.domain.exports import BOM, DELIMITER, EchoBuffer, safe_cell
from applications.domain.ranking import scored_reviews, with_rank
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


# The figures of a dossier's row, in the export's column order (after rank and reference).
FIXED_FIGURES = ("weighted_mean", "median", "review_count", "spread")
COUNTS = ("yes_count", "maybe_count", "no_count")
# Rows are read, and their jurors' scores fetched, this many dossiers at a time.
CHUNK = 500


def _header(jurors, labels, criteria):
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
    return header


def _jurors(call, counted, dossier_ids):
    """The jurors with a counted review on the exported dossiers (`dossier_ids`: a list or a
    subquery), sorted by name; and their column labels."""
    juror_ids = counted.filter(assignment__dossier__in=dossier_ids).values("assignment__juror")
    jurors = sorted(
        Juror.objects.filter(pk__in=juror_ids).select_related("user"),
        key=lambda juror: (str(juror).lower(), juror.pk),
    )
    return jurors, _juror_labels(jurors)


def _counted_only(call, grid):
    """The counted reviews of `call` with no score computed: the rule of `scored_reviews`
    (submitted, no declared conflict) without its join per criterion, to find the jurors."""
    return scored_reviews(call, grid=replace(grid, criteria=()))


def _scores_of(counted, dossier_ids):
    """({(dossier id, juror id): (review id, weighted score)}, {(review id, criterion id):
    value or "N/A"}) for the counted reviews of these dossiers: two queries, tuples only."""
    reviews = {
        (dossier_id, juror_id): (review_id, score)
        for review_id, dossier_id, juror_id, score in counted.filter(
            assignment__dossier__in=dossier_ids
        ).values_list("pk", "assignment__dossier", "assignment__juror", "weighted_score")
    }
    not_applicable_text = _("N/A")
    values = {
        (review_id, criterion_id): not_applicable_text if not_applicable else value
        for review_id, criterion_id, value, not_applicable in Score.objects.filter(
            review__in=[review_id for review_id, _score in reviews.values()]
        ).values_list("review", "criterion", "value", "not_applicable")
    }
    return reviews, values


def _rows(fixed_rows, counted, jurors, criteria):
    """The export's rows from `fixed_rows` (tuples: pk, rank, reference, structure, state,
    the FIXED_FIGURES, disagreement, the COUNTS), each followed by its jurors' cells, fetched a
    chunk of dossiers at a time."""
    states = dict(DossierState.choices)
    yes, no = _("yes"), _("no")
    for chunk in _chunks(fixed_rows):
        reviews, values = _scores_of(counted, [row[0] for row in chunk]) if jurors else ({}, {})
        for pk, rank, reference, structure, state, *figures in chunk:
            mean, median, review_count, spread, disagreement, *counts = figures
            row = [rank, reference, structure, states[state], mean, median, review_count]
            row += [spread, yes if disagreement else no, *counts]
            for juror in jurors:
                review_id, score = reviews.get((pk, juror.pk), (None, None))
                if review_id is None:
                    row.extend([None] * (1 + len(criteria)))
                    continue
                row.append(score)
                row.extend(values.get((review_id, criterion.pk)) for criterion in criteria)
            yield row


def _chunks(iterable):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _criteria(call):
    return list(EvaluationCriterion.objects.filter(call=call).order_by("sort_order", "pk"))


def export_rows(call, dossiers, order, grid):
    """(header, rows) of the export of `dossiers` (a ranking queryset, filtered: stored figures
    from `ranking_rows.stored_ranking` or computed ones from `ranking.ranked_dossiers`) sorted by
    `order`. `rows` is an iterator: the database ranks (a window over the filtered rows), sorts
    and reads them as tuples, CHUNK at a time, and the jurors' scores are read per chunk (two
    queries), so that a national call's export starts at once and holds one chunk in memory.
    Cells are text, int or float (None when empty)."""
    criteria = _criteria(call)
    counted = scored_reviews(call, grid=grid)
    jurors, labels = _jurors(call, _counted_only(call, grid), dossiers.order_by().values("pk"))
    fixed = (
        with_rank(dossiers)
        .order_by(*order)
        .values_list(
            "pk",
            "rank",
            "reference",
            "structure__name",
            "state",
            *FIXED_FIGURES,
            "disagreement",
            *COUNTS,
        )
        .iterator(chunk_size=CHUNK)
    )
    return _header(jurors, labels, criteria), _rows(fixed, counted, jurors, criteria)


def ranking_table(call, dossiers, grid):
    """(header, rows) of the export of `dossiers`, a list already read (from `ranked_dossiers`,
    annotated by `with_rank`), in its order. A few queries whatever the size."""
    criteria = _criteria(call)
    counted = scored_reviews(call, grid=grid)
    jurors, labels = _jurors(call, _counted_only(call, grid), [dossier.pk for dossier in dossiers])
    fixed = (
        (
            dossier.pk,
            dossier.rank,
            dossier.reference,
            dossier.structure.name,
            dossier.state,
            *(getattr(dossier, name) for name in FIXED_FIGURES),
            dossier.disagreement,
            *(getattr(dossier, name) for name in COUNTS),
        )
        for dossier in dossiers
    )
    return _header(jurors, labels, criteria), list(_rows(fixed, counted, jurors, criteria))


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
