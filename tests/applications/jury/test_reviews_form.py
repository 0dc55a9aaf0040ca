"""A juror's review: the form built from the grid, drafts, submission, revision, validation with
typed values kept, and a closed phase making it read-only."""

import html
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accelerator.domain.refusals import Refused
from applications.domain.reviews import save_review
from applications.models import Review, Score
from tests.applications.jury.test_reviews_support import (
    Scene,
    complete_data,
    form_post,
    is_checked,
)


def _url(scene):
    return reverse("applications:review", kwargs={"dossier_id": scene.dossier.pk})


@pytest.fixture
def scene(staff):
    return Scene(staff)


def test_the_form_comes_from_the_grid(client, scene):
    client.force_login(scene.user)
    response = client.get(_url(scene))
    assert response.status_code == 200
    page = response.content.decode()
    first, second, third = scene.criteria
    for criterion in scene.criteria:
        assert criterion.title in page
        assert f'name="comment_{criterion.pk}"' in page
    # One radio button per point of each scale, “not applicable” only where allowed.
    for value in range(0, 6):
        assert f'name="score_{first.pk}" value="{value}"' in page
    assert f'name="score_{first.pk}" value="6"' not in page
    assert f'name="score_{second.pk}" value="0"' not in page
    for value in range(1, 5):
        assert f'name="score_{second.pk}" value="{value}"' in page
    assert f'name="score_{second.pk}" value="na"' in page
    assert f'name="score_{first.pk}" value="na"' not in page
    assert f'name="score_{third.pk}" value="10"' in page
    for recommendation in ("yes", "maybe", "no"):
        assert f'name="recommendation" value="{recommendation}"' in page
    assert 'name="private_note"' in page
    assert "Save draft" in page and "Submit my review" in page


