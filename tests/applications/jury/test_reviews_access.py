"""Who reaches the reviews' URLs: anonymous people, applicants, jurors in every situation, staff.

A juror who may not review a dossier (not assigned, or a declared conflict) gets a 404 like
anyone else, so the URL tells nothing; an assigned juror who has not declared is sent to the
declaration; staff read reviews on their own page and never write one."""

import pytest
from django.urls import reverse

from applications.domain.dossiers import change_state
from applications.models import Review, ReviewPhase
from tests import factories
from tests.applications.jury.test_reviews_support import (
    Scene,
    assign,
    dossier_in_review,
    form_post,
    make_juror,
    reviewed_call,
)


@pytest.fixture
def scene(staff):
    return Scene(staff)


def _review_url(scene):
    return reverse("applications:review", kwargs={"dossier_id": scene.dossier.pk})


def _staff_pages(scene):
    call = scene.call
    return [
        reverse("applications:staff_review_phases", kwargs={"call_id": call.pk}),
        reverse(
            "applications:staff_review_phase",
            kwargs={"call_id": call.pk, "phase_id": scene.phase.pk},
        ),
        reverse(
            "applications:staff_review_phase_delete",
            kwargs={"call_id": call.pk, "phase_id": scene.phase.pk},
        ),
        reverse("applications:staff_review_progress", kwargs={"call_id": call.pk}),
        reverse("applications:staff_dossier_reviews", kwargs={"dossier_id": scene.dossier.pk}),
    ]


def _applicant(scene):
    """An editor of the structure whose dossier is reviewed."""
    return factories.MembershipFactory(structure=scene.dossier.structure, role="owner").user


def _unassigned_juror(scene):
    return make_juror(scene.call).user


def _conflicted_juror(scene):
    juror = make_juror(scene.call)
    assign(juror, scene.dossier, declared="partner")
    return juror.user


def _undeclared_juror(scene):
    juror = make_juror(scene.call)
    assign(juror, scene.dossier, declared=None)
    return juror.user


def _juror_of_another_call(scene):
    """A juror reviewing a dossier of another call."""
    other_call = reviewed_call()
    juror = make_juror(other_call)
    assign(juror, dossier_in_review(other_call, scene.staff))
    return juror.user


NOT_FOUND = {
    "outsider": lambda scene: factories.MembershipFactory().user,
    "applicant": _applicant,
    "juror not assigned": _unassigned_juror,
    "juror with a conflict": _conflicted_juror,
    "juror of another call": _juror_of_another_call,
}


def test_anonymous_is_sent_to_log_in_everywhere(client, scene):
    for url in [_review_url(scene), *_staff_pages(scene)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
        response = client.post(url, form_post(scene.call, action="submit"))
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    assert not Review.objects.exists()
    assert ReviewPhase.objects.filter(pk=scene.phase.pk).exists()


@pytest.mark.parametrize("who", NOT_FOUND)
def test_who_may_not_review_gets_404(client, scene, who):
    client.force_login(NOT_FOUND[who](scene))
    assert client.get(_review_url(scene)).status_code == 404
    assert (
        client.post(_review_url(scene), form_post(scene.call, action="submit")).status_code == 404
    )
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", NOT_FOUND)
def test_who_is_not_staff_is_refused_every_staff_page(client, scene, who):
    client.force_login(NOT_FOUND[who](scene))
    for url in _staff_pages(scene):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Pirate", "new-name": "Pirate"}).status_code == 403, url
    assert ReviewPhase.objects.get(pk=scene.phase.pk).name == scene.phase.name


def test_the_assigned_juror_is_refused_the_staff_pages(client, scene):
    client.force_login(scene.user)
    for url in _staff_pages(scene):
        assert client.get(url).status_code == 403, url


def test_a_juror_who_has_not_declared_is_sent_to_the_declaration(client, scene):
    client.force_login(_undeclared_juror(scene))
    declare_url = reverse("applications:juror_declare", kwargs={"dossier_id": scene.dossier.pk})
    response = client.get(_review_url(scene))
    assert response.status_code == 302
    assert response.url == declare_url
    response = client.post(_review_url(scene), form_post(scene.call, action="submit"))
    assert response.status_code == 302
    assert response.url == declare_url
    assert not Review.objects.exists()


def test_the_assigned_juror_reviews(client, scene):
    client.force_login(scene.user)
    assert client.get(_review_url(scene)).status_code == 200
    response = client.post(_review_url(scene), form_post(scene.call, action="submit"))
    assert response.status_code == 302
    assert Review.objects.get().assignment == scene.assignment


def test_a_withdrawn_dossier_is_no_longer_reviewed(client, scene):
    owner = factories.MembershipFactory(structure=scene.dossier.structure, role="owner").user
    change_state(scene.dossier, "withdraw", owner)
    client.force_login(scene.user)
    assert client.get(_review_url(scene)).status_code == 404


def test_staff_read_reviews_but_never_write_them(client, scene, staff):
    client.force_login(scene.user)
    client.post(_review_url(scene), form_post(scene.call, action="submit"))
    client.force_login(staff)
    response = client.get(_review_url(scene))
    reviews_url = reverse(
        "applications:staff_dossier_reviews", kwargs={"dossier_id": scene.dossier.pk}
    )
    assert response.status_code == 302
    assert response.url == reviews_url
    response = client.post(
        _review_url(scene), form_post(scene.call, action="submit", recommendation="no")
    )
    assert response.status_code == 403
    assert Review.objects.get().recommendation == "yes"
    page = client.get(reviews_url).content.decode()
    # Staff see the juror, the scores and the private note.
    assert scene.user.display_name in page
    assert "Je connais un peu le secteur." in page
    assert "Un beau projet." in page


def test_staff_reach_every_staff_page(client, scene, staff):
    client.force_login(staff)
    for url in _staff_pages(scene):
        assert client.get(url).status_code == 200, url
