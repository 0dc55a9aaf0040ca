"""Recording what the journey's conditions read, from an accompaniment's page: label decisions,
seed grants and their payments, fundraising rounds. For the people who move the structure; a
refusal re-renders the page with what was typed and the domain's message in place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accelerator.domain.funding import (
    add_commitment,
    close_round,
    record_label_decision,
    record_round,
    record_seed_grant,
    sign_agreement,
    skip_round,
)
from accelerator.domain.journey import disburse
from accelerator.forms.journey import (
    CloseRoundForm,
    CommitmentForm,
    LabelDecisionForm,
    PaymentForm,
    RoundForm,
    SeedGrantForm,
    SignAgreementForm,
    SkipRoundForm,
)
from accelerator.views.staff.accompaniments import accompaniment_for, page_url, refused, render_page

MOVE = "accelerator.move_accompaniment"


def _record(request, accompaniment, key, form, save, section, done, field=None):
    """Validate `form`, then `save(cleaned_data)` through the domain: redirect to `section` with
    `done` when it is recorded, otherwise the page again with the form as it was sent."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as refusal:
            refused(request, refusal, form, field)
        else:
            messages.success(request, done)
            return redirect(page_url(accompaniment, section))
    else:
        refused(request, None)
    return render_page(request, accompaniment, {key: form})


@login_required
@require_POST
def label_decision_add(request, pk):
    accompaniment = accompaniment_for(request, pk, MOVE)
    return _record(
        request,
        accompaniment,
        "label",
        LabelDecisionForm(request.POST, prefix="label"),
        lambda data: record_label_decision(accompaniment, request.user, **data),
        "labelling",
        _("The committee's decision is recorded."),
    )


@login_required
@require_POST
def seed_grant_add(request, pk):
    accompaniment = accompaniment_for(request, pk, MOVE)
    return _record(
        request,
        accompaniment,
        "grant",
        SeedGrantForm(request.POST, prefix="grant"),
        lambda data: record_seed_grant(accompaniment, request.user, **data),
        "seed-funding",
        _("The seed grant is recorded."),
    )


def _grant(accompaniment, grant_pk):
    grant = get_object_or_404(accompaniment.seed_grants, pk=grant_pk)
    grant.accompaniment = accompaniment
    return grant


@login_required
@require_POST
def agreement_sign(request, pk, grant_pk):
    accompaniment = accompaniment_for(request, pk, MOVE)
    grant = _grant(accompaniment, grant_pk)
    key = f"sign-{grant.pk}"
    return _record(
        request,
        accompaniment,
        key,
        SignAgreementForm(request.POST, prefix=key),
        lambda data: sign_agreement(grant, request.user, data["signed_on"]),
        f"grant-{grant.pk}",
        _("The date the agreement was signed is recorded."),
    )


@login_required
@require_POST
def payment_add(request, pk, grant_pk):
    accompaniment = accompaniment_for(request, pk, MOVE)
    grant = _grant(accompaniment, grant_pk)
    key = f"payment-{grant.pk}"
    return _record(
        request,
        accompaniment,
        key,
        PaymentForm(request.POST, prefix=key),
        lambda data: disburse(grant, data["amount"], data["paid_on"], request.user),
        f"grant-{grant.pk}",
        _("The payment is recorded."),
        # The grant's limit is a matter of the amount: its message goes next to it.
        field="amount",
    )


@login_required
@require_POST
def round_add(request, pk):
    accompaniment = accompaniment_for(request, pk, MOVE)
    return _record(
        request,
        accompaniment,
        "round",
        RoundForm(request.POST, prefix="round"),
        lambda data: record_round(accompaniment, request.user, **data),
        "fundraising",
        _("The fundraising round is recorded."),
    )


def _round(accompaniment, round_pk):
    fundraising_round = get_object_or_404(accompaniment.fundraising_rounds, pk=round_pk)
    fundraising_round.accompaniment = accompaniment
    return fundraising_round


@login_required
@require_POST
def commitment_add(request, pk, round_pk):
    accompaniment = accompaniment_for(request, pk, MOVE)
    fundraising_round = _round(accompaniment, round_pk)
    key = f"commitment-{fundraising_round.pk}"
    return _record(
        request,
        accompaniment,
        key,
        CommitmentForm(request.POST, prefix=key),
        lambda data: add_commitment(fundraising_round, request.user, **data),
        f"round-{fundraising_round.pk}",
        _("The commitment is recorded."),
    )


@login_required
@require_POST
def round_close(request, pk, round_pk):
    accompaniment = accompaniment_for(request, pk, MOVE)
    fundraising_round = _round(accompaniment, round_pk)
    key = f"close-{fundraising_round.pk}"
    return _record(
        request,
        accompaniment,
        key,
        CloseRoundForm(request.POST, prefix=key),
        lambda data: close_round(fundraising_round, request.user, **data),
        f"round-{fundraising_round.pk}",
        _("The fundraising round is closed."),
    )


@login_required
@require_POST
def round_skip(request, pk, round_pk=None):
    """Skip fundraising: an open round, or (with no round) the whole fundraising stage."""
    accompaniment = accompaniment_for(request, pk, MOVE)
    fundraising_round = _round(accompaniment, round_pk) if round_pk else None
    key = f"skip-{round_pk}" if round_pk else "skip"
    return _record(
        request,
        accompaniment,
        key,
        SkipRoundForm(request.POST, prefix=key),
        lambda data: skip_round(accompaniment, request.user, data["reason"], fundraising_round),
        f"round-{round_pk}" if round_pk else "fundraising",
        _("Fundraising is skipped: the reason is recorded."),
    )
