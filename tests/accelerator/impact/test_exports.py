"""A cohort's impact reports exported to CSV and XLSX and read back: one row per structure,
indicator and period, figures as numbers in the reader's language, the versions in force, who may
download them, and query counts that do not grow with the cohort (1 vs several structures)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from accelerator.domain import impact_export, tabular
from accelerator.domain.impact_plans import remove_line, save_line
from accelerator.domain.impact_reports import change_report_state, save_report, start_correction
from accelerator.models import (
    ImpactReport,
    Indicator,
    PlannedIndicator,
    ReportingSchedule,
    ValueType,
)
from tests import factories
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.impact.world import (
    agreed_plan,
    first_report,
    in_impact_measurement,
    indicator,
    submitted,
    validated,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "Structure",
    "SIRET",
    "Département",
    "Cohort",
    "Indicator code",
    "Indicator",
    "Unit",
    "Report number",
    "Version",
    "Final report",
    "Period start",
    "Period end",
    "Report state",
    "Value",
    "Not measured",
    "Why not measured",
    "Baseline",
    "Target",
    "On track",
    "Validated on",
]
COLUMN = {label: index for index, label in enumerate(HEADER)}


def url(cohort, kind, query=""):
    return reverse(f"accelerator:cohort_impact_{kind}", kwargs={"pk": cohort.pk}) + query


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(tabular.BOM)
    return list(csv.reader(io.StringIO(text[len(tabular.BOM) :]), delimiter=";"))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def cell(row, label):
    return row[COLUMN[label]]


def two_period_cohort():
    cohort = make_cohort(name="Cohorte Été 2026")
    ReportingSchedule.objects.create(cohort=cohort, every_months=6, reports=2, last_is_final=True)
    return cohort


PERIODS = {
    1: (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
    2: (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
}


def reporting(cohort, name, values=None):
    """A structure of `cohort` with an agreed plan (jobs-fte 2 -> 6, people-reached 100 -> 300
    over 2026), its reports over the two halves of 2026, the first validated with `values` when
    given."""
    structure = factories.StructureFactory(name=name)
    accompaniment = in_impact_measurement(cohort, structure=structure)
    for number, (start, end) in PERIODS.items():
        ImpactReport.objects.filter(accompaniment=accompaniment, number=number).update(
            period_start=start, period_end=end
        )
    agreed_plan(accompaniment)
    if values:
        validated(first_report(accompaniment), accompaniment, values)
    return accompaniment


@pytest.fixture
def cohort():
    """Two structures in a two-period cohort: Atelier's first report validated, Bricole's
    submitted with one indicator not measured."""
    cohort = two_period_cohort()
    atelier = reporting(cohort, "Atelier", {"jobs-fte": "3,5", "people-reached": "1250"})
    bricole = reporting(cohort, "Bricole")
    report = first_report(bricole)
    entries = {
        indicator("jobs-fte"): ("", True, "Paie non close"),
        indicator("people-reached"): ("80", False, ""),
    }
    report = save_report(report, bricole.editor, entries, "Début difficile.")
    change_report_state(report, "submit", bricole.editor)
    cohort.atelier, cohort.bricole = atelier, bricole
    return cohort


def test_the_csv_has_a_row_per_structure_indicator_and_period_in_english(client, cohort, staff):
    client.force_login(staff)
    with translation.override("en"):
        response = client.get(url(cohort, "csv"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == tabular.CSV_CONTENT_TYPE
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="impact-cohorte-ete-2026-{today:%Y-%m-%d}.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == HEADER
    # 2 structures × 2 indicators × 2 periods.
    assert len(rows) == 1 + 2 * 2 * 2
    assert [(r[0], cell(r, "Report number"), cell(r, "Indicator code")) for r in rows[1:]] == [
        ("Atelier", "1", "jobs-fte"),
        ("Atelier", "1", "people-reached"),
        ("Atelier", "2", "jobs-fte"),
        ("Atelier", "2", "people-reached"),
        ("Bricole", "1", "jobs-fte"),
        ("Bricole", "1", "people-reached"),
        ("Bricole", "2", "jobs-fte"),
        ("Bricole", "2", "people-reached"),
    ]
    jobs = rows[1]
    report = first_report(cohort.atelier)
    assert jobs[: COLUMN["Indicator"] + 1] == [
        "Atelier",
        cohort.atelier.structure.siret,
        "45 Loiret",
        "Cohorte Été 2026 (2026)",
        "jobs-fte",
        "Emplois créés",
    ]
    assert cell(jobs, "Unit") == "ETP"
    assert cell(jobs, "Value") == "3.5"
    assert cell(jobs, "Baseline") == "2" and cell(jobs, "Target") == "6"
    assert cell(jobs, "Report state") == "Validated"
    assert cell(jobs, "Final report") == "No" and cell(rows[3], "Final report") == "Yes"
    assert cell(jobs, "Period start") == "2026-01-01"
    assert cell(jobs, "Period end") == "2026-06-30"
    assert cell(jobs, "Validated on") == timezone.localdate(report.validated_at).isoformat()
    # The plan expects 3.97 FTE on 30 June (2 -> 6 over the year), and 198.6 people.
    assert cell(jobs, "On track") == "No"
    assert cell(rows[2], "Value") == "1250" and cell(rows[2], "On track") == "Yes"
    # A period not yet reported: its row says so, with the plan's figures.
    assert cell(rows[3], "Report state") == "Due" and cell(rows[3], "Value") == ""
    assert cell(rows[3], "Baseline") == "2" and cell(rows[3], "Validated on") == ""
    not_measured = rows[5]
    assert cell(not_measured, "Report state") == "Submitted"
    assert cell(not_measured, "Not measured") == "Yes"
    assert cell(not_measured, "Why not measured") == "Paie non close"
    assert cell(rows[6], "Value") == "80" and cell(rows[6], "Not measured") == "No"


def test_the_csv_speaks_french_with_french_decimals(client, cohort, staff):
    client.force_login(staff)
    response = client.get(url(cohort, "csv"), HTTP_ACCEPT_LANGUAGE="fr")
    rows = csv_rows(response)
    assert rows[0][:4] == ["Structure", "SIRET", "Département", "Promotion"]
    assert cell(rows[1], "Value") == "3,5"
    assert cell(rows[1], "Final report") == "Non" and cell(rows[3], "Final report") == "Oui"


def test_the_xlsx_holds_numbers_as_numbers_and_dates_as_dates(client, cohort, staff):
    client.force_login(staff)
    response = client.get(url(cohort, "xlsx"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == tabular.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = xlsx_rows(response)
    assert rows[0] == HEADER
    assert len(rows) == 1 + 8
    jobs = rows[1]
    assert cell(jobs, "Value") == pytest.approx(3.5)
    assert isinstance(cell(jobs, "Value"), float)
    assert cell(rows[2], "Value") == 1250 and isinstance(cell(rows[2], "Value"), int)
    assert cell(jobs, "Report number") == 1 and cell(jobs, "Version") == 1
    assert cell(jobs, "Period start") == datetime.datetime(2026, 1, 1)
    assert isinstance(cell(jobs, "Validated on"), datetime.datetime)
    assert cell(rows[5], "Value") is None and cell(rows[5], "Not measured") == "Yes"


def test_validated_only_keeps_the_reports_in_force(client, cohort, staff):
    client.force_login(staff)
    rows = csv_rows(client.get(url(cohort, "csv", "?reports=validated")))
    assert [(r[0], cell(r, "Indicator code")) for r in rows[1:]] == [
        ("Atelier", "jobs-fte"),
        ("Atelier", "people-reached"),
    ]


def test_a_correction_replaces_the_figures_only_once_validated():
    cohort = two_period_cohort()
    accompaniment = reporting(cohort, "Atelier", {"jobs-fte": "3", "people-reached": "200"})
    correction = start_correction(first_report(accompaniment), accompaniment.editor, "Erreur")

    def period_one():
        rows = [row for row in impact_export.export_rows(cohort) if row[7] == 1]
        return [(row[COLUMN["Version"]], row[COLUMN["Value"]]) for row in rows]

    with translation.override("en"):
        # Under way, the correction does not replace the validated figures.
        assert period_one() == [(1, Decimal("3.0000")), (1, Decimal("200"))]
        validated(correction, accompaniment, {"jobs-fte": "4", "people-reached": "210"})
        # Validated, it does; the superseded version is gone.
        assert period_one() == [(2, Decimal("4.0000")), (2, Decimal("210"))]
    assert ImpactReport.objects.filter(accompaniment=accompaniment, number=1).count() == 2


def test_a_dropped_indicator_stays_in_the_reports_that_hold_it_and_texts_stay_texts():
    cohort = two_period_cohort()
    accompaniment = reporting(cohort, "Atelier")
    motto = Indicator.objects.create(
        code="motto",
        name="Devise",
        definition="-",
        value_type=ValueType.TEXT,
        aggregation="none",
        category="governance",
    )
    save_line(accompaniment, accompaniment.editor, motto, baseline="=1+1")
    save_report(first_report(accompaniment), accompaniment.editor, {motto: ("=SOMME(A1)", 0, "")})
    remove_line(PlannedIndicator.objects.get(indicator=motto), accompaniment.editor)
    with translation.override("en"):
        rows = list(impact_export.export_rows(cohort))
        csv_text = tabular.csv_bytes(impact_export.export_columns(), rows).decode()
    assert [(row[7], row[4]) for row in rows] == [
        (1, "jobs-fte"),
        (1, "people-reached"),
        (1, "motto"),
        (2, "jobs-fte"),
        (2, "people-reached"),
    ]
    assert rows[2][COLUMN["Value"]] == "=SOMME(A1)"
    # A text that a spreadsheet would run as a formula is made inert.
    assert ";'=SOMME(A1);" in csv_text


# --- who may download


@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf"])
def test_only_programme_staff_export_a_cohort(client_for, kind, people, far_support_point_user):
    cohort = make_cohort()
    target = url(cohort, kind)
    anonymous = client_for(None).get(target)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    for name in ("outsider", "viewer", "editor", "owner", "support_point"):
        assert client_for(people[name]).get(target).status_code == 404, name
    assert client_for(far_support_point_user).get(target).status_code == 404
    for user in (people["staff"], factories.ManagerFactory()):
        response = client_for(user).get(target)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    missing = reverse(f"accelerator:cohort_impact_{kind}", kwargs={"pk": cohort.pk + 1000})
    assert client_for(people["staff"]).get(missing).status_code == 404


# --- the cost


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_queries_do_not_grow_with_the_cohort(client, staff, count_queries, kind):
    values = {"jobs-fte": "3", "people-reached": "150"}
    small, large = two_period_cohort(), two_period_cohort()
    reporting(small, "Seule", values)
    for n in range(3):
        accompaniment = reporting(large, f"Structure {n}", values if n else None)
        if not n:
            submitted(first_report(accompaniment), accompaniment, values)
    client.force_login(staff)
    assert count_queries(client, url(small, kind)) == count_queries(client, url(large, kind))
    response = client.get(url(large, kind))
    rows = csv_rows(response) if kind == "csv" else xlsx_rows(response)
    assert len(rows) == 1 + 3 * 2 * 2
