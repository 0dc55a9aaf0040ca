"""What a juror sees of the other jurors' reviews: the phase's rule (never, after their own,
always), submitted reviews only, never a private note, never a conflicted juror's review."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from applications.domain.peer_reviews import peer_reviews_visible_to
from applications.domain.reviews import save_review
from applications.models import ConflictDeclaration
from tests.applications.jury.test_reviews_support import (
    Scene,
    assign,
    complete_data,
    dossier_in_review,
    make_juror,
)


def _peer_review(scene, comment, note, submit=True, **fields):
    """Another juror of the scene's dossier, with a review written through the domain."""
    juror, assignment = scene.other_juror(**fields)
    data = complete_data(scene.call, recommendation="no", comment=comment, private_note=note)
    save_review(assignment, data, juror.user, submit=submit)
    return juror


def _conflicted_peer(scene):
    """A juror who reviewed, then had a conflict recorded on the dossier by the staff."""
    juror = _peer_review(scene, "Avis d'un juré en conflit.", "Note en conflit.")
    ConflictDeclaration.objects.filter(juror=juror, dossier=scene.dossier).update(kind="member")
    return juror


def _submit_own(scene):
    save_review(scene.assignment, complete_data(scene.call), scene.user, submit=True)


def _page(client, scene):
    client.force_login(scene.user)
    url = reverse("applications:review", kwargs={"dossier_id": scene.dossier.pk})
    return client.get(url).content.decode()


def test_never_shows_nothing_even_after_submitting(client, staff):
    scene = Scene(staff, peer_scores="never")
    _peer_review(scene, "Avis du juré B.", "NOTE-PRIVEE-B")
    _submit_own(scene)
    assert peer_reviews_visible_to(scene.juror, scene.dossier) == []
    page = _page(client, scene)
    assert "Other jurors&#x27; reviews" not in page
    assert "Avis du juré B." not in page


def test_after_own_shows_peers_once_the_juror_submitted(client, staff):
    scene = Scene(staff, peer_scores="after_own")
    _peer_review(scene, "Avis du juré B.", "NOTE-PRIVEE-B")
    assert peer_reviews_visible_to(scene.juror, scene.dossier) == []
    # A draft is not enough.
    save_review(scene.assignment, complete_data(scene.call), scene.user)
    assert peer_reviews_visible_to(scene.juror, scene.dossier) == []
    assert "Avis du juré B." not in _page(client, scene)
    _submit_own(scene)
    peers = peer_reviews_visible_to(scene.juror, scene.dossier)
    assert [peer.comment for peer in peers] == ["Avis du juré B."]
    assert [score.value for score in peers[0].scores] == [4, None, 7]
    assert peers[0].scores[1].not_applicable
    page = _page(client, scene)
    assert "Avis du juré B." in page
    assert "Juror A" in page
    assert "NOTE-PRIVEE-B" not in page


def test_always_shows_peers_before_the_juror_wrote_anything(client, staff):
    scene = Scene(staff, peer_scores="always")
    _peer_review(scene, "Avis du juré B.", "NOTE-PRIVEE-B")
    peers = peer_reviews_visible_to(scene.juror, scene.dossier)
    assert [peer.recommendation for peer in peers] == ["no"]
    assert not hasattr(peers[0], "private_note")
    page = _page(client, scene)
    assert "Avis du juré B." in page
    assert "NOTE-PRIVEE-B" not in page


def test_drafts_and_conflicted_jurors_are_never_shown(client, staff):
    scene = Scene(staff, peer_scores="always")
    _peer_review(scene, "Brouillon du juré B.", "NOTE-B", submit=False)
    _conflicted_peer(scene)
    _peer_review(scene, "Avis du juré D.", "NOTE-D")
    peers = peer_reviews_visible_to(scene.juror, scene.dossier)
    assert [peer.comment for peer in peers] == ["Avis du juré D."]
    page = _page(client, scene)
    assert "Avis du juré D." in page
    assert "Brouillon du juré B." not in page
    assert "Avis d&#x27;un juré en conflit." not in page
    assert "NOTE-D" not in page


def test_only_the_same_dossier_is_shown(staff):
    scene = Scene(staff, peer_scores="always")
    # Another juror of the call reviewed another dossier: nothing of it shows here.
    elsewhere = dossier_in_review(scene.call, staff)
    other = make_juror(scene.call)
    save_review(
        assign(other, elsewhere),
        complete_data(scene.call, comment="Sur un autre dossier."),
        other.user,
        submit=True,
    )
    assert peer_reviews_visible_to(scene.juror, scene.dossier) == []


@pytest.mark.parametrize("mode", ["always", "after_own"])
def test_no_active_phase_shows_nothing(staff, mode):
    scene = Scene(staff, peer_scores=mode)
    _peer_review(scene, "Avis du juré B.", "NOTE-B")
    _submit_own(scene)
    assert len(peer_reviews_visible_to(scene.juror, scene.dossier)) == 1
    with time_machine.travel(scene.phase.ends_at + timedelta(seconds=1)):
        assert peer_reviews_visible_to(scene.juror, scene.dossier) == []


def test_a_juror_with_a_conflict_sees_no_peer(staff):
    scene = Scene(staff, peer_scores="always")
    _peer_review(scene, "Avis du juré B.", "NOTE-B")
    ConflictDeclaration.objects.filter(juror=scene.juror).update(kind="personal")
    assert peer_reviews_visible_to(scene.juror, scene.dossier) == []
