"""Spreadsheet files for every export of Essor: CSV that French Excel opens as it is, and XLSX with
typed cells; both made safe from formula injection. Generic: no model of any app is read here."""

import csv
import datetime
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils import formats
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Excel opens a UTF-8 file correctly only when it starts with a byte order mark.
BOM = "\ufeff"
# French Excel expects semicolons: commas are decimal separators there.
DELIMITER = ";"
# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a column holds decides how each format writes its cells. A NUMBER column holds numbers
# in varying units and precision (an impact figure), or a text where a row has no number.
TEXT, INTEGER, MONEY, DATE, NUMBER = "text", "integer", "money", "date", "number"
# Excel shows these with the reader's own separators (a comma for decimals in French).
MONEY_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "dd/mm/yyyy"


class EchoBuffer:
    """A pseudo-buffer: csv.writer writes one line to it and gets the line back."""

    def write(self, value):
        return value


def safe_cell(value):
    """The text of one cell, made inert for spreadsheets that would evaluate it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, what it holds (TEXT, INTEGER, MONEY, DATE) and its
    width in the XLSX file (in characters)."""

    label: str
    kind: str = TEXT
    width: int = 14


def csv_cell(value, kind=TEXT):
    """A cell as CSV text: money with two decimals in the active language's notation, dates in
    ISO 8601 (read the same way everywhere), texts made inert."""
    if value is None:
        return ""
    if kind == MONEY:
        return formats.number_format(Decimal(value), decimal_pos=2)
    if kind == DATE and isinstance(value, datetime.date):
        return value.isoformat()
    if kind == INTEGER and isinstance(value, int):
        return str(value)
    if kind == NUMBER and isinstance(value, (int, Decimal)):
        return formats.number_format(_plain(value))
    return safe_cell(value)


def _plain(number):
    """`number` without trailing zeros (12.5000 is 12.5), never in exponent notation."""
    number = Decimal(number)
    return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()


def csv_lines(columns, rows):
    """Yield the lines of a CSV file: UTF-8 with a byte order mark, `;`-separated."""
    writer = csv.writer(EchoBuffer(), delimiter=DELIMITER)
    yield BOM + writer.writerow([safe_cell(column.label) for column in columns])
    for row in rows:
        yield writer.writerow(
            [csv_cell(value, column.kind) for column, value in zip(columns, row, strict=True)]
        )


def csv_bytes(columns, rows):
    return "".join(csv_lines(columns, rows)).encode("utf-8")


def sheet_title(text, fallback="Export"):
    """A valid sheet title: at most 31 characters, none of []:*?/\\ ."""
    return "".join(c for c in text if c not in "[]:*?/\\")[:31] or fallback


def xlsx_bytes(columns, rows, title):
    """An XLSX file as bytes: a bold, frozen header row; numbers as numbers, money in euros,
    dates as dates; texts inert (openpyxl would write a text starting with "=" as a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    bold = Font(bold=True)
    sheet.append([safe_cell(column.label) for column in columns])
    for cell in sheet[1]:
        cell.font = bold
    for row in rows:
        sheet.append(
            [_xlsx_value(value, column.kind) for column, value in zip(columns, row, strict=True)]
        )
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        number_format = {MONEY: MONEY_FORMAT, DATE: DATE_FORMAT}.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value, kind):
    if value is None:
        return None
    if kind == MONEY:
        return Decimal(value)
    if kind == INTEGER and isinstance(value, int):
        return value
    if kind == DATE and isinstance(value, datetime.date):
        return value
    if kind == NUMBER and isinstance(value, (int, Decimal)):
        return _plain(value)
    return safe_cell(value)
