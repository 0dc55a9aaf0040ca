"""What the journey's conditions read, recorded through the domain (accelerator.domain.funding,
accelerator.domain.accompaniments) and from the accompaniment's page: label decisions, seed grants
and payments, fundraising rounds, and who follows the structure."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

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
from accelerator.domain.journey import change_stage, disburse, next_stage_needs
from accelerator.models import (
    Accompaniment,
    Disbursement,
    FundraisingCommitment,
    FundraisingRound,
    LabelDecision,
    SeedGrant,
    Stage,
)
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment

S = Stage
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def url(view, accompaniment, **kwargs):
    return reverse(f"accelerator:{view}", kwargs={"pk": accompaniment.pk, **kwargs})


def page(accompaniment):
    return reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk})


@pytest.fixture
def labelling(structure):
    return make_accompaniment(structure=structure, stage=S.LABELLING)


@pytest.fixture
def seed_funding(structure):
    return make_accompaniment(structure=structure, stage=S.SEED_FUNDING)


@pytest.fixture
def fundraising(structure):
    return make_accompaniment(structure=structure, stage=S.FUNDRAISING)


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


# --- from the page


def test_a_label_decision_from_the_page(labelling, manager, client_for):
    client = client_for(manager)
    response = client.post(
        url("accompaniment_label_decision", labelling),
        {
            "label-committee_date": YESTERDAY.isoformat(),
            "label-outcome": "granted",
            "label-label_name": "Label ESS",
            "label-comments": "Projet solide.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == page(labelling) + "#labelling"
    decision = LabelDecision.objects.get(accompaniment=labelling, label_name="Label ESS")
    assert (decision.committee_date, decision.comments) == (YESTERDAY, "Projet solide.")
    html = client.get(page(labelling)).content.decode()
    assert "The committee&#x27;s decision is recorded." in html
    assert "Everything “Seed funding” needs is recorded" in html


def test_a_refused_label_decision_keeps_what_was_typed(labelling, manager, client_for):
    response = client_for(manager).post(
        url("accompaniment_label_decision", labelling),
        {
            "label-committee_date": YESTERDAY.isoformat(),
            "label-outcome": "granted",
            "label-label_name": "",
            "label-comments": "Commentaire à garder.",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the name of the label granted." in html
    assert "Commentaire à garder." in html
    assert f'value="{YESTERDAY.isoformat()}"' in html
    assert 'value="granted" required id="id_label-outcome_0" checked' in html
    assert not LabelDecision.objects.filter(accompaniment=labelling).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("staff", 403),
        ("support_point", 403),
        ("manager", 302),
    ],
)
def test_who_records_from_the_page(
    labelling, people, manager, far_support_point_user, client_for, role, expected
):
    user = {"manager": manager, "far_support_point": far_support_point_user}.get(role) or people[
        role
    ]
    client = client_for(user)
    grant = SeedGrant.objects.create(accompaniment=labelling, amount=Decimal("1000"), funder="R")
    fundraising_round = FundraisingRound.objects.create(
        accompaniment=labelling, target=Decimal("1000")
    )
    posts = [
        (url("accompaniment_label_decision", labelling), {}),
        (url("accompaniment_seed_grant", labelling), {}),
        (url("accompaniment_agreement", labelling, grant_pk=grant.pk), {}),
        (url("accompaniment_payment", labelling, grant_pk=grant.pk), {}),
        (url("accompaniment_round", labelling), {}),
        (url("accompaniment_skip", labelling), {}),
        (url("accompaniment_commitment", labelling, round_pk=fundraising_round.pk), {}),
        (url("accompaniment_round_close", labelling, round_pk=fundraising_round.pk), {}),
        (url("accompaniment_round_skip", labelling, round_pk=fundraising_round.pk), {}),
    ]
    for target, data in posts:
        response = client.post(target, data)
        # The mover's empty forms are refused in place.
        assert response.status_code == (200 if role == "manager" else expected), target


def test_a_seed_grant_and_its_signature_from_the_page(seed_funding, manager, client_for):
    client = client_for(manager)
    response = client.post(
        url("accompaniment_seed_grant", seed_funding),
        {"grant-amount": "12 500,50 €", "grant-funder": "France Active"},
    )
    assert response.status_code == 302
    grant = SeedGrant.objects.get(funder="France Active")
    assert (grant.amount, grant.agreement_signed_on) == (Decimal("12500.50"), None)
    html = client.get(page(seed_funding)).content.decode()
    assert "12,500.50 € from France Active" in html
    assert url("accompaniment_agreement", seed_funding, grant_pk=grant.pk) in html
    response = client.post(
        url("accompaniment_agreement", seed_funding, grant_pk=grant.pk),
        {f"sign-{grant.pk}-signed_on": YESTERDAY.isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#grant-{grant.pk}")
    assert SeedGrant.objects.get(pk=grant.pk).agreement_signed_on == YESTERDAY


def test_a_payment_beyond_the_grant_is_refused_in_place_with_the_amount_kept(
    seed_funding, manager, client_for
):
    grant = SeedGrant.objects.create(
        accompaniment=seed_funding, amount=Decimal("10000"), funder="Région"
    )
    disburse(grant, Decimal("9500"), YESTERDAY, manager)
    client = client_for(manager)
    target = url("accompaniment_payment", seed_funding, grant_pk=grant.pk)
    key = f"payment-{grant.pk}"
    response = client.post(target, {f"{key}-amount": "900", f"{key}-paid_on": TODAY.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    message = (
        "This payment of 900.00 € would exceed the grant: 10000.00 € granted, "
        "9500.00 € already paid, 500.00 € left."
    )
    assert message in html
    # In place: in the amount field's error list, and the typed amount is still there.
    field = html[html.index(f'id="id_{key}-amount"') :]
    assert field.index(message) < field.index(f'id="id_{key}-paid_on"')
    assert f'name="{key}-amount" value="900"' in html
    assert Disbursement.objects.filter(grant=grant).count() == 1
    response = client.post(target, {f"{key}-amount": "500", f"{key}-paid_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert Disbursement.objects.filter(grant=grant).count() == 2
    html = client.get(page(seed_funding)).content.decode()
    assert "The payment is recorded." in html
    assert "<dt>Left to pay</dt><dd>0.00 €</dd>" in html


def test_a_grant_of_another_accompaniment_is_a_404(seed_funding, manager, client_for):
    other = make_accompaniment(stage=S.SEED_FUNDING)
    grant = SeedGrant.objects.create(accompaniment=other, amount=Decimal("1000"), funder="R")
    key = f"payment-{grant.pk}"
    response = client_for(manager).post(
        url("accompaniment_payment", seed_funding, grant_pk=grant.pk),
        {f"{key}-amount": "1", f"{key}-paid_on": TODAY.isoformat()},
    )
    assert response.status_code == 404
    assert not Disbursement.objects.exists()


def test_a_round_from_the_page_closed_with_the_sum_of_commitments(fundraising, manager, client_for):
    client = client_for(manager)
    response = client.post(
        url("accompaniment_round", fundraising),
        {"round-target": "80000", "round-instruments": ["equity", "crowdfunding"]},
    )
    assert response.status_code == 302
    fundraising_round = FundraisingRound.objects.get(accompaniment=fundraising, closed_on=None)
    assert fundraising_round.instruments == ["equity", "crowdfunding"]
    pk = fundraising_round.pk
    for funder, amount in (("France Active", "30000"), ("Particuliers", "12 345,67")):
        response = client.post(
            url("accompaniment_commitment", fundraising, round_pk=pk),
            {f"commitment-{pk}-funder": funder, f"commitment-{pk}-amount": amount},
        )
        assert response.status_code == 302
    html = client.get(page(fundraising)).content.decode()
    assert "Equity, Crowdfunding" in html
    # The amount raised defaults to the sum of the commitments.
    assert f'name="close-{pk}-amount_raised" value="42345.67"' in html
    response = client.post(
        url("accompaniment_round_close", fundraising, round_pk=pk),
        {f"close-{pk}-closed_on": YESTERDAY.isoformat(), f"close-{pk}-amount_raised": ""},
    )
    assert response.status_code == 302
    fundraising_round.refresh_from_db()
    assert (fundraising_round.closed_on, fundraising_round.amount_raised) == (
        YESTERDAY,
        Decimal("42345.67"),
    )


def test_a_round_closed_in_the_future_is_refused_in_place(fundraising, manager, client_for):
    fundraising_round = record_round(fundraising, manager, "1000")
    pk = fundraising_round.pk
    response = client_for(manager).post(
        url("accompaniment_round_close", fundraising, round_pk=pk),
        {f"close-{pk}-closed_on": TOMORROW.isoformat(), f"close-{pk}-amount_raised": "777"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A round cannot close on a future date." in html
    assert f'name="close-{pk}-amount_raised" value="777"' in html
    assert FundraisingRound.objects.get(pk=pk).closed_on is None


def test_fundraising_skipped_from_the_page(fundraising, manager, client_for):
    FundraisingRound.objects.filter(accompaniment=fundraising).delete()
    client = client_for(manager)
    response = client.post(url("accompaniment_skip", fundraising), {"skip-reason": ""})
    assert response.status_code == 200
    assert not FundraisingRound.objects.exists()
    response = client.post(
        url("accompaniment_skip", fundraising), {"skip-reason": "Modèle sans levée."}
    )
    assert response.status_code == 302
    assert FundraisingRound.objects.get().skipped_reason == "Modèle sans levée."
    fundraising_round = record_round(fundraising, manager, "1000")
    pk = fundraising_round.pk
    response = client.post(
        url("accompaniment_round_skip", fundraising, round_pk=pk),
        {f"skip-{pk}-reason": "Reporté."},
    )
    assert response.status_code == 302
    assert FundraisingRound.objects.get(pk=pk).skipped_reason == "Reporté."
    html = client.get(page(fundraising)).content.decode()
    assert "Fundraising skipped" in html and "Modèle sans levée." in html


def test_the_support_point_reads_the_records_without_their_forms(
    labelling, manager, support_point_user, client_for
):
    record_label_decision(labelling, manager, YESTERDAY, "deferred", comments="À revoir.")
    html = client_for(support_point_user).get(page(labelling)).content.decode()
    assert "Deferred" in html and "À revoir." in html
    assert "Record a committee decision" not in html
    assert "Record a seed grant" not in html and "Skip fundraising" not in html
