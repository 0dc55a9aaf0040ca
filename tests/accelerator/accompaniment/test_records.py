"""What the journey's conditions read, recorded through the domain (accelerator.domain.funding,
accelerator.domain.accompaniments): label decisions, seed grants and payments, fundraising
rounds, and who follows the structure."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accelerator.domain.accompaniments import set_referent, set_support_point
from accelerator.domain.funding import (
    add_commitment,
    close_round,
    record_label_decision,
    record_round,
    record_seed_grant,
    sign_agreement,
    skip_round,
)
from accelerator.domain.journey import change_stage, next_stage_needs
from accelerator.models import (
    Accompaniment,
    FundraisingCommitment,
    FundraisingRound,
    LabelDecision,
    SeedGrant,
)
from tests import factories
from tests.accelerator.accompaniment import TOMORROW, YESTERDAY, S
from tests.accelerator.test_journey_transitions import make_accompaniment

# --- the domain: label decisions


def test_a_granted_label_decision_opens_seed_funding(labelling, manager):
    decision = record_label_decision(
        labelling, manager, YESTERDAY, "granted", "  Label ESS Centre  ", " Unanimité. "
    )
    assert (decision.outcome, decision.label_name, decision.comments) == (
        "granted",
        "Label ESS Centre",
        "Unanimité.",
    )
    assert next_stage_needs(labelling) == ("start_seed_funding", [])
    assert change_stage(labelling, "start_seed_funding", manager).stage == S.SEED_FUNDING


@pytest.mark.parametrize(
    ("committee_date", "outcome", "label_name", "field", "message"),
    [
        (None, "granted", "Label", "committee_date", "Give the date of the committee."),
        (TOMORROW, "granted", "Label", "committee_date", "The committee date is in the future"),
        (YESTERDAY, "maybe", "Label", "outcome", "Choose the committee's outcome"),
        (YESTERDAY, "granted", "  ", "label_name", "Give the name of the label granted."),
    ],
)
def test_a_label_decision_says_what_is_wrong(
    labelling, manager, committee_date, outcome, label_name, field, message
):
    with pytest.raises(ValidationError) as refused:
        record_label_decision(labelling, manager, committee_date, outcome, label_name)
    assert message in refused.value.message_dict[field][0]
    assert not LabelDecision.objects.filter(accompaniment=labelling).exists()


def test_a_deferred_decision_needs_no_label_name_and_does_not_open_seed_funding(labelling, manager):
    record_label_decision(labelling, manager, YESTERDAY, "deferred")
    assert next_stage_needs(labelling)[1] != []


@pytest.mark.parametrize("role", ["staff", "support_point", "owner", "editor", "outsider"])
def test_only_movers_record(labelling, seed_funding, fundraising, people, role):
    user = people[role]
    grant = SeedGrant.objects.create(
        accompaniment=seed_funding, amount=Decimal("1000"), funder="Région"
    )
    fundraising_round = FundraisingRound.objects.create(
        accompaniment=fundraising, target=Decimal("1000")
    )
    attempts = [
        lambda: record_label_decision(labelling, user, YESTERDAY, "granted", "Label"),
        lambda: record_seed_grant(seed_funding, user, "1000", "Région"),
        lambda: sign_agreement(grant, user, YESTERDAY),
        lambda: record_round(fundraising, user, "1000"),
        lambda: add_commitment(fundraising_round, user, "BPI", "100"),
        lambda: close_round(fundraising_round, user, YESTERDAY),
        lambda: skip_round(fundraising, user, "Pas besoin."),
        lambda: set_referent(labelling, user, people["staff"]),
        lambda: set_support_point(labelling, user, None),
    ]
    counts = [model.objects.count() for model in (LabelDecision, SeedGrant, FundraisingRound)]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert [model.objects.count() for model in (LabelDecision, SeedGrant, FundraisingRound)] == (
        counts
    )
    assert not FundraisingCommitment.objects.exists()
    assert SeedGrant.objects.get(pk=grant.pk).agreement_signed_on is None
    assert FundraisingRound.objects.get(pk=fundraising_round.pk).closed_on is None
    assert Accompaniment.objects.get(pk=labelling.pk).referent is None


# --- seed grants


def test_a_seed_grant_in_euros_to_the_cent_then_its_signature_opens_fundraising(
    seed_funding, manager
):
    grant = record_seed_grant(seed_funding, manager, "12500.505", " Région Centre ")
    grant.refresh_from_db()
    assert (grant.amount, grant.funder, grant.agreement_signed_on) == (
        Decimal("12500.50"),
        "Région Centre",
        None,
    )
    assert next_stage_needs(seed_funding)[1] != []
    sign_agreement(grant, manager, YESTERDAY)
    assert SeedGrant.objects.get(pk=grant.pk).agreement_signed_on == YESTERDAY
    assert next_stage_needs(seed_funding) == ("start_fundraising", [])


@pytest.mark.parametrize(
    ("amount", "funder", "signed_on", "field"),
    [
        ("0", "Région", None, "amount"),
        ("-5", "Région", None, "amount"),
        ("beaucoup", "Région", None, "amount"),
        ("1000", " ", None, "funder"),
        ("1000", "Région", TOMORROW, "agreement_signed_on"),
    ],
)
def test_a_seed_grant_says_what_is_wrong(seed_funding, manager, amount, funder, signed_on, field):
    before = SeedGrant.objects.count()
    with pytest.raises(ValidationError) as refused:
        record_seed_grant(seed_funding, manager, amount, funder, signed_on)
    assert field in refused.value.message_dict
    assert SeedGrant.objects.count() == before


def test_an_agreement_is_not_signed_in_the_future(seed_funding, manager):
    grant = record_seed_grant(seed_funding, manager, "1000", "BPI")
    with pytest.raises(ValidationError):
        sign_agreement(grant, manager, TOMORROW)
    with pytest.raises(ValidationError):
        sign_agreement(grant, manager, None)
    assert SeedGrant.objects.get(pk=grant.pk).agreement_signed_on is None


# --- fundraising rounds


def test_a_round_closes_with_the_sum_of_its_commitments_and_opens_impact_measurement(
    fundraising, manager
):
    fundraising_round = record_round(
        fundraising, manager, "50000", ["equity", "honour_loan", "equity"]
    )
    # In the order of the list of instruments, once each.
    assert fundraising_round.instruments == ["honour_loan", "equity"]
    add_commitment(fundraising_round, manager, "France Active", "10000.10")
    add_commitment(fundraising_round, manager, "Love Money", "2000.20")
    assert next_stage_needs(fundraising)[1] != []
    closed = close_round(fundraising_round, manager, YESTERDAY)
    assert (closed.amount_raised, closed.closed_on) == (Decimal("12000.30"), YESTERDAY)
    assert next_stage_needs(fundraising) == ("start_impact_measurement", [])
    # A closed round no longer changes.
    with pytest.raises(ValidationError, match="cannot change any more"):
        add_commitment(fundraising_round, manager, "Retard", "10")
    with pytest.raises(ValidationError):
        close_round(fundraising_round, manager, YESTERDAY, "1")
    with pytest.raises(ValidationError):
        skip_round(fundraising, manager, "Trop tard.", fundraising_round)


def test_a_round_closes_with_the_amount_given(fundraising, manager):
    fundraising_round = record_round(fundraising, manager, "50000")
    add_commitment(fundraising_round, manager, "France Active", "10000")
    closed = close_round(fundraising_round, manager, YESTERDAY, "15000")
    assert closed.amount_raised == Decimal("15000.00")


def test_round_inputs_are_checked(fundraising, manager):
    with pytest.raises(ValidationError) as refused:
        record_round(fundraising, manager, "50000", ["equity", "bitcoin"])
    assert "bitcoin" in refused.value.message_dict["instruments"][0]
    with pytest.raises(ValidationError):
        record_round(fundraising, manager, "0")
    fundraising_round = record_round(fundraising, manager, "50000")
    with pytest.raises(ValidationError) as refused:
        add_commitment(fundraising_round, manager, "", "0")
    assert set(refused.value.message_dict) == {"funder", "amount"}
    with pytest.raises(ValidationError):
        close_round(fundraising_round, manager, TOMORROW)
    with pytest.raises(ValidationError):
        close_round(fundraising_round, manager, None)


def test_fundraising_is_skipped_with_a_reason(fundraising, manager):
    FundraisingRound.objects.filter(accompaniment=fundraising).delete()
    with pytest.raises(ValidationError):
        skip_round(fundraising, manager, "  ")
    skipped = skip_round(fundraising, manager, "Autofinancement suffisant.")
    assert (skipped.skipped_reason, skipped.target) == ("Autofinancement suffisant.", 0)
    assert next_stage_needs(fundraising) == ("start_impact_measurement", [])


def test_an_open_round_is_skipped_and_then_frozen(fundraising, manager):
    fundraising_round = record_round(fundraising, manager, "20000")
    skip_round(fundraising, manager, "Projet reporté.", fundraising_round)
    fundraising_round.refresh_from_db()
    assert fundraising_round.skipped_reason == "Projet reporté."
    with pytest.raises(ValidationError, match="skipped"):
        add_commitment(fundraising_round, manager, "BPI", "10")
    other = make_accompaniment(stage=S.FUNDRAISING)
    with pytest.raises(ValueError):
        skip_round(other, manager, "Raison.", record_round(fundraising, manager, "1000"))


# --- who follows the structure


def test_the_referent_is_staff_and_the_support_point_local(labelling, manager, owner):
    referent = factories.StaffFactory()
    set_referent(labelling, manager, referent)
    assert Accompaniment.objects.get(pk=labelling.pk).referent == referent
    with pytest.raises(ValidationError, match="programme staff"):
        set_referent(labelling, manager, owner)
    former = factories.StaffFactory(is_active=False)
    with pytest.raises(ValidationError):
        set_referent(labelling, manager, former)
    assert Accompaniment.objects.get(pk=labelling.pk).referent == referent
    set_referent(labelling, manager, None)
    assert Accompaniment.objects.get(pk=labelling.pk).referent is None

    local = factories.SupportPointFactory(department=labelling.structure.department)
    far = factories.SupportPointFactory(
        name="Point d'appui du Cher", department=factories.department("18", "Cher")
    )
    set_support_point(labelling, manager, local)
    assert Accompaniment.objects.get(pk=labelling.pk).support_point == local
    with pytest.raises(ValidationError, match="Point d'appui du Cher is not a support point"):
        set_support_point(labelling, manager, far)
    assert Accompaniment.objects.get(pk=labelling.pk).support_point == local
    set_support_point(labelling, manager, None)
    assert Accompaniment.objects.get(pk=labelling.pk).support_point is None


def test_changing_who_follows_does_not_touch_the_stage_even_when_stale(labelling, manager):
    stale = Accompaniment.objects.get(pk=labelling.pk)
    change_stage(labelling, "pause", manager)
    set_referent(stale, manager, manager)
    saved = Accompaniment.objects.get(pk=labelling.pk)
    assert (saved.stage, saved.referent) == (S.PAUSED, manager)
