"""Milestones on the accompaniment's page: grouped by stage, added and closed by staff."""

import datetime

import pytest
from django.utils import timezone

from accelerator.domain.followup import add_milestone
from accelerator.models import Milestone
from tests.accelerator.accompaniment import S, page, url
from tests.accelerator.test_journey_transitions import make_accompaniment

# --- milestones


def test_milestones_are_grouped_by_stage_with_their_due_date_and_overdue_flag(
    accompaniment, staff, client_for
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    add_milestone(accompaniment, staff, "Diagnostic partagé", stage=S.SOURCING, due_on=yesterday)
    late = add_milestone(accompaniment, staff, "Dossier de labellisation", due_on=yesterday)
    add_milestone(accompaniment, staff, "Rencontre du comité", owner="staff")
    html = client_for(staff).get(page(accompaniment)).content.decode()
    html = html[html.index('id="milestones"') : html.index('id="labelling"')]
    sourcing, labelling = html.index("stage--sourcing"), html.index("stage--labelling")
    assert sourcing < html.index("Diagnostic partagé") < labelling
    assert labelling < html.index("Dossier de labellisation")
    assert html.count("Overdue") == 2
    assert "Programme staff" in html
    assert f'id="milestone-{late.pk}" class="milestone milestone--open milestone--overdue"' in html


def test_staff_add_a_milestone_by_hand(accompaniment, staff, client_for):
    response = client_for(staff).post(
        url("accompaniment_milestone_add", accompaniment),
        {
            "milestone-title": "Visite sur site",
            "milestone-stage": S.LABELLING,
            "milestone-due_on": "2030-01-15",
            "milestone-owner": "staff",
            "milestone-kind": "other",
            "milestone-description": "",
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(accompaniment=accompaniment, title="Visite sur site")
    assert (milestone.due_on, milestone.owner, milestone.created_by) == (
        datetime.date(2030, 1, 15),
        "staff",
        staff,
    )


def test_a_milestone_without_title_keeps_what_was_typed(accompaniment, staff, client_for):
    response = client_for(staff).post(
        url("accompaniment_milestone_add", accompaniment),
        {
            "milestone-title": "  ",
            "milestone-stage": S.LABELLING,
            "milestone-owner": "structure",
            "milestone-kind": "other",
            "milestone-description": "Une description gardée.",
        },
    )
    assert response.status_code == 200
    assert "Une description gardée." in response.content.decode()
    assert not Milestone.objects.filter(description="Une description gardée.").exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("outsider", 404), ("owner", 403), ("support_point", 403), ("staff", 302)],
)
def test_only_staff_add_milestones(accompaniment, people, client_for, role, expected):
    response = client_for(people[role]).post(
        url("accompaniment_milestone_add", accompaniment),
        {
            "milestone-title": "Étape",
            "milestone-stage": S.LABELLING,
            "milestone-owner": "structure",
            "milestone-kind": "other",
        },
    )
    assert response.status_code == expected
    assert Milestone.objects.filter(title="Étape").exists() == (expected == 302)


def test_staff_mark_a_milestone_done_dropped_and_open_again(accompaniment, staff, client_for):
    milestone = add_milestone(accompaniment, staff, "Diagnostic")
    target = url("accompaniment_milestone_status", accompaniment, milestone_pk=milestone.pk)
    client = client_for(staff)
    assert client.post(target, {"status": "done"}).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.closed_by) == ("done", staff)
    client.post(target, {"status": "dropped"})
    milestone.refresh_from_db()
    assert milestone.status == "dropped"
    client.post(target, {"status": "open"})
    milestone.refresh_from_db()
    assert (milestone.status, milestone.closed_at) == ("open", None)
    client.post(target, {"status": "finished"})
    milestone.refresh_from_db()
    assert milestone.status == "open"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("outsider", 404), ("viewer", 403), ("support_point", 403)],
)
def test_others_do_not_close_a_staff_milestone(
    accompaniment, people, staff, client_for, role, expected
):
    milestone = add_milestone(accompaniment, staff, "Comité", owner="staff")
    response = client_for(people[role]).post(
        url("accompaniment_milestone_status", accompaniment, milestone_pk=milestone.pk),
        {"status": "done"},
    )
    assert response.status_code == expected
    milestone.refresh_from_db()
    assert milestone.status == "open"


def test_a_milestone_of_another_accompaniment_is_a_404(accompaniment, staff, client_for):
    other = make_accompaniment(stage=S.SOURCING)
    milestone = add_milestone(other, staff, "Ailleurs")
    response = client_for(staff).post(
        url("accompaniment_milestone_status", accompaniment, milestone_pk=milestone.pk),
        {"status": "done"},
    )
    assert response.status_code == 404
