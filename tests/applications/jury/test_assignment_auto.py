"""The automatic assignment: N jurors per dossier, an even load under a cap, never across a
conflict (declared or suggested) nor, when asked, within a département; reruns fill the gaps."""

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied

from applications.domain.assignment import assign
from applications.domain.auto_assignment import auto_assign
from applications.models import Assignment, DossierState
from tests import factories
from tests.applications.jury.test_assignment_support import (
    declare,
    eligible_dossier,
    eligible_dossiers,
    make_juror,
    make_jurors,
)
from tests.applications.staff_support import submitted_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return factories.make_call()


def jurors_per_dossier(call):
    return Counter(
        Assignment.objects.filter(dossier__call=call).values_list("dossier_id", flat=True)
    )


def load_per_juror(call, jurors):
    counts = Counter(Assignment.objects.filter(juror__call=call).values_list("juror_id", flat=True))
    return [counts[j.pk] for j in jurors]


def test_every_dossier_gets_the_calls_number_of_jurors(call, staff):
    dossiers = eligible_dossiers(call, staff, 6)
    make_jurors(call, 4)

    report = auto_assign(call, staff)

    assert report.per_dossier == 3
    assert report.created == 18
    assert all(jurors_per_dossier(call)[d.pk] == 3 for d in dossiers)
    assert Assignment.objects.filter(automatic=True, assigned_by=staff).count() == 18
    assert set(call.dossiers.values_list("state", flat=True)) == {DossierState.UNDER_REVIEW}
    assert report.complete
    assert report.messages() == ["18 assignments created. Every dossier now has 3 jurors."]


def test_the_number_can_be_chosen_per_run(call, staff):
    dossiers = eligible_dossiers(call, staff, 3)
    make_jurors(call, 4)

    auto_assign(call, staff, per_dossier=2)

    assert [jurors_per_dossier(call)[d.pk] for d in dossiers] == [2, 2, 2]


def test_the_load_is_even_when_nothing_constrains_it(call, staff):
    eligible_dossiers(call, staff, 10)
    jurors = make_jurors(call, 4)

    auto_assign(call, staff)

    loads = load_per_juror(call, jurors)
    assert sum(loads) == 30
    assert max(loads) - min(loads) <= 1


def test_existing_load_counts_when_spreading(call, staff):
    earlier = eligible_dossiers(call, staff, 4)
    busy, *others = make_jurors(call, 4)
    for dossier in earlier:
        assign(busy, dossier, staff)
    eligible_dossiers(call, staff, 2)

    auto_assign(call, staff, per_dossier=1)

    # The 4 earlier dossiers already have their juror: the 2 new ones go to idle jurors.
    assert load_per_juror(call, [busy]) == [4]
    assert sorted(load_per_juror(call, others)) == [0, 1, 1]


def test_the_cap_is_respected_and_explained(call, staff):
    dossiers = eligible_dossiers(call, staff, 10)
    jurors = make_jurors(call, 4)

    report = auto_assign(call, staff, cap=5)

    assert load_per_juror(call, jurors) == [5, 5, 5, 5]
    assert report.created == 20
    per_dossier = jurors_per_dossier(call)
    assert all(per_dossier[d.pk] <= 3 for d in dossiers)
    short = sum(1 for d in dossiers if per_dossier[d.pk] < 3)
    assert len(report.short) == short > 0
    problems = report.problems()
    assert "The cap of 5 dossiers per juror was reached for 4 jurors." in problems
    assert any("the jurors without conflict have reached their cap" in line for line in problems)


def test_the_calls_cap_applies_and_a_jurors_own_maximum_comes_first(staff):
    call = factories.make_call(max_dossiers_per_juror=2)
    eligible_dossiers(call, staff, 6)
    generous = make_juror(call, max_dossiers=6)
    others = make_jurors(call, 3)

    report = auto_assign(call, staff)

    assert load_per_juror(call, others) == [2, 2, 2]
    assert load_per_juror(call, [generous]) == [6]
    assert "The cap of 2 dossiers per juror was reached for 3 jurors." in report.problems()
    assert "1 juror reached their own maximum of dossiers." in report.problems()


def test_declared_and_suggested_conflicts_are_avoided(call, staff):
    dossier = eligible_dossier(call, staff)
    declared, suggested, free_1, free_2 = make_jurors(call, 4)
    declare(declared, dossier, "financial")
    factories.MembershipFactory(structure=dossier.structure, user=suggested.user, role="viewer")

    report = auto_assign(call, staff)

    assigned = set(Assignment.objects.values_list("juror_id", flat=True))
    assert assigned == {free_1.pk, free_2.pk}
    assert report.problems() == ["1 dossier has 2 jurors: not enough jurors without conflict."]


def test_a_dismissed_suggestion_no_longer_blocks(call, staff):
    dossier = eligible_dossier(call, staff)
    juror = make_juror(call)
    factories.MembershipFactory(structure=dossier.structure, user=juror.user, role="viewer")
    # Staff looked at the suggestion and recorded "no conflict" on the juror's behalf.
    declaration = declare(juror, dossier, "none")
    declaration.declared_by = staff
    declaration.save()

    auto_assign(call, staff, per_dossier=1)

    assert Assignment.objects.filter(juror=juror, dossier=dossier).exists()


