"""Exports of a cohort board to CSV and XLSX: who may export, what each file holds, the filters,
formula injection, and query counts that do not grow with the cohort (1 vs 60)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from accelerator.domain import tabular
from accelerator.domain.journey import disburse
from accelerator.models import (
    Accompaniment,
    FundraisingRound,
    Milestone,
    RegulatoryObstacle,
    SeedGrant,
)
from tests import factories
from tests.accelerator.cohorts import S, accompany, advance, fill, make_cohort

FORMATS = ["csv", "xlsx"]
HEADER = [
    "Structure",
    "SIRET",
    "Département",
    "Source",
    "Référent",
    "Support point",
    "Stage",
    "Days in stage",
    "Entered the stage on",
    "Open milestones",
    "Overdue milestones",
    "Done milestones",
    "Seed grant awarded (€)",
    "Seed grant disbursed (€)",
    "Funds raised (€)",
    "Fundraising target (€)",
    "Open regulatory obstacles",
]


def export_url(cohort, kind, **query):
    url = reverse(f"accelerator:cohort_export_{kind}", kwargs={"pk": cohort.pk})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith(tabular.BOM)
    return list(csv.reader(io.StringIO(text[len(tabular.BOM) :]), delimiter=";"))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def xlsx_rows(response):
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]


def names_in(response, kind):
    rows = csv_rows(response) if kind == "csv" else xlsx_rows(response)
    return sorted(row[0] for row in rows[1:])


@pytest.fixture
def cohort(structure):
    cohort = make_cohort(name="Cohorte Été 2026")
    accompany(cohort, structure)
    return cohort


@pytest.fixture
def followed(cohort, structure):
    """The fixture's structure in seed funding with a référent, its support point, milestones,
    a grant partly paid, a round and obstacles."""
    referent = factories.StaffFactory(first_name="Aline", last_name="Perrin")
    point = factories.SupportPointFactory(department=structure.department, name="Point Loiret")
    mover = factories.ManagerFactory()
    accompaniment = Accompaniment.objects.get(cohort=cohort, structure=structure)
    Accompaniment.objects.filter(pk=accompaniment.pk).update(referent=referent, support_point=point)
    accompaniment = advance(Accompaniment.objects.get(pk=accompaniment.pk), S.SEED_FUNDING, mover)
    entered = timezone.now() - datetime.timedelta(days=9)
    Accompaniment.objects.filter(pk=accompaniment.pk).update(stage_entered_at=entered)
    today = timezone.localdate()
    for due, status in [(today - datetime.timedelta(days=2), "open"), (today, "open")]:
        Milestone.objects.create(
            accompaniment=accompaniment, stage=S.SEED_FUNDING, title="É", due_on=due, status=status
        )
    grant = SeedGrant.objects.create(
        accompaniment=accompaniment, amount=Decimal("12000.10"), funder="Région"
    )
    disburse(grant, Decimal("4000.05"), today, mover)
    FundraisingRound.objects.create(
        accompaniment=accompaniment, target=Decimal("50000"), amount_raised=Decimal("12500.50")
    )
    RegulatoryObstacle.objects.create(accompaniment=accompaniment, regulation="R", blocks="B")
    return accompaniment, timezone.localtime(entered).date()


# --- permissions


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("outsider", 403),
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("support_point", 403),
        ("staff", 200),
    ],
)
def test_export_per_role(cohort, people, client_for, role, status, kind):
    assert client_for(people[role]).get(export_url(cohort, kind)).status_code == status


@pytest.mark.parametrize("kind", FORMATS)
def test_export_for_a_manager_and_refused_to_a_far_support_point(
    cohort, manager, far_support_point_user, client_for, kind
):
    assert client_for(manager).get(export_url(cohort, kind)).status_code == 200
    assert client_for(far_support_point_user).get(export_url(cohort, kind)).status_code == 403


@pytest.mark.parametrize("kind", FORMATS)
def test_export_sends_anonymous_people_to_log_in(cohort, client_for, kind):
    response = client_for(None).get(export_url(cohort, kind))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("kind", FORMATS)
def test_export_of_an_unknown_cohort_is_404(db, staff, client_for, kind):
    url = reverse(f"accelerator:cohort_export_{kind}", kwargs={"pk": 999999})
    assert client_for(staff).get(url).status_code == 404


# --- content


def test_csv_export_holds_one_row_per_accompaniment(cohort, structure, followed, staff, client_for):
    accompaniment, entered_on = followed
    other = accompany(cohort, factories.StructureFactory(name="Autre structure"))
    response = client_for(staff).get(export_url(cohort, "csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="cohorte-ete-2026-{stamp}.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert len(rows) == 3
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[structure.name] == [
        structure.name,
        structure.siret,
        "45 Loiret",
        "Call for applications",
        "Aline Perrin",
        "Point Loiret",
        "Seed funding",
        "9",
        entered_on.isoformat(),
        "2",
        "1",
        "1",
        "12000.10",
        "4000.05",
        "12500.50",
        "50000.00",
        "1",
    ]
    assert by_name["Autre structure"][3:9] == [
        "Call for applications",
        "",
        "",
        "Sourcing",
        "0",
        timezone.localtime(other.stage_entered_at).date().isoformat(),
    ]
    assert by_name["Autre structure"][12:] == ["0.00", "0.00", "0.00", "0.00", "0"]


def test_csv_export_in_french_uses_decimal_commas(cohort, followed, staff, client_for):
    response = client_for(staff).get(export_url(cohort, "csv"), HTTP_ACCEPT_LANGUAGE="fr")
    rows = csv_rows(response)
    assert "12000,10" in rows[1]
    with translation.override("fr"):
        assert tabular.csv_cell(Decimal("1234.5"), tabular.MONEY) == "1234,50"


def test_exports_make_formulas_inert(cohort, staff, client_for):
    accompany(cohort, factories.StructureFactory(name='=HYPERLINK("http://x","y")'))
    response = client_for(staff).get(export_url(cohort, "csv"))
    assert '\'=HYPERLINK("http://x","y")' in names_in(response, "csv")
    sheet = xlsx_sheet(client_for(staff).get(export_url(cohort, "xlsx")))
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x","y")' in names
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))


def test_xlsx_export_has_typed_cells_a_bold_frozen_header_and_widths(
    cohort, structure, followed, staff, client_for
):
    _accompaniment, entered_on = followed
    response = client_for(staff).get(export_url(cohort, "xlsx"))

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert re.fullmatch(
        r'attachment; filename="cohorte-ete-2026-\d{4}-\d{2}-\d{2}\.xlsx"',
        response["Content-Disposition"],
    )
    sheet = xlsx_sheet(response)
    assert sheet.title == "Cohorte Été 2026 (2026)"
    assert sheet.freeze_panes == "A2"
    header = list(sheet[1])
    assert [cell.value for cell in header] == HEADER
    assert all(cell.font.bold for cell in header)
    assert sheet.column_dimensions["A"].width == 32
    assert sheet.column_dimensions["M"].width == 16

    row = sheet[2]
    values = [cell.value for cell in row]
    assert values[:7] == [
        structure.name,
        structure.siret,
        "45 Loiret",
        "Call for applications",
        "Aline Perrin",
        "Point Loiret",
        "Seed funding",
    ]
    assert values[7] == 9 and isinstance(values[7], int)
    assert isinstance(values[8], datetime.datetime) and values[8].date() == entered_on
    assert row[8].number_format == "dd/mm/yyyy"
    assert values[9:12] == [2, 1, 1]
    assert values[12:16] == [12000.10, 4000.05, 12500.50, 50000]
    assert all(cell.data_type == "n" for cell in row[12:16])
    assert all("€" in cell.number_format for cell in row[12:16])
    assert values[16] == 1


@pytest.mark.parametrize("kind", FORMATS)
def test_exports_keep_the_boards_filters(cohort, structure, staff, client_for, kind):
    aline = factories.StaffFactory(first_name="Aline", last_name="Perrin")
    cher = factories.department("18", "Cher")
    accompany(cohort, factories.StructureFactory(department=cher, name="Cher A"), referent=aline)
    accompany(cohort, factories.StructureFactory(department=cher, name="Cher B"))
    client = client_for(staff)

    assert names_in(client.get(export_url(cohort, kind)), kind) == sorted(
        [structure.name, "Cher A", "Cher B"]
    )
    assert names_in(client.get(export_url(cohort, kind, department="18")), kind) == [
        "Cher A",
        "Cher B",
    ]
    assert names_in(
        client.get(export_url(cohort, kind, department="18", referent=aline.pk)), kind
    ) == ["Cher A"]
    assert names_in(client.get(export_url(cohort, kind, referent="none")), kind) == sorted(
        [structure.name, "Cher B"]
    )


# --- query counts (issue 4, point 12)


@pytest.mark.parametrize("kind", FORMATS)
def test_exports_run_the_same_number_of_queries_with_1_and_60_accompaniments(
    db, staff, client_for, count_queries, kind
):
    mover = factories.ManagerFactory()
    referent = factories.StaffFactory()
    departments = [factories.department("45", "Loiret"), factories.department("18", "Cher")]
    cohort = make_cohort()
    fill(cohort, 1, mover, referent, departments)
    client = client_for(staff)
    url = export_url(cohort, kind)
    with_one = count_queries(client, url)
    fill(cohort, 59, mover, referent, departments)
    with_sixty = count_queries(client, url)
    assert len(names_in(client.get(url), kind)) == 60
    assert with_sixty == with_one
    print(f"{kind} export queries: 1 -> {with_one}, 60 -> {with_sixty}")
