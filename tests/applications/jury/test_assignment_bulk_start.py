"""Starting the review of many dossiers at once (`change_states`, used by the automatic
assignment): the same permission, conditions and log as one transition, in a few queries."""

import pytest
from django.core.exceptions import PermissionDenied

from applications.domain.auto_assignment import auto_assign
from applications.domain.dossiers import change_state, change_states
from applications.models import Dossier, DossierState, DossierTransition
from tests import factories
from tests.applications.jury.test_assignment_support import eligible_dossiers, make_jurors
from tests.applications.staff_support import count_queries, submitted_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return factories.make_call()


def test_each_dossier_is_moved_and_logged(call, staff):
    dossiers = eligible_dossiers(call, staff, 3)

    changed, refused = change_states(dossiers, "start_review", staff)

    assert refused == {}
    assert sorted(d.pk for d in changed) == sorted(d.pk for d in dossiers)
    assert set(Dossier.objects.filter(call=call).values_list("state", flat=True)) == {
        DossierState.UNDER_REVIEW
    }
    logs = DossierTransition.objects.filter(name="start_review")
    assert sorted(log.dossier_id for log in logs) == sorted(d.pk for d in dossiers)
    assert {(log.actor_id, log.source, log.target) for log in logs} == {
        (staff.pk, DossierState.ELIGIBLE, DossierState.UNDER_REVIEW)
    }


def test_a_dossier_in_another_state_is_refused_without_stopping_the_others(call, staff):
    moved, already = eligible_dossiers(call, staff, 2)
    change_state(already, "start_review", staff)
    waiting = submitted_dossier(call)

    changed, refused = change_states([moved, already, waiting], "start_review", staff)

    assert [d.pk for d in changed] == [moved.pk]
    assert set(refused) == {already.pk, waiting.pk}
    assert "cannot be changed this way now" in str(refused[waiting.pk][0])
    assert Dossier.objects.get(pk=waiting.pk).state == DossierState.SUBMITTED
    assert DossierTransition.objects.filter(dossier=already, name="start_review").count() == 1


def test_only_staff_and_only_state_only_transitions(call, staff):
    dossiers = eligible_dossiers(call, staff, 1)
    applicant = dossiers[0].structure.memberships.first().user

    with pytest.raises(PermissionDenied):
        change_states(dossiers, "start_review", applicant)
    with pytest.raises(ValueError):
        change_states(dossiers, "submit", staff)
    assert Dossier.objects.get(pk=dossiers[0].pk).state == DossierState.ELIGIBLE


def test_the_automatic_assignment_runs_as_many_queries_for_2_and_12_dossiers(staff):
    small, large = factories.make_call(), factories.make_call()
    eligible_dossiers(small, staff, 2)
    eligible_dossiers(large, staff, 12)
    make_jurors(small, 4)
    make_jurors(large, 4)

    report_small, queries_small = count_queries(lambda: auto_assign(small, staff))
    report_large, queries_large = count_queries(lambda: auto_assign(large, staff))

    assert (report_small.created, report_large.created) == (6, 36)
    assert queries_small == queries_large
