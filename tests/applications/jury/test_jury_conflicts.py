"""Declaring conflicts: before any content, once, typed ("other" with words); a conflict hides the
dossier for good; staff record and correct declarations on a juror's behalf."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accelerator.domain.refusals import Refused
from applications.domain import conflicts as domain
from applications.domain.juror_access import can_read_dossier, visible_dossiers_for
from applications.models import ConflictDeclaration
from tests import factories
from tests.applications.jury.helpers import assign, blind_phase, jury_dossier, make_juror


@pytest.fixture
def call(db):
    return factories.make_call()


@pytest.fixture
def dossier(call, staff):
    structure = factories.StructureFactory(name="Atelier Soleil")
    return jury_dossier(
        call,
        staff,
        structure=structure,
        answers={"f-name": "Jardin partagé", "f-desc": "Une description très particulière."},
    )


@pytest.fixture
def juror(call, dossier):
    juror = make_juror(call)
    assign(juror, dossier)
    return juror


def _declare_url(dossier):
    return reverse("applications:juror_declare", args=[dossier.pk])


def test_the_juror_must_declare_before_seeing_the_content(client, dossier, juror):
    client.force_login(juror.user)
    response = client.get(reverse("applications:juror_dossier", args=[dossier.pk]))
    assert response.status_code == 302 and response.url == _declare_url(dossier)
    page = client.get(_declare_url(dossier)).content.decode()
    assert "Une description très particulière." not in page
    assert "Jardin partagé" not in page
    # Not blind: the structure's name and reference, so the juror can recognise a tie.
    assert "Atelier Soleil" in page and dossier.reference in page
    assert not can_read_dossier(juror.user, dossier)


def test_in_blind_review_the_declaration_shows_only_the_neutral_code(client, call, dossier, juror):
    from applications.domain.blind import neutral_code

    blind_phase(call)
    client.force_login(juror.user)
    page = client.get(_declare_url(dossier)).content.decode()
    assert neutral_code(dossier) in page
    assert "Atelier Soleil" not in page and dossier.reference not in page


def test_no_conflict_opens_the_dossier(client, dossier, juror):
    client.force_login(juror.user)
    response = client.post(_declare_url(dossier), {"kind": "none", "details": ""})
    assert response.url == reverse("applications:juror_dossier", args=[dossier.pk])
    declaration = ConflictDeclaration.objects.get(juror=juror, dossier=dossier)
    assert (declaration.kind, declaration.declared_by) == ("none", juror.user)
    page = client.get(response.url).content.decode()
    assert "Une description très particulière." in page
    assert list(visible_dossiers_for(juror.user)) == [dossier]


def test_a_conflict_hides_the_dossier_for_good(client, call, dossier, juror):
    client.force_login(juror.user)
    response = client.post(_declare_url(dossier), {"kind": "partner", "details": ""})
    assert response.url == reverse("applications:juror_call", args=[call.pk])
    for url in (
        reverse("applications:juror_dossier", args=[dossier.pk]),
        _declare_url(dossier),
        reverse("applications:juror_file", args=[dossier.pk, 1]),
    ):
        assert client.get(url).status_code == 404, url
    assert list(visible_dossiers_for(juror.user)) == []
    page = client.get(reverse("applications:juror_call", args=[call.pk])).content.decode()
    assert "Conflicts you declared" in page
    assert (juror.pk, dossier.pk) in domain.blocked_pairs(call)


def test_other_needs_a_free_text(client, dossier, juror):
    client.force_login(juror.user)
    response = client.post(_declare_url(dossier), {"kind": "other", "details": "  "})
    assert response.status_code == 400
    assert "Please say in a few words what the conflict is." in response.content.decode()
    assert not ConflictDeclaration.objects.exists()
    with pytest.raises(Refused, match="Please say in a few words what the conflict is."):
        domain.declare_conflict(juror, dossier, "other", "", juror.user)
    client.post(_declare_url(dossier), {"kind": "other", "details": "Ancien collègue"})
    assert ConflictDeclaration.objects.get().details == "Ancien collègue"


def test_a_declaration_is_final_for_the_juror(client, dossier, juror):
    domain.declare_conflict(juror, dossier, "none", "", juror.user)
    with pytest.raises(Refused, match="You already answered for this dossier."):
        domain.declare_conflict(juror, dossier, "financial", "", juror.user)
    client.force_login(juror.user)
    # The form is gone: the juror is sent to the dossier, and a POST changes nothing.
    response = client.post(_declare_url(dossier), {"kind": "financial"})
    assert response.url == reverse("applications:juror_dossier", args=[dossier.pk])
    assert ConflictDeclaration.objects.get().kind == "none"


def test_a_juror_declares_only_on_their_own_assigned_dossiers(call, dossier, juror, staff):
    other_dossier = jury_dossier(call, staff)
    with pytest.raises(PermissionDenied):
        domain.declare_conflict(juror, other_dossier, "none", "", juror.user)
    someone = make_juror(call)
    with pytest.raises(PermissionDenied):
        domain.declare_conflict(juror, dossier, "none", "", someone.user)
    assert not ConflictDeclaration.objects.exists()


def test_staff_record_and_correct_a_declaration_on_the_jurors_behalf(
    client, call, dossier, juror, staff
):
    domain.declare_conflict(juror, dossier, "none", "", juror.user)
    client.force_login(staff)
    response = client.post(
        reverse("applications:staff_record_conflict", args=[call.pk]),
        {
            "record-juror": juror.pk,
            "record-dossier": dossier.pk,
            "record-kind": "personal",
            "record-details": "Sœur de la présidente",
        },
    )
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get(juror=juror, dossier=dossier)
    assert (declaration.kind, declaration.details, declaration.declared_by) == (
        "personal",
        "Sœur de la présidente",
        staff,
    )
    assert not can_read_dossier(juror.user, dossier)
    page = client.get(reverse("applications:staff_jury", args=[call.pk])).content.decode()
    assert "Sœur de la présidente" in page and "Personal or family tie" in page
    # And back, when the conflict was a mistake.
    domain.record_conflict(juror, dossier, "none", "", staff)
    assert can_read_dossier(juror.user, dossier)


def test_staff_record_a_conflict_before_any_assignment(call, dossier, staff):
    juror = make_juror(call)
    domain.record_conflict(juror, dossier, "member", "", staff)
    assert (juror.pk, dossier.pk) in domain.blocked_pairs(call)


def test_recording_refuses_other_without_text_and_a_dossier_of_another_call(
    client, call, dossier, juror, staff
):
    with pytest.raises(Refused, match="Please say in a few words what the conflict is."):
        domain.record_conflict(juror, dossier, "other", " ", staff)
    elsewhere = jury_dossier(factories.make_call(), staff)
    with pytest.raises(Refused, match="This dossier is not part of the juror's call."):
        domain.record_conflict(juror, elsewhere, "none", "", staff)
    with pytest.raises(PermissionDenied):
        domain.record_conflict(juror, dossier, "none", "", juror.user)
    client.force_login(staff)
    response = client.post(
        reverse("applications:staff_record_conflict", args=[call.pk]),
        {"record-juror": juror.pk, "record-dossier": elsewhere.pk, "record-kind": "member"},
    )
    assert response.status_code == 400
    assert not ConflictDeclaration.objects.exists()


def test_the_call_page_shows_the_next_step_per_dossier(client, call, dossier, juror, staff):
    second, third = jury_dossier(call, staff), jury_dossier(call, staff)
    assign(juror, second, declared="none")
    assign(juror, third, declared="other")
    client.force_login(juror.user)
    response = client.get(reverse("applications:juror_call", args=[call.pk]))
    steps = {a.dossier_id: a.step for a in response.context["assignments"]}
    assert steps == {dossier.pk: "declare", second.pk: "review", third.pk: "conflict"}
    page = response.content.decode()
    assert _declare_url(dossier) in page
    assert reverse("applications:juror_dossier", args=[second.pk]) in page
    assert reverse("applications:juror_dossier", args=[third.pk]) not in page


def test_the_juror_home_counts_what_is_left_to_do(client, call, dossier, juror, staff):
    assign(juror, jury_dossier(call, staff), declared="none")
    assign(juror, jury_dossier(call, staff), declared="member")
    make_juror(factories.make_call(), user=juror.user)
    client.force_login(juror.user)
    response = client.get(reverse("applications:juror_home"))
    seats = {s.call_id: s for s in response.context["seats"]}
    assert len(seats) == 2
    seat = seats[call.pk]
    assert (seat.assigned_count, seat.to_declare_count, seat.conflict_count) == (3, 1, 1)
    assert (seat.draft_count, seat.submitted_count) == (0, 0)
    assert "1 conflict question to answer" in response.content.decode()


def test_an_empty_answer_is_asked_again(client, dossier, juror):
    client.force_login(juror.user)
    response = client.post(_declare_url(dossier), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ConflictDeclaration.objects.exists()
