"""Exports of a call's ranking (CSV and XLSX): figures, each juror's scores, no conflicted juror."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from applications.domain.exports import BOM
from applications.domain.ranking import Grid, ranked_dossiers, with_rank
from applications.domain.ranking_export import ranking_csv_lines, ranking_table
from tests import factories
from tests.applications.jury.test_ranking_support import (
    NA,
    declare,
    dossier_under_review,
    juror,
    ranking_call,
    review,
)
from tests.applications.staff_support import count_queries

FIXED = [
    "Rank",
    "Reference",
    "Structure",
    "State",
    "Weighted mean",
    "Median",
    "Reviews",
    "Spread (standard deviation)",
    "Disagreement",
    "Yes",
    "Maybe",
    "No",
]


def _named_juror(call, first_name, last_name):
    return juror(call, user=factories.UserFactory(first_name=first_name, last_name=last_name))


@pytest.fixture
def panel(staff):
    """Two dossiers, four jurors, every case of the exports.

    Grid: weights 2, 1, 1 on 0–5.
    A (structure named like a formula): Alice 5, 2, 3 → 3.75 (yes); Bruno 4, N/A, 1 → 3 (maybe);
      Chloé and Dan submitted, then declared a conflict: they do not count.
      Mean 3.375, median 3.375, spread 0.375, 2 reviews.
    B: Alice 1, 1, 1 → 1 (no); Chloé 5, 5, 5 → 5 (yes); Dan conflicted; Eve's review is a draft.
      Mean 3, median 3, spread 2 (disagreement above 1.00), 2 reviews.
    Dan is conflicted on both and Eve has submitted nothing: neither has a column.
    """
    call, criteria = ranking_call(((2, 0, 5), (1, 0, 5), (1, 0, 5)))
    structure = factories.StructureFactory(name='=HYPERLINK("http://evil.example")')
    a = dossier_under_review(call, staff, structure=structure)
    b = dossier_under_review(call, staff)
    alice = _named_juror(call, "Alice", "Arnaud")
    bruno = _named_juror(call, "Bruno", "Blanc")
    chloe = _named_juror(call, "Chloé", "Colin")
    dan = _named_juror(call, "Dan", "Durand")
    eve = _named_juror(call, "Eve", "Estienne")
    review(alice, a, [5, 2, 3], "yes")
    review(bruno, a, [4, NA, 1], "maybe")
    review(chloe, a, [0, 0, 0], "no")
    declare(chloe, a, "personal")
    review(dan, a, [1, 1, 1], "no")
    declare(dan, a, "financial")
    review(alice, b, [1, 1, 1], "no")
    review(chloe, b, [5, 5, 5], "yes")
    review(dan, b, [2, 2, 2], "no")
    declare(dan, b, "member")
    review(eve, b, [3, 3, 3], "yes", submitted=False)
    return call, a, b


def _export(client, call, fmt, **params):
    url = reverse("applications:staff_ranking_export", kwargs={"call_id": call.pk, "fmt": fmt})
    return client.get(url, params)


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :]), delimiter=";"))


def _juror_header(name):
    return [f"{name}: score"] + [f"{name}: Criterion {i} (0–5)" for i in (1, 2, 3)]


EXPECTED_HEADER = (
    FIXED
    + _juror_header("Alice Arnaud")
    + _juror_header("Bruno Blanc")
    + _juror_header("Chloé Colin")
)


def test_csv_has_the_figures_and_each_counted_jurors_scores(client, staff, panel):
    call, a, b = panel
    client.force_login(staff)

    response = _export(client, call, "csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert f"{call.slug}-ranking-" in response["Content-Disposition"]
    header, row_a, row_b = _csv_rows(response)
    assert header == EXPECTED_HEADER
    assert row_a[:12] == [
        "1",
        a.reference,
        '\'=HYPERLINK("http://evil.example")',  # inert in a spreadsheet
        "Under review",
        "3.38",  # 3.375, rounded half up
        "3.38",
        "2",
        "0.38",  # 0.375
        "no",
        "1",
        "1",
        "0",
    ]
    # Alice 3.75 (5, 2, 3); Bruno 3 (4, N/A, 1); Chloé conflicted on A: empty cells.
    assert row_a[12:] == ["3.75", "5", "2", "3", "3.00", "4", "N/A", "1", "", "", "", ""]
    assert row_b[:12] == [
        "2",
        b.reference,
        b.structure.name,
        "Under review",
        "3.00",
        "3.00",
        "2",
        "2.00",
        "yes",
        "1",
        "0",
        "1",
    ]
    # Alice 1; Bruno did not review B; Chloé 5.
    assert row_b[12:] == ["1.00", "1", "1", "1", "", "", "", "", "5.00", "5", "5", "5"]


def test_conflicted_and_draft_only_jurors_are_absent_from_both_exports(client, staff, panel):
    call, _a, _b = panel
    client.force_login(staff)

    text = b"".join(_export(client, call, "csv").streaming_content).decode()
    workbook = load_workbook(io.BytesIO(_export(client, call, "xlsx").content))
    cells = {str(cell.value) for row in workbook.active.iter_rows() for cell in row}

    for name in ("Dan Durand", "Estienne"):
        assert name not in text
        assert not any(name in cell for cell in cells)


def test_xlsx_reads_back_with_numbers_as_numbers(client, staff, panel):
    call, a, b = panel
    client.force_login(staff)

    response = _export(client, call, "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == EXPECTED_HEADER
    row_a = rows[1]
    assert row_a[:4] == [1, a.reference, '\'=HYPERLINK("http://evil.example")', "Under review"]
    assert row_a[4] == pytest.approx(3.375)
    assert row_a[5] == pytest.approx(3.375)
    assert row_a[6] == 2
    assert row_a[7] == pytest.approx(0.375)
    assert row_a[8:12] == ["no", 1, 1, 0]
    assert row_a[12] == pytest.approx(3.75)
    assert row_a[13:16] == [5, 2, 3]
    assert row_a[16] == pytest.approx(3.0)
    assert row_a[17:20] == [4, "N/A", 1]
    assert row_a[20:] == [None, None, None, None]
    row_b = rows[2]
    assert row_b[1] == b.reference
    assert row_b[8] == "yes"
    assert row_b[16:20] == [None, None, None, None]
    assert row_b[20] == pytest.approx(5.0)
    # Numbers show two decimals; the formula-like name is text, not a formula.
    assert sheet.cell(row=2, column=5).number_format == "0.00"
    assert sheet.cell(row=2, column=3).data_type == "s"
    assert sheet.freeze_panes == "C2"


def test_exports_follow_the_pages_filters_and_sort(client, staff, panel):
    call, a, b = panel
    client.force_login(staff)

    _header, *rows = _csv_rows(_export(client, call, "csv", disagreement="on"))
    assert [row[1] for row in rows] == [b.reference]
    assert rows[0][0] == "1"  # the place among the dossiers exported

    _header, *rows = _csv_rows(_export(client, call, "csv", sort="mean"))
    assert [row[1] for row in rows] == [b.reference, a.reference]

    sheet = load_workbook(io.BytesIO(_export(client, call, "xlsx", sort="mean").content)).active
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [b.reference, a.reference]


def test_csv_numbers_use_the_french_decimal_comma_in_french(staff, panel):
    call, a, _b = panel
    grid = Grid.of(call)
    dossiers = list(with_rank(ranked_dossiers(call, grid=grid)))
    header, rows = ranking_table(call, dossiers, grid)

    with translation.override("fr"):
        lines = list(ranking_csv_lines(header, rows))

    row_a = next(csv.reader([lines[1]], delimiter=";"))
    assert row_a[1] == a.reference
    assert row_a[4] == "3,38"
    assert row_a[12] == "3,75"


def test_two_jurors_with_the_same_name_are_told_apart(staff):
    call, _criteria = ranking_call(((1, 0, 5),))
    dossier = dossier_under_review(call, staff)
    first = _named_juror(call, "Camille", "Martin")
    second = _named_juror(call, "Camille", "Martin")
    review(first, dossier, [1])
    review(second, dossier, [2])
    grid = Grid.of(call)

    header, _rows = ranking_table(call, list(with_rank(ranked_dossiers(call, grid=grid))), grid)

    assert f"Camille Martin ({first.email}): score" in header
    assert f"Camille Martin ({second.email}): score" in header


def test_export_query_count_does_not_grow_with_dossiers(client, staff):
    call, _criteria = ranking_call(((2, 0, 5), (1, 0, 5)))
    jurors = [juror(call) for _ in range(3)]
    client.force_login(staff)

    def add(count):
        for _ in range(count):
            dossier = dossier_under_review(call, staff)
            for index, member in enumerate(jurors):
                review(member, dossier, [index, 5 - index])

    def export(fmt):
        response = _export(client, call, fmt)
        if fmt == "csv":
            return len(_csv_rows(response)) - 1
        return load_workbook(io.BytesIO(response.content)).active.max_row - 1

    add(1)
    export("csv")  # the session is read once before counting
    counts = {fmt: count_queries(lambda fmt=fmt: export(fmt)) for fmt in ("csv", "xlsx")}
    assert {fmt: rows for fmt, (rows, _queries) in counts.items()} == {"csv": 1, "xlsx": 1}

    add(9)
    for fmt in ("csv", "xlsx"):
        rows, queries = count_queries(lambda fmt=fmt: export(fmt))
        assert rows == 10
        assert queries == counts[fmt][1]
