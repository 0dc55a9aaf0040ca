"""The same records made from the accompaniment's page: label decisions, seed grants and
payments, fundraising rounds, with what was typed kept when refused."""

from decimal import Decimal

import pytest

from accelerator.domain.funding import record_label_decision, record_round
from accelerator.domain.journey import disburse
from accelerator.models import Disbursement, FundraisingRound, LabelDecision, SeedGrant
from tests.accelerator.accompaniment import TODAY, TOMORROW, YESTERDAY, S, page, url
from tests.accelerator.test_journey_transitions import make_accompaniment

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
