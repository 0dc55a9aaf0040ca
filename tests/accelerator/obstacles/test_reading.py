"""Reading one regulatory obstacle: who may, its history, and how long it has been open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.obstacles import change_obstacle_state, days_open
from accelerator.models import ObstacleEvent, RegulatoryObstacle
from tests.accelerator.obstacles import move_url, obstacle_url

# --- reading one obstacle


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 200),
        ("editor", 200),
        ("owner", 200),
        ("staff", 200),
        ("manager", 200),
        ("support_point", 200),
    ],
)
def test_who_reads_an_obstacle(client_for, obstacle, everyone, role, expected):
    response = client_for(everyone[role]).get(obstacle_url(obstacle))
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert "Open for 0 days" in page
        assert "Code de la construction, art. R. 143-2" in page
        assert "tiers-lieu" in page and "moins de 50 personnes" in page
        # Only staff see the moves.
        assert (f'action="{move_url(obstacle)}"' in page) is everyone[role].is_staff


@pytest.mark.django_db
def test_anonymous_and_unknown_obstacles(client_for, obstacle, staff):
    response = client_for(None).get(obstacle_url(obstacle))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    missing = reverse("accelerator:obstacle", kwargs={"pk": obstacle.pk + 100})
    assert client_for(staff).get(missing).status_code == 404


@pytest.mark.django_db
def test_the_history_says_who_when_from_to_and_why(client_for, obstacle, staff, owner):
    change_obstacle_state(obstacle, "review", staff, "Nous étudions le texte.")
    obstacle.refresh_from_db()
    change_obstacle_state(obstacle, "escalate", staff, "Transmis à la préfecture.")
    staff_page = client_for(staff).get(obstacle_url(obstacle)).content.decode()
    history = staff_page[staff_page.index('id="history-title"') :]
    assert history.index("Nous étudions le texte.") < history.index("Transmis à la préfecture.")
    assert staff.display_name in history
    assert "Reported</span> → <span" in history and "Under review</span>" in history
    assert "Escalated</span>" in history
    assert timezone.localtime(ObstacleEvent.objects.first().at).strftime("%H:%M") in history
    # The structure reads the programme team, not the name of the staff member.
    member_page = client_for(owner).get(obstacle_url(obstacle)).content.decode()
    member_history = member_page[member_page.index('id="history-title"') :]
    assert staff.display_name not in member_history
    assert "The programme team" in member_history
    assert "Transmis à la préfecture." in member_history


# --- days open


@pytest.mark.django_db
def test_days_open_counts_to_today_or_to_the_end(obstacle, staff):
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    RegulatoryObstacle.objects.filter(pk=obstacle.pk).update(reported_at=ten_days_ago)
    obstacle.refresh_from_db()
    assert days_open(obstacle) == 10
    closed = change_obstacle_state(obstacle, "close", staff, "Hors champ.")
    ObstacleEvent.objects.filter(obstacle=closed).update(
        at=ten_days_ago + datetime.timedelta(days=3)
    )
    closed.refresh_from_db()
    assert days_open(closed) == 3
    assert days_open(closed, today=timezone.localdate() + datetime.timedelta(days=50)) == 3
