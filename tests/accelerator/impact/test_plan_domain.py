"""The impact plan through the domain: values typed in French or English form, refusals field by
field with nothing saved, the order of the dates, agreement by each side and its reset after any
change, what a plan lacks before it can be agreed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from accelerator.domain.impact_plans import (
    agree,
    missing_for_agreement,
    plan_of,
    remove_line,
    save_line,
)
from accelerator.domain.refusals import Refused
from accelerator.models import ImpactPlan, PlannedIndicator
from tests import factories
from tests.accelerator.impact.world import (
    BASELINE_ON,
    TARGET_ON,
    agreed_plan,
    in_impact_measurement,
    indicator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def accompaniment():
    return in_impact_measurement()


def line(accompaniment, code, baseline, target, actor=None, **dates):
    return save_line(
        accompaniment,
        actor or accompaniment.editor,
        indicator(code),
        baseline=baseline,
        baseline_on=dates.get("baseline_on", BASELINE_ON),
        target=target,
        target_on=dates.get("target_on", TARGET_ON),
    )


@pytest.mark.parametrize(
    ("code", "baseline", "target", "expected"),
    [
        # French form: decimal comma, grouping spaces, the unit after the number.
        ("jobs-fte", "12,5", "14,75 ETP", (Decimal("12.5"), Decimal("14.75"))),
        ("revenue", "1 250 €", "12 500,50 €", (Decimal("1250"), Decimal("12500.50"))),
        ("own-revenue-share", "45 %", "60,5 %", (Decimal("45"), Decimal("60.5"))),
        # English form: decimal point, grouping commas.
        ("jobs-fte", "12.5", "14.75", (Decimal("12.5"), Decimal("14.75"))),
        ("revenue", "1,250.00", "€12,500.50", (Decimal("1250"), Decimal("12500.50"))),
        ("people-reached", "100", "1 200", (Decimal("100"), Decimal("1200"))),
    ],
)
def test_values_are_read_in_french_and_english_form(
    accompaniment, code, baseline, target, expected
):
    saved = line(accompaniment, code, baseline, target)
    saved.refresh_from_db()
    assert (saved.baseline_value, saved.target_value) == expected
    assert (saved.baseline_on, saved.target_on) == (BASELINE_ON, TARGET_ON)


@pytest.mark.parametrize(
    ("code", "baseline", "target", "refused"),
    [
        # A whole number of people, typed with a French or an English decimal.
        ("people-reached", "12,5", "20", {"baseline"}),
        ("people-reached", "10", "20.5", {"target"}),
        ("people-reached", "douze", "twenty", {"baseline", "target"}),
        ("own-revenue-share", "45 %", "120 %", {"target"}),
        ("revenue", "1 250,505 €", "2 000 €", {"baseline"}),
        ("jobs-fte", "3 kg", "4", {"baseline"}),
    ],
)
def test_a_value_outside_the_indicator_type_is_refused_field_by_field(
    accompaniment, code, baseline, target, refused
):
    with pytest.raises(Refused) as caught:
        line(accompaniment, code, baseline, target)
    assert set(caught.value.message_dict) == refused
    assert not ImpactPlan.objects.filter(accompaniment=accompaniment).exists()


def test_the_target_date_comes_after_the_baseline_date(accompaniment):
    for target_on in (BASELINE_ON, BASELINE_ON - datetime.timedelta(days=1)):
        with pytest.raises(Refused) as caught:
            line(accompaniment, "jobs-fte", "2", "6", target_on=target_on)
        assert set(caught.value.message_dict) == {"target_on"}
    assert not PlannedIndicator.objects.filter(plan__accompaniment=accompaniment).exists()


def test_saving_the_same_indicator_changes_its_line(accompaniment):
    first = line(accompaniment, "jobs-fte", "2", "6")
    second = line(accompaniment, "jobs-fte", "3", "7")
    assert first.pk == second.pk
    assert list(plan_of(accompaniment).line_list) == [second]
    assert plan_of(accompaniment).line_list[0].baseline_value == 3


def test_each_side_agrees_and_any_change_asks_both_again(accompaniment):
    line(accompaniment, "jobs-fte", "2", "6")
    plan = plan_of(accompaniment)
    agree(plan, accompaniment.editor)
    plan.refresh_from_db()
    assert plan.structure_agreed_by == accompaniment.editor
    assert plan.structure_agreed_at is not None and plan.staff_agreed_at is None
    assert not plan.is_agreed
    agree(plan, accompaniment.referent)
    plan.refresh_from_db()
    assert plan.staff_agreed_by == accompaniment.referent and plan.is_agreed
    # A change of a line undoes both agreements.
    line(accompaniment, "jobs-fte", "2", "8", actor=accompaniment.referent)
    plan.refresh_from_db()
    assert (plan.structure_agreed_at, plan.staff_agreed_at) == (None, None)
    assert plan.proposed_by == accompaniment.referent


def test_removing_a_line_asks_both_sides_again(accompaniment):
    plan = agreed_plan(accompaniment)
    assert plan.is_agreed
    remove_line(plan.lines.get(indicator__code="people-reached"), accompaniment.owner)
    plan.refresh_from_db()
    assert not plan.is_agreed and plan.structure_agreed_by is None
    assert [planned.indicator.code for planned in plan.lines.all()] == ["jobs-fte"]


def test_a_programme_manager_agrees_for_the_programme(accompaniment):
    line(accompaniment, "jobs-fte", "2", "6")
    manager = factories.ManagerFactory(programme=accompaniment.cohort.programme)
    plan = agree(plan_of(accompaniment), manager)
    assert plan.staff_agreed_by == manager and plan.structure_agreed_by is None


@pytest.mark.parametrize("who", ["viewer", "staff", "outsider"])
def test_who_may_not_plan_is_denied(accompaniment, who):
    user = {
        "viewer": lambda: (
            factories.MembershipFactory(structure=accompaniment.structure, role="viewer").user
        ),
        "staff": factories.StaffFactory,
        "outsider": lambda: factories.MembershipFactory().user,
    }[who]()
    with pytest.raises(PermissionDenied):
        line(accompaniment, "jobs-fte", "2", "6", actor=user)
    line(accompaniment, "jobs-fte", "2", "6")
    with pytest.raises(PermissionDenied):
        agree(plan_of(accompaniment), user)
    assert not plan_of(accompaniment).structure_agreed_at


def test_what_a_plan_lacks_before_agreement(accompaniment):
    line(accompaniment, "jobs-fte", "2", "", target_on=None)
    line(accompaniment, "people-reached", "", "300", baseline_on=None)
    plan = plan_of(accompaniment)
    missing = missing_for_agreement(plan)
    assert len(missing) == 2
    assert "Emplois créés" in missing[0] and "Personnes touchées" in missing[1]
    with pytest.raises(Refused) as caught:
        agree(plan, accompaniment.editor)
    assert caught.value.messages == missing
    plan.refresh_from_db()
    assert plan.structure_agreed_at is None
    # Emptied, the plan needs an indicator.
    for planned in plan.lines.all():
        remove_line(planned, accompaniment.editor)
    with translation.override("en"):
        assert missing_for_agreement(plan_of(accompaniment)) == ["Choose at least one indicator."]
