"""The staff's file of regulatory obstacles: who reads it, its filters, pages and query count,
and its export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.obstacles import change_obstacle_state, report_obstacle
from accelerator.models import Cohort, RegulatoryObstacle
from tests import factories
from tests.accelerator.obstacles import EXPORT_URL, LIST_URL, obstacle_url
from tests.accelerator.test_journey_transitions import make_accompaniment

# --- the staff file


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("outsider", 403),
        ("far_support_point", 403),
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("support_point", 403),
        ("staff", 200),
        ("manager", 200),
    ],
)
def test_only_staff_read_the_file_and_its_export(client_for, obstacle, everyone, role, expected):
    client = client_for(everyone[role])
    assert client.get(LIST_URL).status_code == expected
    assert client.get(EXPORT_URL).status_code == expected


@pytest.mark.django_db
def test_anonymous_people_log_in_to_read_the_file(client_for):
    for address in (LIST_URL, EXPORT_URL):
        response = client_for(None).get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def _obstacles_in(cohort_name, year, count, state_moves=()):
    """`count` obstacles on a new structure in a new cohort; moves applied to the first ones."""
    structure = factories.StructureFactory(name=f"Structure de {cohort_name}")
    accompaniment = make_accompaniment(structure)
    Cohort.objects.filter(pk=accompaniment.cohort_id).update(name=cohort_name, year=year)
    staff = factories.StaffFactory()
    created = []
    for index in range(count):
        created.append(
            report_obstacle(
                accompaniment,
                staff,
                f"{cohort_name} — texte {index}",
                f"Ce que bloque {index}",
                f"Changement {index}",
            )
        )
    for obstacle, moves in zip(created, state_moves, strict=False):
        for name in moves:
            obstacle = change_obstacle_state(obstacle, name, staff, f"{name}.")
    return accompaniment, created


@pytest.mark.django_db
def test_the_file_shows_what_partners_need_newest_first(client_for, staff):
    accompaniment, (first, second) = _obstacles_in("Promo A", 2025, 2)
    RegulatoryObstacle.objects.filter(pk=first.pk).update(
        reported_at=timezone.now() - datetime.timedelta(days=12)
    )
    page = client_for(staff).get(LIST_URL).content.decode()
    assert page.index("Promo A — texte 1") < page.index("Promo A — texte 0")
    row = page[page.index(f'data-obstacle="{first.pk}"') :]
    row = row[: row.index("</tr>")]
    for text in ("Promo A — texte 0", "Ce que bloque 0", "Changement 0", "Structure de Promo A"):
        assert text in row
    assert '<td class="number">12</td>' in row
    assert reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk}) in row
    assert obstacle_url(first) in row


@pytest.mark.django_db
def test_the_file_filters_by_state_and_cohort_and_counts_per_state(client_for, staff):
    (a_accompaniment, _) = _obstacles_in("Promo A", 2025, 3, [["review"], ["review", "escalate"]])
    _obstacles_in("Promo B", 2026, 2, [["close"]])
    client = client_for(staff)
    page = client.get(LIST_URL).content.decode()
    assert "All <strong>5</strong>" in page
    assert "Reported <strong>2</strong>" in page
    assert "Under review <strong>1</strong>" in page
    assert "Escalated <strong>1</strong>" in page
    assert "Closed <strong>1</strong>" in page
    assert "Resolved <strong>0</strong>" in page

    page = client.get(LIST_URL, {"state": "reported"}).content.decode()
    assert page.count("data-obstacle=") == 2
    assert "Promo A — texte 2" in page and "Promo B — texte 1" in page

    cohort = a_accompaniment.cohort_id
    page = client.get(LIST_URL, {"cohort": cohort}).content.decode()
    assert page.count("data-obstacle=") == 3
    assert "Promo B" not in page.split("<tbody>")[1]
    # The chips count within the cohort chosen.
    assert "All <strong>3</strong>" in page and "Closed <strong>0</strong>" in page

    page = client.get(LIST_URL, {"cohort": cohort, "state": "escalated"}).content.decode()
    assert page.count("data-obstacle=") == 1
    assert "Promo A — texte 1" in page
    assert "escalate." in page  # the latest comment

    # An invalid filter shows the whole file.
    assert client.get(LIST_URL, {"state": "nope"}).content.decode().count("data-obstacle=") == 5


@pytest.mark.django_db
def test_the_file_is_paginated(client_for, staff):
    _obstacles_in("Promo A", 2025, 30)
    client = client_for(staff)
    first = client.get(LIST_URL).content.decode()
    assert first.count("data-obstacle=") == 25
    assert "Page 1 of 2" in first
    second = client.get(LIST_URL, {"page": 2}).content.decode()
    assert second.count("data-obstacle=") == 5


@pytest.mark.django_db
def test_the_file_query_count_does_not_grow_with_obstacles(client_for, count_queries, staff):
    _obstacles_in("Promo A", 2025, 1, [["review"]])
    client = client_for(staff)
    expected = count_queries(client, LIST_URL)
    moves = [["review"], ["review", "escalate"], ["close"], ["review", "resolve"]] * 8
    for index in range(29):
        _obstacles_in(f"Promo {index}", 2026, 1, [moves[index]])
    assert RegulatoryObstacle.objects.count() == 30
    assert count_queries(client, LIST_URL + "?page=1") == expected
    page = client.get(LIST_URL).content.decode()
    assert page.count("data-obstacle=") == 25
    print(f"obstacle file: {expected} queries with 1 and with 30 obstacles")


@pytest.mark.django_db
def test_the_export_holds_the_filtered_file(client_for, staff):
    _obstacles_in("Promo A", 2025, 2, [["review"]])
    _obstacles_in("Promo B", 2026, 1)
    response = client_for(staff).get(EXPORT_URL, {"state": "reported"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Reported on", "State", "Days open"]
    assert sorted(row[8] for row in rows[1:]) == ["Promo A — texte 1", "Promo B — texte 0"]
    assert {row[1] for row in rows[1:]} == {"Reported"}

    xlsx = client_for(staff).get(EXPORT_URL, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4
    assert sheet["I1"].value == "Regulation concerned"


@pytest.mark.django_db
def test_the_export_makes_formulas_inert(client_for, staff, accompaniment):
    report_obstacle(accompaniment, staff, '=HYPERLINK("http://x")', "Tout")
    text = b"".join(client_for(staff).get(EXPORT_URL).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
