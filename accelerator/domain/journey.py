"""The accompaniment journey's machine, declared for the one runner
(`accelerator.domain.transitions`): its conditions, its after-step and its notices, and
`change_stage`, which every caller goes through.

Also the funding records the conditions read (disbursements of a seed grant).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.followup import open_stage_milestones
from accelerator.domain.impact_reports import impact_report_validated, schedule_reports
from accelerator.domain.members import acting_members
from accelerator.domain.reminders import DEADLINES
from accelerator.domain.transitions import (
    Machine,
    TransitionRefused,  # noqa: F401 (callers import it here)
    reasons,
    run,
)
from accelerator.models import (
    ADVANCE,
    TRANSITIONS,
    Accompaniment,
    AccompanimentTransition,
    Disbursement,
    FundraisingRound,
    LabelDecision,
    Milestone,
    SeedGrant,
    Stage,
)
from accelerator.money import euros
from workers.outbox import queue_email
from workers.reminders import notify

# --- conditions: each returns the reasons to refuse (empty when the transition may happen).


def diagnostic_done(accompaniment, actor, comment, data):
    done = Milestone.objects.filter(
        accompaniment=accompaniment,
        kind=Milestone.Kind.DIAGNOSTIC,
        status=Milestone.Status.DONE,
    ).exists()
    if done:
        return []
    return [_("A diagnostic milestone must be done before labelling.")]


def label_granted(accompaniment, actor, comment, data):
    granted = LabelDecision.objects.filter(
        accompaniment=accompaniment, outcome=LabelDecision.Outcome.GRANTED
    ).exists()
    if granted:
        return []
    return [
        _(
            "A labelling committee decision “granted” must be recorded before seed funding "
            "(committee date, outcome, label name)."
        )
    ]


def seed_grant_signed(accompaniment, actor, comment, data):
    signed = SeedGrant.objects.filter(
        accompaniment=accompaniment, agreement_signed_on__isnull=False
    ).exists()
    if signed:
        return []
    return [
        _(
            "A seed grant with its signed agreement must be recorded before fundraising "
            "(amount, funder, date the agreement was signed)."
        )
    ]


def fundraising_round_ended(accompaniment, actor, comment, data):
    ended = (
        FundraisingRound.objects.filter(accompaniment=accompaniment)
        .filter(Q(closed_on__isnull=False) | ~Q(skipped_reason=""))
        .exists()
    )
    if ended:
        return []
    return [
        _(
            "A fundraising round must be closed (with its closing date) or skipped with a reason "
            "before impact measurement."
        )
    ]


def reason_given(accompaniment, actor, comment, data):
    if (data.get("reason") or "").strip():
        return []
    return [_("Please give the reason why the structure leaves the programme.")]


# Checked against what the person types with the move, not against what is recorded: a page
# cannot know it before the post, so it never shows the move disabled for it.
reason_given.reads_input = True


def _notify(accompaniment, log):
    """Tell the structure's owners and editors, in their language, through the outbox and in
    their bell."""
    structure = accompaniment.structure
    link = reverse("accelerator:structure_journey", args=[structure.pk])
    for user in acting_members(accompaniment.structure_id):
        with translation.override(user.language):
            source_label = str(Stage(log.source).label)
            target_label = str(Stage(log.target).label)
            text = _("%(name)s moves to “%(stage)s”") % {
                "name": structure.name,
                "stage": target_label,
            }
        message = queue_email(
            key=f"stage-changed:{log.pk}:{user.pk}",
            to=user.email,
            template="accelerator/email/stage_changed",
            context={
                "structure": accompaniment.structure,
                "cohort": accompaniment.cohort,
                "source_label": source_label,
                "target_label": target_label,
                "comment": log.comment,
            },
            language=user.language,
        )
        notify(
            user,
            topic=DEADLINES.name,
            text=text,
            link=link,
            about=f"accompaniment:{accompaniment.pk}",
            within=f"structure:{structure.pk}",
            email=message,
        )


def _open_stage(accompaniment, log):
    # A resumed stage finds its milestones and reports already there: each is opened once.
    open_stage_milestones(accompaniment, actor=log.actor)
    if log.target == Stage.IMPACT_MEASUREMENT:
        schedule_reports(accompaniment)


JOURNEY = Machine(
    model=Accompaniment,
    log_model=AccompanimentTransition,
    field="stage",
    permission="accelerator.move_accompaniment",
    select_related=("cohort", "structure"),
    # Checked on the locked row, once the accompaniment's stage allows the transition.
    conditions={
        "start_labelling": [diagnostic_done],
        "start_seed_funding": [label_granted],
        "start_fundraising": [seed_grant_signed],
        "start_impact_measurement": [fundraising_round_ended],
        "graduate": [impact_report_validated],
        "exit": [reason_given],
    },
    arguments={"exit": ("reason",)},
    # The reason a structure leaves is the log's comment when staff wrote none.
    comment_argument={"exit": "reason"},
    after=_open_stage,
    notify=_notify,
    refused_message=gettext_lazy(
        "This structure is in “%(stage)s”: it cannot be moved this way now."
    ),
    concurrent_message=gettext_lazy(
        "Someone else moved this structure at the same moment. Reload the page and try again."
    ),
)


def next_stage_needs(accompaniment):
    """What the next stage needs now: (transition name, reasons it would be refused), or
    (None, []) when the structure is paused, has left or is alumni. For the structure's page and
    the staff board; the reasons are the ones `change_stage` gives."""
    name = ADVANCE.get(accompaniment.stage)
    if name is None:
        return None, []
    return name, reasons(JOURNEY, accompaniment, name)


def moves_offered(accompaniment):
    """The moves the machine offers from the accompaniment's stage, in the machine's order, each
    as (name, reasons): the reasons its recorded conditions refuse it now, the very messages
    `change_stage` gives (empty: it may be made). A few queries per move, whatever the records'
    size."""
    available = {t.name for t in accompaniment.get_available_stage_transitions()}
    moves = []
    for name in TRANSITIONS:
        if name not in available:
            continue
        unmet = [
            reason
            for check in JOURNEY.conditions.get(name, ())
            if not getattr(check, "reads_input", False)
            for reason in check(accompaniment, None, "", {})
        ]
        moves.append((name, unmet))
    return moves


def change_stage(accompaniment, name, actor, comment="", **data):
    """Run transition `name` on `accompaniment` for `actor`. Returns the updated accompaniment.

    `data` carries what a transition needs (`reason` for `exit`). Raises PermissionDenied when the
    actor may not move the structure, TransitionRefused when the stage or a condition forbids it
    (also when the accompaniment given is stale or a concurrent request changed the stage first).
    """
    return run(JOURNEY, accompaniment, name, actor, comment, data=data)


def disburse(grant, amount, paid_on, actor):
    """Record a payment of `grant`. Refuses, with a clear message, a payment that would make the
    payments exceed the grant; the grant's row lock runs concurrent payments one after the other."""
    if not actor.has_perm("accelerator.move_accompaniment", grant.accompaniment):
        raise PermissionDenied
    amount = euros(amount)
    if amount <= 0:
        raise ValidationError(_("A payment must be a positive amount."))
    with transaction.atomic():
        locked = SeedGrant.objects.select_for_update().get(pk=grant.pk)
        paid = euros(locked.disbursements.aggregate(total=Sum("amount"))["total"])
        if paid + amount > locked.amount:
            raise ValidationError(
                _(
                    "This payment of %(amount)s € would exceed the grant: %(grant)s € granted, "
                    "%(paid)s € already paid, %(left)s € left."
                )
                % {
                    "amount": amount,
                    "grant": locked.amount,
                    "paid": paid,
                    "left": locked.amount - paid,
                }
            )
        return Disbursement.objects.create(grant=locked, amount=amount, paid_on=paid_on)
