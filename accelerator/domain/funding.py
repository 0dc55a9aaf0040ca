"""What the journey's conditions read: label decisions, seed grants and fundraising rounds,
recorded by the people who move the structure. Amounts are Decimals in euros, to the cent.

Payments of a seed grant go through `accelerator.domain.journey.disburse`, which keeps them
within the grant."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accelerator.models import (
    FundraisingCommitment,
    FundraisingRound,
    Instrument,
    LabelDecision,
    SeedGrant,
)
from accelerator.money import euros


def _check_may_record(actor, accompaniment):
    # Recording what a stage needs belongs to those who move the structure.
    if not actor.has_perm("accelerator.move_accompaniment", accompaniment):
        raise PermissionDenied


def _euros(value, field, *, allow_zero=False):
    """`value` as euros to the cent; ValidationError on `field` when it is not a positive amount."""
    try:
        amount = euros(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Give an amount in euros.")}) from None
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be more than 0 €.")})
    return amount


def _past_or_today(day, field, message):
    if day and day > timezone.localdate():
        raise ValidationError({field: message})


# --- labelling


def record_label_decision(
    accompaniment, actor, committee_date, outcome, label_name="", comments=""
):
    """The labelling committee's decision; a "granted" one opens seed funding."""
    _check_may_record(actor, accompaniment)
    errors = {}
    if not committee_date:
        errors["committee_date"] = _("Give the date of the committee.")
    elif committee_date > timezone.localdate():
        errors["committee_date"] = _(
            "The committee date is in the future: record the decision once it is taken."
        )
    if outcome not in LabelDecision.Outcome.values:
        errors["outcome"] = _("Choose the committee's outcome: granted, refused or deferred.")
    label_name = (label_name or "").strip()
    if outcome == LabelDecision.Outcome.GRANTED and not label_name:
        errors["label_name"] = _("Give the name of the label granted.")
    if errors:
        raise ValidationError(errors)
    return LabelDecision.objects.create(
        accompaniment=accompaniment,
        committee_date=committee_date,
        outcome=outcome,
        label_name=label_name,
        comments=(comments or "").strip(),
    )


# --- seed funding


def record_seed_grant(accompaniment, actor, amount, funder, agreement_signed_on=None):
    """A seed grant; fundraising opens once its agreement is signed."""
    _check_may_record(actor, accompaniment)
    errors = {}
    try:
        amount = _euros(amount, "amount")
    except ValidationError as error:
        errors.update(error.message_dict)
    funder = (funder or "").strip()
    if not funder:
        errors["funder"] = _("Say who grants the money.")
    try:
        _past_or_today(
            agreement_signed_on,
            "agreement_signed_on",
            _("The agreement cannot be signed on a future date."),
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return SeedGrant.objects.create(
        accompaniment=accompaniment,
        amount=amount,
        funder=funder,
        agreement_signed_on=agreement_signed_on,
    )


def sign_agreement(grant, actor, signed_on):
    """Record the date the grant's agreement was signed."""
    _check_may_record(actor, grant.accompaniment)
    if not signed_on:
        raise ValidationError({"signed_on": _("Give the date the agreement was signed.")})
    _past_or_today(signed_on, "signed_on", _("The agreement cannot be signed on a future date."))
    SeedGrant.objects.filter(pk=grant.pk).update(agreement_signed_on=signed_on)
    grant.agreement_signed_on = signed_on
    return grant


# --- fundraising


def _check_instruments(instruments):
    instruments = list(dict.fromkeys(instruments or []))
    unknown = set(instruments) - set(Instrument.values)
    if unknown:
        raise ValidationError(
            {
                "instruments": _("Unknown instruments: %(names)s.")
                % {"names": ", ".join(sorted(unknown))}
            }
        )
    # Kept in the order of the list of instruments, whatever the order they were ticked in.
    return [value for value in Instrument.values if value in instruments]


def record_round(accompaniment, actor, target, instruments=()):
    """An open fundraising round: its target and the instruments it uses."""
    _check_may_record(actor, accompaniment)
    target = _euros(target, "target")
    instruments = _check_instruments(instruments)
    return FundraisingRound.objects.create(
        accompaniment=accompaniment, target=target, instruments=instruments
    )


def _locked_open_round(fundraising_round):
    locked = FundraisingRound.objects.select_for_update().get(pk=fundraising_round.pk)
    if locked.closed_on:
        raise ValidationError(
            _("This round was closed on %(day)s: it cannot change any more.")
            % {"day": formats.date_format(locked.closed_on, "j F Y")}
        )
    if locked.skipped_reason:
        raise ValidationError(_("This round was skipped: it cannot change any more."))
    return locked


def add_commitment(fundraising_round, actor, funder, amount):
    """What one funder committed in an open round."""
    _check_may_record(actor, fundraising_round.accompaniment)
    errors = {}
    funder = (funder or "").strip()
    if not funder:
        errors["funder"] = _("Say who commits the money.")
    try:
        amount = _euros(amount, "amount")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_open_round(fundraising_round)
        return FundraisingCommitment.objects.create(round=locked, funder=funder, amount=amount)


def committed(fundraising_round):
    """The sum of the round's commitments, to the cent (SQLite sums decimals as floats)."""
    return euros(fundraising_round.commitments.aggregate(total=Sum("amount"))["total"])


def close_round(fundraising_round, actor, closed_on, amount_raised=None):
    """Close a round on `closed_on`; the amount raised is the sum of its commitments unless
    given. A closed round lets the structure move on to impact measurement."""
    _check_may_record(actor, fundraising_round.accompaniment)
    if not closed_on:
        raise ValidationError({"closed_on": _("Give the date the round closed.")})
    _past_or_today(closed_on, "closed_on", _("A round cannot close on a future date."))
    with transaction.atomic():
        locked = _locked_open_round(fundraising_round)
        if amount_raised is None or amount_raised == "":
            amount_raised = committed(locked)
        else:
            amount_raised = _euros(amount_raised, "amount_raised", allow_zero=True)
        locked.closed_on = closed_on
        locked.amount_raised = amount_raised
        locked.save(update_fields=["closed_on", "amount_raised"])
        return locked


def skip_round(accompaniment, actor, reason, fundraising_round=None):
    """Skip fundraising with a reason: the open round given, or a new round with no target
    when the structure needs no fundraising at all. Lets it move on to impact measurement."""
    _check_may_record(actor, accompaniment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the structure does not raise funds.")})
    with transaction.atomic():
        if fundraising_round is None:
            return FundraisingRound.objects.create(
                accompaniment=accompaniment, target=Decimal("0"), skipped_reason=reason
            )
        if fundraising_round.accompaniment_id != accompaniment.pk:
            raise ValueError("this round belongs to another accompaniment")
        locked = _locked_open_round(fundraising_round)
        locked.skipped_reason = reason
        locked.save(update_fields=["skipped_reason"])
        return locked