def test_a_partial_draft_is_saved_and_shown_again(client, scene):
    client.force_login(scene.user)
    first, second, third = scene.criteria
    response = client.post(
        _url(scene),
        {
            f"score_{first.pk}": "3",
            f"comment_{third.pk}": "À approfondir.",
            "private_note": "Note pour l'équipe.",
            "action": "save",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(assignment=scene.assignment)
    assert review.submitted_at is None
    assert review.recommendation == ""
    assert review.private_note == "Note pour l'équipe."
    scores = {s.criterion_id: s for s in review.scores.all()}
    assert scores[first.pk].value == 3
    assert scores[third.pk].value is None and scores[third.pk].comment == "À approfondir."
    assert second.pk not in scores
    page = client.get(_url(scene)).content.decode()
    assert "Your draft is saved" in page
    assert is_checked(page, f"score_{first.pk}", "3")
    assert not is_checked(page, f"score_{first.pk}", "4")
    assert "À approfondir." in page
    assert "Draft" in page


def test_submit_stores_scores_and_not_applicable_as_null(client, scene):
    client.force_login(scene.user)
    response = client.post(_url(scene), form_post(scene.call, action="submit"))
    assert response.status_code == 302
    review = Review.objects.get(assignment=scene.assignment)
    assert review.is_submitted
    assert review.recommendation == "yes"
    first, second, third = scene.criteria
    scores = {s.criterion_id: s for s in review.scores.all()}
    assert (scores[first.pk].value, scores[first.pk].not_applicable) == (4, False)
    assert (scores[second.pk].value, scores[second.pk].not_applicable) == (None, True)
    assert scores[third.pk].value == 7
    page = client.get(_url(scene)).content.decode()
    assert "Your review is submitted" in page
    assert "Save the changes to my review" in page
    assert "Save draft" not in page


def test_submit_requires_every_criterion_and_a_recommendation_keeping_typed_values(client, scene):
    client.force_login(scene.user)
    first, second, third = scene.criteria
    response = client.post(
        _url(scene),
        form_post(
            scene.call,
            action="submit",
            recommendation="",
            comment="Mon avis général, tapé avec soin.",
            **{f"score_{third.pk}": "", f"comment_{third.pk}": "Commentaire gardé."},
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Score this criterion." in page
    assert "Give your overall recommendation." in page
    assert "Your review was not saved" in page
    # Everything typed is still there.
    assert "Mon avis général, tapé avec soin." in page
    assert "Commentaire gardé." in page
    assert is_checked(page, f"score_{first.pk}", "4")
    assert is_checked(page, f"score_{second.pk}", "na")
    assert not Review.objects.exists()


def test_a_score_off_the_scale_is_refused_even_in_a_draft(client, scene):
    client.force_login(scene.user)
    first = scene.criteria[0]
    response = client.post(
        _url(scene),
        form_post(scene.call, action="save", comment="Gardé.", **{f"score_{first.pk}": "9"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a score from 0 to 5." in page
    assert "Gardé." in page
    assert not Review.objects.exists()


def test_not_applicable_only_where_the_grid_allows_it(client, scene):
    client.force_login(scene.user)
    first = scene.criteria[0]
    response = client.post(
        _url(scene), form_post(scene.call, action="submit", **{f"score_{first.pk}": "na"})
    )
    assert response.status_code == 200
    assert "This criterion must be scored" in response.content.decode()
    assert not Review.objects.exists()


def test_a_juror_revises_a_submitted_review_while_the_phase_is_open(client, scene):
    client.force_login(scene.user)
    client.post(_url(scene), form_post(scene.call, action="submit"))
    first_submission = Review.objects.get().submitted_at
    third = scene.criteria[2]
    response = client.post(
        _url(scene),
        form_post(
            scene.call, action="submit", recommendation="maybe", **{f"score_{third.pk}": "2"}
        ),
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.recommendation == "maybe"
    assert review.scores.get(criterion=third).value == 2
    assert review.submitted_at >= first_submission
    # A submitted review stays complete: emptying a criterion is refused.
    response = client.post(
        _url(scene), form_post(scene.call, action="save", **{f"score_{third.pk}": ""})
    )
    assert response.status_code == 200
    assert "Score this criterion." in response.content.decode()
    assert Review.objects.get().scores.get(criterion=third).value == 2
    assert Review.objects.get().is_submitted


def test_after_the_phase_closes_the_review_is_read_only(client, scene):
    client.force_login(scene.user)
    client.post(_url(scene), form_post(scene.call, action="submit"))
    after = scene.phase.ends_at + timedelta(minutes=1)
    with time_machine.travel(after):
        page = client.get(_url(scene)).content.decode()
        assert "Reviewing is closed for this call" in page
        assert "Submit my review" not in page
        assert "Save the changes to my review" not in page
        assert "disabled" in page
        assert "Un beau projet." in page
        response = client.post(
            _url(scene), form_post(scene.call, action="submit", recommendation="no")
        )
        assert response.status_code == 200
        assert "Nothing was saved." in response.content.decode()
    assert Review.objects.get().recommendation == "yes"


def test_no_phase_yet_means_no_review(client, staff):
    scene = Scene(staff, phase=False)
    client.force_login(scene.user)
    page = client.get(_url(scene)).content.decode()
    assert "Reviewing is closed for this call" in page
    response = client.post(_url(scene), form_post(scene.call, action="save"))
    assert response.status_code == 200
    assert not Review.objects.exists()


def test_a_presidents_only_phase_leaves_members_read_only(client, staff):
    scene = Scene(staff, presidents_only=True, name="Lecture des présidents")
    client.force_login(scene.user)
    page = html.unescape(client.get(_url(scene)).content.decode())
    assert "During the phase “Lecture des présidents”, only the jury's presidents review." in page
    client.post(_url(scene), form_post(scene.call, action="submit"))
    assert not Review.objects.exists()
    president, assignment = scene.other_juror(role="president")
    client.force_login(president.user)
    response = client.post(_url(scene), form_post(scene.call, action="submit"))
    assert response.status_code == 302
    assert Review.objects.get().assignment == assignment


# --- the domain function, as every caller uses it -------------------------------------------


def test_save_review_validates_against_each_scale(scene):
    first, second, third = scene.criteria
    data = complete_data(scene.call)
    data["scores"][third.pk] = {"value": 11}
    with pytest.raises(Refused) as refused:
        save_review(scene.assignment, data, scene.user, submit=True)
    assert third.pk in refused.value.message_dict
    data["scores"][third.pk] = {"value": 0}
    data["scores"][second.pk] = {"value": 0}
    with pytest.raises(Refused) as refused:
        save_review(scene.assignment, data, scene.user)
    assert list(refused.value.message_dict) == [second.pk]
    data["scores"][second.pk] = {"value": 2, "not_applicable": True}
    with pytest.raises(Refused):
        save_review(scene.assignment, data, scene.user)
    assert not Review.objects.exists()
    data["scores"][second.pk] = {"value": 1}
    review = save_review(scene.assignment, data, scene.user, submit=True)
    assert sorted(review.scores.values_list("value", flat=True)) == [0, 1, 4]


def test_save_review_updates_rows_in_place(scene):
    save_review(scene.assignment, complete_data(scene.call), scene.user)
    save_review(scene.assignment, complete_data(scene.call, recommendation="no"), scene.user)
    assert Review.objects.count() == 1
    assert Score.objects.count() == 3
    assert Review.objects.get().recommendation == "no"


def test_save_review_is_one_transaction(scene):
    second = scene.criteria[1]
    data = complete_data(scene.call)
    # The last criterion is refused: nothing of the others is written either.
    data["scores"][scene.criteria[2].pk] = {"value": -1}
    with pytest.raises(Refused):
        save_review(scene.assignment, data, scene.user)
    assert not Score.objects.filter(criterion=second).exists()
    assert not Review.objects.exists()


def test_only_the_assigned_juror_writes_the_review(scene, staff):
    with pytest.raises(PermissionDenied):
        save_review(scene.assignment, complete_data(scene.call), staff)
    other, _assignment = scene.other_juror()
    with pytest.raises(PermissionDenied):
        save_review(scene.assignment, complete_data(scene.call), other.user)
    assert not Review.objects.exists()


def test_a_decided_dossier_can_no_longer_be_reviewed(scene, staff):
    from applications.domain.dossiers import change_state

    save_review(scene.assignment, complete_data(scene.call), scene.user, submit=True)
    change_state(scene.dossier, "reject", staff, comment="Hors du périmètre de l'appel.")
    scene.assignment.dossier.refresh_from_db()
    with pytest.raises(Refused):
        save_review(scene.assignment, complete_data(scene.call, recommendation="no"), scene.user)
    assert Review.objects.get().recommendation == "yes"
