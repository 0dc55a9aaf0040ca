"""Assigning by hand (domain): from either side, with the refusals staff must understand."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accelerator.domain.refusals import Refused
from applications.domain.assignment import assign, unassign
from applications.models import Assignment, DossierState, DossierTransition, Review
from tests import factories
from tests.applications.jury.test_assignment_support import (
    declare,
    eligible_dossier,
    make_juror,
)
from tests.applications.staff_support import submitted_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return factories.make_call()


def test_assigning_an_eligible_dossier_starts_its_review(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)

    assignment = assign(juror, dossier, staff)

    assert assignment.juror == juror and assignment.dossier == dossier
    assert assignment.assigned_by == staff and assignment.automatic is False
    dossier.refresh_from_db()
    assert dossier.state == DossierState.UNDER_REVIEW
    log = DossierTransition.objects.get(dossier=dossier, name="start_review")
    assert log.actor == staff and log.source == DossierState.ELIGIBLE


def test_a_second_juror_on_a_dossier_under_review_logs_no_new_transition(call, staff):
    dossier = eligible_dossier(call, staff)
    assign(make_juror(call), dossier, staff)
    dossier.refresh_from_db()

    assign(make_juror(call), dossier, staff)

    assert Assignment.objects.filter(dossier=dossier).count() == 2
    assert DossierTransition.objects.filter(dossier=dossier, name="start_review").count() == 1


def test_a_declared_conflict_is_never_overridden(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    declare(juror, dossier, "personal")

    with pytest.raises(Refused) as refused:
        assign(juror, dossier, staff)

    assert "declared conflict of interest" in " ".join(refused.value.messages)
    assert dossier.reference in " ".join(refused.value.messages)
    assert not Assignment.objects.exists()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ELIGIBLE


def test_a_no_conflict_declaration_does_not_block(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    declare(juror, dossier, "none")

    assign(juror, dossier, staff)

    assert Assignment.objects.filter(juror=juror, dossier=dossier).exists()


def test_a_juror_who_has_not_accepted_is_refused(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call, accepted=False)

    with pytest.raises(Refused) as refused:
        assign(juror, dossier, staff)

    assert "has not accepted the invitation" in " ".join(refused.value.messages)


def test_a_dossier_of_another_call_is_refused(call, staff):
    other = eligible_dossier(factories.make_call(), staff)
    juror = make_juror(call)

    with pytest.raises(Refused) as refused:
        assign(juror, other, staff)

    assert "belongs to another call" in " ".join(refused.value.messages)


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_a_dossier_not_yet_eligible_is_refused(call, staff, state):
    dossier = submitted_dossier(call) if state == "submitted" else factories.make_dossier(call=call)
    juror = make_juror(call)

    with pytest.raises(Refused) as refused:
        assign(juror, dossier, staff)

    assert "only eligible dossiers and dossiers under review take jurors" in " ".join(
        refused.value.messages
    )
    assert not Assignment.objects.exists()


def test_the_same_pair_twice_is_refused(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    assign(juror, dossier, staff)
    dossier.refresh_from_db()

    with pytest.raises(Refused) as refused:
        assign(juror, dossier, staff)

    assert "already has the dossier" in " ".join(refused.value.messages)
    assert Assignment.objects.count() == 1


def test_by_hand_staff_may_go_against_the_department_rule(staff):
    loiret = factories.department("45", "Loiret")
    call = factories.make_call(exclude_same_department=True)
    dossier = eligible_dossier(call, staff, structure=factories.StructureFactory(department=loiret))
    juror = make_juror(call, department=loiret)

    assign(juror, dossier, staff)

    assert Assignment.objects.filter(juror=juror, dossier=dossier).exists()


def test_by_hand_staff_may_go_against_a_suggested_conflict(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    factories.MembershipFactory(structure=dossier.structure, user=juror.user, role="viewer")

    assign(juror, dossier, staff)

    assert Assignment.objects.filter(juror=juror, dossier=dossier).exists()


@pytest.mark.parametrize("who", ["juror", "applicant"])
def test_only_staff_assign(call, staff, who):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    actor = juror.user if who == "juror" else dossier.structure.memberships.first().user

    with pytest.raises(PermissionDenied):
        assign(juror, dossier, actor)
    assert not Assignment.objects.exists()


def test_unassign_removes_the_assignment(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    assign(juror, dossier, staff)

    draft_deleted = unassign(juror, dossier, staff)

    assert draft_deleted is False
    assert not Assignment.objects.exists()


def test_unassign_takes_a_draft_review_with_it(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    assignment = assign(juror, dossier, staff)
    Review.objects.create(assignment=assignment, comment="Half written.")

    assert unassign(juror, dossier, staff) is True
    assert not Review.objects.exists()


def test_unassign_is_refused_once_the_review_is_submitted(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    assignment = assign(juror, dossier, staff)
    Review.objects.create(assignment=assignment, recommendation="yes", submitted_at=timezone.now())

    with pytest.raises(Refused) as refused:
        unassign(juror, dossier, staff)

    assert "already submitted a review" in " ".join(refused.value.messages)
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_unassign_of_a_pair_that_does_not_exist_is_refused(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)

    with pytest.raises(Refused) as refused:
        unassign(juror, dossier, staff)

    assert "does not have the dossier" in " ".join(refused.value.messages)


def test_only_staff_unassign(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    assign(juror, dossier, staff)

    with pytest.raises(PermissionDenied):
        unassign(juror, dossier, juror.user)
    assert Assignment.objects.exists()
