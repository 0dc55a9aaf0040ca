import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.domain.eligibility import check_eligibility
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_eligible_structure_gets_no_reason(open_call, structure):
    assert check_eligibility(open_call, structure) == []


def test_a_structure_outside_the_departments_is_told_where_the_call_applies():
    call = factories.make_call()
    call.eligible_departments.set(
        [factories.department("45", "Loiret"), factories.department("36", "Indre")]
    )
    structure = factories.StructureFactory(department=factories.department("18", "Cher"))
    assert check_eligibility(call, structure) == [
        "Your structure is in Cher (18); this call is open to Indre (36) and Loiret (45)."
    ]


def test_legal_form_and_esus_are_checked():
    call = factories.make_call(eligible_legal_forms=["association", "scic"], esus_required=True)
    structure = factories.StructureFactory(legal_form="scop", esus_approved=False)
    reasons = check_eligibility(call, structure)
    assert reasons[0] == (
        "Your structure's legal form (SCOP) is not accepted; this call accepts "
        "Association (loi 1901) and SCIC."
    )
    assert "requires the ESUS agrément" in reasons[1]
    structure.legal_form, structure.esus_approved = "scic", True
    assert check_eligibility(call, structure) == []


def test_a_young_structure_is_told_its_age_and_the_minimum():
    call = factories.make_call(min_age_years=3)
    structure = factories.StructureFactory(creation_year=2024)
    assert check_eligibility(call, structure, today=datetime.date(2026, 3, 1)) == [
        "Your structure was created in 2024; this call requires at least 3 years of existence."
    ]
    assert check_eligibility(call, structure, today=datetime.date(2027, 1, 2)) == []


def test_the_budget_range_is_told_in_euros():
    call = factories.make_call(budget_min=Decimal("50000"), budget_max=Decimal("500000"))
    small = factories.StructureFactory(annual_budget=Decimal("12000"))
    big = factories.StructureFactory(annual_budget=Decimal("750000.50"))
    unknown = factories.StructureFactory(annual_budget=None)
    assert check_eligibility(call, small) == [
        "Your structure's annual budget (12,000\u00a0€) is below this call's minimum "
        "of 50,000\u00a0€."
    ]
    assert "above this call's maximum of 500,000\u00a0€" in check_eligibility(call, big)[0]
    assert "add your structure's annual budget" in check_eligibility(call, unknown)[0]


def test_a_call_not_open_yet_or_closed_is_a_reason(structure):
    now = timezone.now()
    upcoming = factories.make_call(opens_at=now + timedelta(days=3), closes_at=now + timedelta(9))
    closed = factories.make_call(opens_at=now - timedelta(days=9), closes_at=now - timedelta(1))
    assert check_eligibility(upcoming, structure)[0].startswith("This call is not open yet")
    assert "(Paris time)" in check_eligibility(upcoming, structure)[0]
    assert check_eligibility(closed, structure)[0].startswith("This call closed on")
