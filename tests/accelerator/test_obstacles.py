"""Regulatory obstacles: reporting, reading, moving (with its e-mails), and the staff file."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.journey import TransitionRefused
from accelerator.domain.obstacles import (
    _notify,
    change_obstacle_state,
    days_open,
    report_obstacle,
)
from accelerator.models import Cohort, ObstacleEvent, ObstacleState, RegulatoryObstacle
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment
from workers.models import OutboxMessage

O = ObstacleState  # noqa: E741


@pytest.fixture
def everyone(people, manager, far_support_point_user):
    return {**people, "manager": manager, "far_support_point": far_support_point_user}


@pytest.fixture
def accompaniment(structure):
    return make_accompaniment(structure)


@pytest.fixture
def obstacle(accompaniment, editor):
    return report_obstacle(
        accompaniment,
        editor,
        "Code de la construction, art. R. 143-2",
        "L'ouverture d'un tiers-lieu dans un ancien hangar agricole.",
        "Une dérogation pour les établissements de moins de 50 personnes.",
    )


def report_url(accompaniment):
    return reverse("accelerator:obstacle_report", kwargs={"pk": accompaniment.pk})


def obstacle_url(obstacle):
    return reverse("accelerator:obstacle", kwargs={"pk": obstacle.pk})


def move_url(obstacle):
    return reverse("accelerator:obstacle_move", kwargs={"pk": obstacle.pk})


LIST_URL = reverse("accelerator:obstacle_list")
EXPORT_URL = reverse("accelerator:obstacle_export")


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
    assert "Please correct the problem shown below." in page
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
    assert "Please correct the 2 problems shown below." in page
    assert "Say what this regulation blocks." in page


@pytest.mark.django_db
def test_the_report_form_is_inline_on_the_structure_page(
    client_for, structure, accompaniment, editor
):
    page = client_for(editor).get(
        reverse("accelerator:structure_journey", kwargs={"pk": structure.pk})
    )
    assert f'action="{report_url(accompaniment)}"' in page.content.decode()


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
