"""Moving a regulatory obstacle through its states, and the e-mails each move sends."""

import pytest
from django.urls import reverse

from accelerator.domain.journey import TransitionRefused
from accelerator.domain.obstacles import _notify, change_obstacle_state, report_obstacle
from accelerator.models import ObstacleEvent, RegulatoryObstacle
from tests import factories
from tests.accelerator.obstacles import O, move_url, obstacle_url
from workers.models import OutboxMessage

# --- moving


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("support_point", 403),
        ("staff", 302),
        ("manager", 302),
    ],
)
def test_who_moves_an_obstacle(client_for, obstacle, everyone, role, expected):
    response = client_for(everyone[role]).post(
        move_url(obstacle), {"transition": "review", "comment": "On regarde."}
    )
    assert response.status_code == expected
    obstacle.refresh_from_db()
    assert obstacle.state == (O.UNDER_REVIEW if expected == 302 else O.REPORTED)


@pytest.mark.django_db
def test_anonymous_moves_are_sent_to_log_in(client_for, obstacle):
    response = client_for(None).post(move_url(obstacle), {"transition": "review", "comment": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    obstacle.refresh_from_db()
    assert obstacle.state == O.REPORTED


@pytest.mark.django_db
def test_every_move_in_turn(client_for, obstacle, staff):
    client = client_for(staff)
    for name, target in [("review", O.UNDER_REVIEW), ("escalate", O.ESCALATED)]:
        response = client.post(move_url(obstacle), {"transition": name, "comment": f"{name} ok"})
        assert response.status_code == 302
        obstacle.refresh_from_db()
        assert obstacle.state == target
    page = client.get(obstacle_url(obstacle)).content.decode()
    assert "The obstacle is now “Escalated”." in page
    # From escalated: resolve or close, not review again.
    assert 'value="resolve"' in page and 'value="close"' in page
    assert 'value="review"' not in page and 'value="escalate"' not in page
    client.post(move_url(obstacle), {"transition": "resolve", "comment": "Décret modifié."})
    obstacle.refresh_from_db()
    assert obstacle.state == O.RESOLVED
    page = client.get(obstacle_url(obstacle)).content.decode()
    assert "it moves no further" in page
    assert "Ended after 0 days" in page
    events = list(obstacle.events.values_list("source", "target", "comment", "actor"))
    assert events == [
        (O.REPORTED, O.UNDER_REVIEW, "review ok", staff.pk),
        (O.UNDER_REVIEW, O.ESCALATED, "escalate ok", staff.pk),
        (O.ESCALATED, O.RESOLVED, "Décret modifié.", staff.pk),
    ]


@pytest.mark.django_db
def test_a_move_without_a_comment_is_refused_next_to_the_comment(client_for, obstacle, staff):
    response = client_for(staff).post(move_url(obstacle), {"transition": "review", "comment": " "})
    assert response.status_code == 200
    page = response.content.decode()
    comment = page[page.index('for="id_comment"') :]
    assert "Please add a comment: it tells the structure what happened." in comment
    obstacle.refresh_from_db()
    assert obstacle.state == O.REPORTED
    assert not obstacle.events.exists()


@pytest.mark.django_db
def test_a_refused_move_says_why_and_keeps_the_comment(client_for, obstacle, staff):
    response = client_for(staff).post(
        move_url(obstacle), {"transition": "resolve", "comment": "Réglé avec la mairie."}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This obstacle is “Reported”: it cannot be moved this way now." in page
    assert "Réglé avec la mairie.</textarea>" in page
    obstacle.refresh_from_db()
    assert obstacle.state == O.REPORTED


@pytest.mark.django_db
def test_an_unknown_move_is_refused(client_for, obstacle, staff):
    response = client_for(staff).post(move_url(obstacle), {"transition": "delete", "comment": "x"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    obstacle.refresh_from_db()
    assert obstacle.state == O.REPORTED


@pytest.mark.django_db
def test_a_stale_page_cannot_move_twice(obstacle, staff):
    stale = RegulatoryObstacle.objects.get(pk=obstacle.pk)
    change_obstacle_state(obstacle, "review", staff, "Premier")
    with pytest.raises(TransitionRefused):
        change_obstacle_state(stale, "review", staff, "Second")
    assert ObstacleEvent.objects.count() == 1


# --- e-mails


@pytest.mark.django_db
def test_a_move_tells_owners_editors_and_the_reporter_once_each(
    obstacle, owner, editor, viewer, staff
):
    reporter = factories.StaffFactory()
    second = report_obstacle(obstacle.accompaniment, reporter, "Arrêté préfectoral", "Le marché")
    OutboxMessage.objects.all().delete()
    change_obstacle_state(second, "review", staff, "Nous regardons.")
    messages = {message.to: message for message in OutboxMessage.objects.all()}
    assert set(messages) == {owner.email, editor.email, reporter.email}
    message = messages[owner.email]
    assert "Under review" in message.subject
    assert "Nous regardons." in message.body_text
    assert "Arrêté préfectoral" in message.body_text
    assert obstacle_url(second) in message.body_text
    assert viewer.email not in messages and staff.email not in messages


@pytest.mark.django_db
def test_the_editor_who_reported_is_told_once(obstacle, owner, editor, staff):
    OutboxMessage.objects.all().delete()
    change_obstacle_state(obstacle, "review", staff, "Vu.")
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(
        [owner.email, editor.email]
    )


@pytest.mark.django_db
def test_a_retry_never_sends_twice(obstacle, owner, staff):
    OutboxMessage.objects.all().delete()
    moved = change_obstacle_state(obstacle, "review", staff, "Vu.")
    before = OutboxMessage.objects.count()
    assert before == 2  # the owner and the editor who reported it
    _notify(moved, moved.events.get())
    assert OutboxMessage.objects.count() == before


@pytest.mark.django_db
def test_each_recipient_reads_the_e_mail_in_their_language(obstacle, owner, editor, staff):
    owner.language = "fr"
    owner.save(update_fields=["language"])
    OutboxMessage.objects.all().delete()
    change_obstacle_state(obstacle, "review", staff, "Vu.")
    french = OutboxMessage.objects.get(to=owner.email)
    english = OutboxMessage.objects.get(to=editor.email)
    assert french.language == "fr" and english.language == "en"
    assert "Bonjour," in french.body_text and "En cours d'examen" in french.body_text
    assert "Hello," in english.body_text and "Under review" in english.body_text
