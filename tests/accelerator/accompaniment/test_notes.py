"""Notes on the accompaniment's page: each shown to its audience, written by those who may."""

import pytest

from accelerator.domain.followup import add_note
from accelerator.models import Note
from tests.accelerator.accompaniment import page, url

# --- notes


def test_notes_are_shown_to_their_audience_only(
    accompaniment, staff, support_point_user, client_for
):
    add_note(accompaniment, staff, "Réservé à l'équipe.", "staff")
    add_note(accompaniment, staff, "Pour le point d'appui aussi.", "support_point")
    add_note(accompaniment, support_point_user, "Vu sur le terrain.", "everyone")
    staff_html = client_for(staff).get(page(accompaniment)).content.decode()
    point_html = client_for(support_point_user).get(page(accompaniment)).content.decode()
    assert "Réservé à l&#x27;équipe." in staff_html
    assert "Réservé à l&#x27;équipe." not in point_html
    for text in ("Pour le point d&#x27;appui aussi.", "Vu sur le terrain."):
        assert text in staff_html and text in point_html


def test_the_support_point_writes_a_note_for_its_audiences_only(
    accompaniment, support_point_user, client_for
):
    client = client_for(support_point_user)
    html = client.get(page(accompaniment)).content.decode()
    assert 'value="support_point"' in html and 'value="everyone"' in html
    assert 'name="note-visibility" value="staff"' not in html
    response = client.post(
        url("accompaniment_note", accompaniment),
        {"note-body": "Rien que pour l'équipe.", "note-visibility": "staff"},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert "Rien que pour l&#x27;équipe." in response.content.decode()
    assert not Note.objects.exists()
    response = client.post(
        url("accompaniment_note", accompaniment),
        {"note-body": "Rencontre en mairie.", "note-visibility": "support_point"},
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.author, note.visibility, note.body) == (
        support_point_user,
        "support_point",
        "Rencontre en mairie.",
    )


def test_an_empty_note_is_refused_in_place(accompaniment, staff, client_for):
    response = client_for(staff).post(
        url("accompaniment_note", accompaniment), {"note-body": "   ", "note-visibility": "staff"}
    )
    assert response.status_code == 200
    assert "The note is empty." in response.content.decode() or "This field is required." in (
        response.content.decode()
    )
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 403),
        ("owner", 403),
        ("staff", 302),
        ("support_point", 302),
    ],
)
def test_who_may_write_a_note(
    accompaniment, people, far_support_point_user, client_for, role, expected
):
    user = far_support_point_user if role == "far_support_point" else people[role]
    response = client_for(user).post(
        url("accompaniment_note", accompaniment),
        {"note-body": "Une note.", "note-visibility": "everyone"},
    )
    assert response.status_code == expected
    assert Note.objects.exists() == (role in ("staff", "support_point"))