def test_jurors_never_get_dossiers_of_their_own_department_when_the_call_asks(staff):
    call = factories.make_call(exclude_same_department=True)
    loiret, cher = factories.department("45", "Loiret"), factories.department("18", "Cher")
    dossiers = eligible_dossiers(call, staff, 4, department=loiret)
    from_loiret = make_jurors(call, 2, department=loiret)
    from_cher = make_jurors(call, 2, department=cher)

    report = auto_assign(call, staff)

    assert load_per_juror(call, from_loiret) == [0, 0]
    assert load_per_juror(call, from_cher) == [4, 4]
    assert all(jurors_per_dossier(call)[d.pk] == 2 for d in dossiers)
    assert report.problems() == [
        "4 dossiers have 2 jurors: not enough jurors without conflict and from another département."
    ]


def test_the_department_rule_is_off_unless_the_call_asks(call, staff):
    loiret = factories.department("45", "Loiret")
    dossier = eligible_dossier(call, staff, structure=factories.StructureFactory(department=loiret))
    make_jurors(call, 3, department=loiret)

    auto_assign(call, staff)

    assert jurors_per_dossier(call)[dossier.pk] == 3


def test_dossiers_with_the_fewest_possible_jurors_are_served_first(call, staff):
    flexible = eligible_dossier(call, staff)
    constrained = eligible_dossier(call, staff)
    first, second = make_jurors(call, 2, max_dossiers=1)
    declare(second, constrained, "partner")

    report = auto_assign(call, staff, per_dossier=1)

    # Taken in order, `flexible` would take `first` and leave `constrained` with nobody.
    assert Assignment.objects.filter(juror=first, dossier=constrained).exists()
    assert Assignment.objects.filter(juror=second, dossier=flexible).exists()
    assert report.complete


def test_running_again_only_fills_what_is_missing(call, staff):
    dossiers = eligible_dossiers(call, staff, 5)
    jurors = make_jurors(call, 4)
    auto_assign(call, staff, per_dossier=2)
    first_run = set(Assignment.objects.values_list("pk", "juror_id", "dossier_id"))

    again = auto_assign(call, staff, per_dossier=2)
    assert again.created == 0
    assert again.messages() == ["0 assignments created. Every dossier now has 2 jurors."]

    more = auto_assign(call, staff, per_dossier=3)
    assert more.created == 5
    assert first_run <= set(Assignment.objects.values_list("pk", "juror_id", "dossier_id"))
    assert all(jurors_per_dossier(call)[d.pk] == 3 for d in dossiers)
    loads = load_per_juror(call, jurors)
    assert max(loads) - min(loads) <= 1


def test_manual_assignments_count_as_existing(call, staff):
    dossier = eligible_dossier(call, staff)
    chosen = make_juror(call)
    make_jurors(call, 3)
    assign(chosen, dossier, staff)

    report = auto_assign(call, staff)

    assert report.created == 2
    assert jurors_per_dossier(call)[dossier.pk] == 3
    assert Assignment.objects.get(juror=chosen).automatic is False


def test_only_accepted_jurors_and_assignable_dossiers_are_used(call, staff):
    dossier = eligible_dossier(call, staff)
    waiting = submitted_dossier(call)
    invited = make_juror(call, accepted=False)
    make_jurors(call, 3)

    auto_assign(call, staff)

    assert not Assignment.objects.filter(juror=invited).exists()
    assert not Assignment.objects.filter(dossier=waiting).exists()
    assert jurors_per_dossier(call)[dossier.pk] == 3
    waiting.refresh_from_db()
    assert waiting.state == DossierState.SUBMITTED


def test_dossiers_without_any_possible_juror_are_reported(call, staff):
    dossiers = eligible_dossiers(call, staff, 3)
    juror = make_juror(call)
    for dossier in dossiers:
        declare(juror, dossier, "other")

    report = auto_assign(call, staff)

    assert report.created == 0
    assert report.problems() == ["3 dossiers have no juror: not enough jurors without conflict."]
    # Nothing assigned: the dossiers wait for jurors in their eligible state.
    assert set(call.dossiers.values_list("state", flat=True)) == {DossierState.ELIGIBLE}


def test_a_report_says_when_there_is_nothing_to_do(call, staff):
    eligible_dossier(call, staff)
    no_jurors = auto_assign(call, staff)
    assert no_jurors.messages() == [
        "No juror has accepted the invitation yet: nothing could be assigned."
    ]

    other = factories.make_call()
    make_juror(other)
    no_dossiers = auto_assign(other, staff)
    assert no_dossiers.messages() == [
        "No eligible dossier or dossier under review: nothing to assign."
    ]


def test_only_staff_run_it(call, staff):
    eligible_dossier(call, staff)
    juror = make_juror(call)

    with pytest.raises(PermissionDenied):
        auto_assign(call, juror.user)
    assert not Assignment.objects.exists()
