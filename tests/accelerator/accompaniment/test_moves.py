"""Moving the structure from its accompaniment's page, and setting who follows it."""

import pytest

from accelerator.domain.journey import change_stage
from accelerator.models import Accompaniment, AccompanimentTransition
from tests import factories
from tests.accelerator.accompaniment import S, page, url
from tests.accelerator.test_journey_transitions import fulfil

# --- moving the structure


def test_a_refused_move_shows_why_and_keeps_the_comment(accompaniment, manager, client_for):
    response = client_for(manager).post(
        url("accompaniment_moves", accompaniment),
        {"move-move": "start_seed_funding", "move-comment": "Comité du 3 mars."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "labelling committee decision “granted” must be recorded" in html
    assert 'id="error-summary"' in html
    assert "Comité du 3 mars." in html
    assert "Nothing was saved" in html
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.LABELLING


def test_a_move_once_the_condition_is_met(accompaniment, manager, client_for, owner):
    fulfil(accompaniment, "start_seed_funding")
    client = client_for(manager)
    response = client.post(
        url("accompaniment_moves", accompaniment),
        {"move-move": "start_seed_funding", "move-comment": "Label obtenu."},
    )
    assert response.status_code == 302
    assert response["Location"] == page(accompaniment)
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.SEED_FUNDING
    log = AccompanimentTransition.objects.get(
        accompaniment=accompaniment, name="start_seed_funding"
    )
    assert (log.actor, log.comment) == (manager, "Label obtenu.")
    html = client.get(page(accompaniment)).content.decode()
    assert "is now in “Seed funding”" in html
    assert "Move to Fundraising" in html


def test_exit_needs_a_reason_and_keeps_the_comment(accompaniment, manager, client_for):
    # One comment field: for an exit it is the reason, which the machine requires.
    target = url("accompaniment_moves", accompaniment)
    response = client_for(manager).post(target, {"move-move": "exit", "move-comment": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please give the reason why the structure leaves the programme." in html
    assert 'href="#id_move-comment"' in html
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.LABELLING
    response = client_for(manager).post(
        target, {"move-move": "exit", "move-comment": "La structure a fermé."}
    )
    assert response.status_code == 302
    exited = Accompaniment.objects.get(pk=accompaniment.pk)
    assert (exited.stage, exited.exit_reason) == (S.EXITED, "La structure a fermé.")
    html = client_for(manager).get(page(accompaniment)).content.decode()
    assert "has left the programme" in html and "La structure a fermé." in html
    # The progress keeps the stages reached.
    assert 'journey-step--done">\n    Labelling' in html
    assert 'journey-step--todo">\n    Seed funding' in html
    assert "Exit the programme" not in html


def test_a_move_made_impossible_meanwhile_keeps_the_text(accompaniment, manager, client_for):
    change_stage(accompaniment, "pause", manager)
    response = client_for(manager).post(
        url("accompaniment_moves", accompaniment),
        {"move-move": "start_seed_funding", "move-comment": "Texte à garder."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be moved this way now" in html
    assert "Texte à garder." in html
    # The page shows the moves of the stage the structure is in now.
    assert "Resume in Labelling" in html and 'value="start_seed_funding"' not in html


def test_an_unknown_transition_is_a_404(accompaniment, manager, client_for):
    response = client_for(manager).post(url("accompaniment_move", accompaniment, name="delete"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("staff", 403),
        ("support_point", 403),
        ("manager", 302),
        ("referent", 302),
    ],
)
def test_who_may_move(
    accompaniment, people, manager, far_support_point_user, client_for, role, expected
):
    referent = factories.StaffFactory()
    Accompaniment.objects.filter(pk=accompaniment.pk).update(referent=referent)
    user = {
        "manager": manager,
        "referent": referent,
        "far_support_point": far_support_point_user,
    }.get(role) or people[role]
    response = client_for(user).post(url("accompaniment_move", accompaniment, name="pause"))
    assert response.status_code == expected
    moved = Accompaniment.objects.get(pk=accompaniment.pk).stage == S.PAUSED
    assert moved == (role in ("manager", "referent"))


def test_a_get_on_an_action_is_refused(accompaniment, manager, client_for):
    response = client_for(manager).get(url("accompaniment_move", accompaniment, name="pause"))
    assert response.status_code == 405


# --- who follows it


def test_the_mover_sets_the_referent_and_the_support_point(accompaniment, manager, client_for):
    referent = factories.StaffFactory()
    point = factories.SupportPointFactory(department=accompaniment.structure.department)
    response = client_for(manager).post(
        url("accompaniment_people", accompaniment),
        {"people-referent": referent.pk, "people-support_point": point.pk},
    )
    assert response.status_code == 302
    saved = Accompaniment.objects.get(pk=accompaniment.pk)
    assert (saved.referent, saved.support_point) == (referent, point)
    response = client_for(manager).post(
        url("accompaniment_people", accompaniment),
        {"people-referent": "", "people-support_point": ""},
    )
    saved = Accompaniment.objects.get(pk=accompaniment.pk)
    assert (saved.referent, saved.support_point) == (None, None)


def test_a_non_staff_referent_or_a_far_support_point_is_refused_in_place(
    accompaniment, manager, client_for, owner
):
    far = factories.SupportPointFactory(department=factories.department("18", "Cher"))
    response = client_for(manager).post(
        url("accompaniment_people", accompaniment),
        {"people-referent": owner.pk, "people-support_point": far.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Each error beside its field, and again as a link in the page's error summary.
    summary = html[
        html.index('id="error-summary"') : html.index("</ul>", html.index('id="error-summary"'))
    ]
    assert summary.count("Select a valid choice.") == 2
    assert html.count("Select a valid choice.") == 4
    saved = Accompaniment.objects.get(pk=accompaniment.pk)
    assert (saved.referent, saved.support_point) == (None, None)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("outsider", 404), ("owner", 403), ("staff", 403), ("support_point", 403)],
)
def test_only_movers_change_who_follows(accompaniment, people, client_for, role, expected):
    response = client_for(people[role]).post(
        url("accompaniment_people", accompaniment), {"people-referent": people["staff"].pk}
    )
    assert response.status_code == expected
    assert Accompaniment.objects.get(pk=accompaniment.pk).referent is None
