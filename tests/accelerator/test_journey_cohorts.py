"""Forming cohorts (from a call, or sourced elsewhere) and paying seed grants within the grant."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accelerator.domain.cohorts import add_structure
from accelerator.domain.journey import disburse
from accelerator.domain.refusals import Refused
from accelerator.models import Accompaniment, Cohort, Disbursement, SeedGrant
from applications.domain.cohorts import accompaniment_of, form_cohort_from_call
from tests import factories


@pytest.fixture
def cohort(db):
    return Cohort.objects.create(
        programme=factories.ProgrammeFactory(), name="Cohorte 2026", year=2026, capacity=3
    )


def selected(call, state="selected"):
    return factories.make_dossier(call=call, state=state)


def test_a_cohort_holds_fifteen_places_by_default(db):
    cohort = Cohort.objects.create(programme=factories.ProgrammeFactory(), name="C", year=2026)
    assert cohort.capacity == 15


def test_forming_from_a_call_takes_the_selected_dossiers_only(cohort, open_call, manager):
    chosen = [selected(open_call), selected(open_call)]
    selected(open_call, state="rejected")
    selected(open_call, state="waitlisted")
    point = factories.SupportPointFactory(department=chosen[0].structure.department)

    created = form_cohort_from_call(open_call, cohort, manager)

    assert len(created) == 2
    rows = Accompaniment.objects.filter(cohort=cohort).order_by("source_reference")
    assert [(a.structure, a.source, a.source_reference, a.stage) for a in rows] == [
        (d.structure, "call", d.reference, "sourcing") for d in chosen
    ]
    assert all(a.support_point == point for a in rows)
    assert accompaniment_of(chosen[0], cohort) == rows[0]


def test_forming_twice_changes_nothing(cohort, open_call, manager):
    selected(open_call)
    form_cohort_from_call(open_call, cohort, manager)
    assert form_cohort_from_call(open_call, cohort, manager) == []
    assert Accompaniment.objects.filter(cohort=cohort).count() == 1


def test_forming_beyond_capacity_is_refused_as_a_whole(cohort, open_call, manager):
    for _ in range(4):
        selected(open_call)
    with pytest.raises(Refused) as refused:
        form_cohort_from_call(open_call, cohort, manager)
    assert "has 3 places and 0 are taken: 4 more structures do not fit" in refused.value.messages[0]
    assert not Accompaniment.objects.filter(cohort=cohort).exists()


@pytest.mark.parametrize(
    "role", ["owner", "editor", "viewer", "outsider", "support_point", "staff"]
)
def test_only_managers_and_referents_form_a_cohort(cohort, open_call, people, role):
    selected(open_call)
    with pytest.raises(PermissionDenied):
        form_cohort_from_call(open_call, cohort, people[role])
    with pytest.raises(PermissionDenied):
        add_structure(cohort, factories.StructureFactory(), "event", people[role])
    assert not Accompaniment.objects.filter(cohort=cohort).exists()


def test_a_referent_of_the_cohort_adds_structures(cohort, structure, staff):
    cohort.referents.add(staff)
    accompaniment = add_structure(cohort, structure, "event", staff)
    assert accompaniment.cohort == cohort


def test_a_structure_sourced_outside_any_call_starts_in_sourcing(cohort, structure, manager):
    accompaniment = add_structure(
        cohort, structure, "innovation_lab", manager, source_reference="Lab Tours 2026"
    )
    assert (accompaniment.stage, accompaniment.source, accompaniment.source_reference) == (
        "sourcing",
        "innovation_lab",
        "Lab Tours 2026",
    )
    assert add_structure(cohort, structure, "event", manager) == accompaniment
    assert Accompaniment.objects.filter(cohort=cohort).count() == 1


def test_adding_a_structure_to_a_full_cohort_is_refused(cohort, manager):
    for _ in range(3):
        add_structure(cohort, factories.StructureFactory(), "partner_network", manager)
    with pytest.raises(Refused) as refused:
        add_structure(cohort, factories.StructureFactory(), "other", manager)
    assert "3 places and 3 are taken" in refused.value.messages[0]


def test_add_structure_refuses_the_call_source_and_unknown_sources(cohort, structure, manager):
    with pytest.raises(ValueError):
        add_structure(cohort, structure, "call", manager)
    with pytest.raises(ValueError):
        add_structure(cohort, structure, "rumour", manager)


@pytest.fixture
def grant(cohort, structure, manager):
    accompaniment = add_structure(cohort, structure, "event", manager)
    return SeedGrant.objects.create(
        accompaniment=accompaniment,
        amount=Decimal("10000.00"),
        funder="Région Centre-Val de Loire",
        agreement_signed_on=datetime.date(2026, 4, 1),
    )


def test_disbursements_never_exceed_the_grant(grant, manager):
    disburse(grant, Decimal("6000.00"), datetime.date(2026, 4, 15), manager)
    disburse(grant, "3999.99", datetime.date(2026, 6, 15), manager)
    with pytest.raises(ValidationError) as refused:
        disburse(grant, Decimal("0.02"), datetime.date(2026, 7, 1), manager)
    assert "would exceed the grant" in refused.value.messages[0]
    assert "0.01 € left" in refused.value.messages[0]
    disburse(grant, Decimal("0.01"), datetime.date(2026, 7, 1), manager)
    assert sum(d.amount for d in Disbursement.objects.filter(grant=grant)) == Decimal("10000.00")


def test_a_payment_must_be_positive_and_made_by_staff(grant, manager, owner):
    with pytest.raises(ValidationError):
        disburse(grant, Decimal("0"), datetime.date(2026, 4, 15), manager)
    with pytest.raises(PermissionDenied):
        disburse(grant, Decimal("10"), datetime.date(2026, 4, 15), owner)
    assert not Disbursement.objects.exists()


def test_selected_dossiers_of_another_call_stay_out(cohort, open_call, manager):
    other_call = factories.make_call()
    selected(other_call)
    mine = selected(open_call)
    form_cohort_from_call(open_call, cohort, manager)
    assert [a.structure for a in Accompaniment.objects.filter(cohort=cohort)] == [mine.structure]
