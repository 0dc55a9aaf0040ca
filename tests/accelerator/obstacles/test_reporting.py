"""Reporting a regulatory obstacle: who may, the form on the structure's page, what is refused."""

import pytest
from django.urls import reverse

from accelerator.models import RegulatoryObstacle
from tests.accelerator.obstacles import O, obstacle_url, report_url

# --- reporting


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 403),
        ("support_point", 403),
        ("editor", 200),
        ("owner", 200),
        ("staff", 200),
        ("manager", 200),
    ],
)
def test_who_may_open_the_report_form(client_for, accompaniment, everyone, role, expected):
    response = client_for(everyone[role]).get(report_url(accompaniment))
    assert response.status_code == expected
    if expected == 200:
        assert "Regulation concerned" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 403),
        ("support_point", 403),
        ("editor", 302),
        ("owner", 302),
        ("staff", 302),
        ("manager", 302),
    ],
)
def test_who_may_report(client_for, accompaniment, everyone, role, expected):
    response = client_for(everyone[role]).post(
        report_url(accompaniment), {"regulation": "Décret n° 2021-1", "blocks": "La vente"}
    )
    assert response.status_code == expected
    reported = RegulatoryObstacle.objects.filter(accompaniment=accompaniment)
    if expected == 302:
        obstacle = reported.get()
        assert response["Location"] == obstacle_url(obstacle)
        assert (obstacle.reported_by, obstacle.state) == (everyone[role], O.REPORTED)
        assert obstacle.regulation == "Décret n° 2021-1"
    else:
        assert not reported.exists()


@pytest.mark.django_db
def test_anonymous_reporting_is_sent_to_log_in(client_for, accompaniment):
    for response in (
        client_for(None).get(report_url(accompaniment)),
        client_for(None).post(report_url(accompaniment), {"regulation": "x", "blocks": "y"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not RegulatoryObstacle.objects.exists()


@pytest.mark.django_db
def test_a_missing_text_is_shown_in_place_and_typed_text_kept(client_for, accompaniment, owner):
    response = client_for(owner).post(
        report_url(accompaniment),
        {
            "regulation": "   ",
            "blocks": "La location de salles",
            "proposed_change": "Une dérogation",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    field = page[page.index('<label for="id_regulation"') : page.index('<label for="id_blocks"')]
    # The error sits in the regulation's own block; the other field is not marked.
    assert '<div class="field field--error">\n  <label for="id_regulation"' in page
    assert '<div class="field">\n  <label for="id_blocks"' in page
    assert "Say which text blocks the project (code, article, decree)." in field
    assert "La location de salles</textarea>" in page
    assert "Une dérogation</textarea>" in page
    assert not RegulatoryObstacle.objects.exists()


@pytest.mark.django_db
def test_both_missing_texts_are_named(client_for, accompaniment, owner):
    page = client_for(owner).post(report_url(accompaniment), {}).content.decode()
    assert "There are 2 problems" in page
    assert "Say what this regulation blocks." in page


@pytest.mark.django_db
def test_the_report_form_is_inline_on_the_structure_page(
    client_for, structure, accompaniment, editor
):
    page = client_for(editor).get(
        reverse("accelerator:structure_journey", kwargs={"pk": structure.pk})
    )
    assert f'action="{report_url(accompaniment)}"' in page.content.decode()
