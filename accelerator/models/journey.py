"""Cohorts and the accompaniment journey: the programme's state machine, read in this one file."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from accelerator.models.transitions import TransitionLog


class Stage(models.TextChoices):
    SOURCING = "sourcing", _("Sourcing")
    LABELLING = "labelling", _("Labelling")
    SEED_FUNDING = "seed_funding", _("Seed funding")
    FUNDRAISING = "fundraising", _("Fundraising")
    IMPACT_MEASUREMENT = "impact_measurement", _("Impact measurement")
    ALUMNI = "alumni", _("Alumni")
    PAUSED = "paused", _("Paused")
    EXITED = "exited", _("Exited")


S = Stage
# The five stages of the programme, in order, then alumni.
JOURNEY = [S.SOURCING, S.LABELLING, S.SEED_FUNDING, S.FUNDRAISING, S.IMPACT_MEASUREMENT, S.ALUMNI]
# Every stage, for lists and boards: the journey in its order, then the two stages off it.
STAGE_ORDER = [*JOURNEY, S.PAUSED, S.EXITED]
# Stages a structure can be paused in (and resumed to).
ACTIVE_STAGES = [S.SOURCING, S.LABELLING, S.SEED_FUNDING, S.FUNDRAISING, S.IMPACT_MEASUREMENT]


class Source(models.TextChoices):
    CALL = "call", _("Call for applications")
    INNOVATION_LAB = "innovation_lab", _("Innovation lab")
    PARTNER_NETWORK = "partner_network", _("Partner network")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class Cohort(models.Model):
    """A group of structures accompanied together by a programme."""

    programme = models.ForeignKey(
        "accelerator.Programme",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=15)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    referents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="referent_of_cohorts",
        blank=True,
        limit_choices_to={"is_staff": True},
        verbose_name=_("référents"),
    )
    # Reminders of this cohort (accelerator.domain.reminders); 0 turns one off.
    remind_milestone_days = models.PositiveSmallIntegerField(
        _("reminder before a milestone is due (days)"), default=7
    )
    remind_report_days = models.PositiveSmallIntegerField(
        _("reminder before an impact report is due (days)"), default=14
    )
    stalled_after_days = models.PositiveSmallIntegerField(
        _("a stage is stalled after (days)"),
        default=60,
        help_text=_("The référent is told when a structure stays longer in one stage."),
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.name} ({self.year})"


class Accompaniment(ConcurrentTransitionMixin, models.Model):
    """A structure accompanied in a cohort. Its stage changes only through the transitions below,
    called by `accelerator.domain.journey.change_stage`."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="accompaniments", verbose_name=_("cohort")
    )
    structure = models.ForeignKey(
        "accelerator.Structure",
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name=_("structure"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # For a call, the dossier's reference: the applications side keeps the link to the dossier.
    source_reference = models.CharField(_("source reference"), max_length=100, blank=True)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accompaniments",
        limit_choices_to={"is_staff": True},
        verbose_name=_("référent"),
    )
    support_point = models.ForeignKey(
        "accelerator.SupportPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accompaniments",
        verbose_name=_("support point"),
    )
    stage = FSMField(
        _("stage"), default=S.SOURCING, choices=Stage.choices, protected=True, db_index=True
    )
    paused_from = models.CharField(
        _("paused from"), max_length=20, choices=Stage.choices, blank=True
    )
    exit_reason = models.TextField(_("reason for leaving"), blank=True)
    stage_entered_at = models.DateTimeField(_("stage entered at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("accompaniment")
        verbose_name_plural = _("accompaniments")
        ordering = ["structure__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "structure"], name="accompaniment_unique_structure"
            )
        ]

    def __str__(self):
        return f"{self.structure} — {self.cohort}"

    def _entered(self):
        self.stage_entered_at = timezone.now()

    # --- the machine: every transition is written out here. Conditions that need the database
    # (milestones, decisions, grants, rounds) are checked by change_stage on the locked row.

    @transition(field=stage, source=S.SOURCING, target=S.LABELLING)
    def start_labelling(self):
        self._entered()

    @transition(field=stage, source=S.LABELLING, target=S.SEED_FUNDING)
    def start_seed_funding(self):
        self._entered()

    @transition(field=stage, source=S.SEED_FUNDING, target=S.FUNDRAISING)
    def start_fundraising(self):
        self._entered()

    @transition(field=stage, source=S.FUNDRAISING, target=S.IMPACT_MEASUREMENT)
    def start_impact_measurement(self):
        self._entered()

    @transition(field=stage, source=S.IMPACT_MEASUREMENT, target=S.ALUMNI)
    def graduate(self):
        self._entered()

    @transition(field=stage, source=ACTIVE_STAGES, target=S.PAUSED)
    def pause(self):
        self.paused_from = self.stage
        self._entered()

    @transition(field=stage, source=S.PAUSED, target=RETURN_VALUE(*ACTIVE_STAGES))
    def resume(self):
        left = self.paused_from
        self.paused_from = ""
        self._entered()
        return left

    @transition(field=stage, source=[*ACTIVE_STAGES, S.ALUMNI, S.PAUSED], target=S.EXITED)
    def exit(self, reason=""):
        self.exit_reason = reason
        self.paused_from = ""
        self._entered()


# The transition that moves a structure to the next stage, by current stage.
ADVANCE = {
    S.SOURCING: "start_labelling",
    S.LABELLING: "start_seed_funding",
    S.SEED_FUNDING: "start_fundraising",
    S.FUNDRAISING: "start_impact_measurement",
    S.IMPACT_MEASUREMENT: "graduate",
}
TRANSITIONS = [*ADVANCE.values(), "pause", "resume", "exit"]


class AccompanimentTransition(TransitionLog):
    """The log of an accompaniment's stage changes: who, when, from, to, and why."""

    subject_field = "accompaniment"

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="transitions"
    )
    source = models.CharField(max_length=20, choices=Stage.choices)
    target = models.CharField(max_length=20, choices=Stage.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("accompaniment transition")
        verbose_name_plural = _("accompaniment transitions")


class MilestoneOwner(models.TextChoices):
    STRUCTURE = "structure", _("The structure")
    STAFF = "staff", _("Programme staff")


class MilestoneKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    OTHER = "other", _("Other")


class MilestoneTemplate(models.Model):
    """A milestone every structure of a programme meets when it enters a stage: entering the stage
    creates it, due a number of days later (`accelerator.domain.followup.open_stage_milestones`)."""

    programme = models.ForeignKey(
        "accelerator.Programme",
        on_delete=models.CASCADE,
        related_name="milestone_templates",
        verbose_name=_("programme"),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=[(s.value, s.label) for s in ACTIVE_STAGES]
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_after_days = models.PositiveSmallIntegerField(
        _("due (days after the stage starts)"), null=True, blank=True
    )
    owner = models.CharField(
        _("who does it"),
        max_length=10,
        choices=MilestoneOwner.choices,
        default=MilestoneOwner.STRUCTURE,
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=MilestoneKind.choices,
        default=MilestoneKind.OTHER,
        help_text=_("A done diagnostic milestone lets a structure move on to labelling."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active templates create milestones.")
    )

    class Meta:
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")
        ordering = ["programme", "stage", "position", "pk"]

    def __str__(self):
        return f"{self.get_stage_display()} — {self.title}"


class Milestone(models.Model):
    """A step an accompanied structure takes within a stage (the diagnostic opens the journey).
    Created from a template when the stage starts, or by hand."""

    Kind = MilestoneKind
    Owner = MilestoneOwner

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="milestones"
    )
    template = models.ForeignKey(
        MilestoneTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("template"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )
    owner = models.CharField(
        _("who does it"),
        max_length=10,
        choices=MilestoneOwner.choices,
        default=MilestoneOwner.STRUCTURE,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the status last changed to done or dropped, and by whom (for the timeline).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]
        constraints = [
            # Entering a stage twice (after a pause) never creates a template's milestone twice.
            models.UniqueConstraint(
                fields=["accompaniment", "template"], name="milestone_unique_template"
            )
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        """Open and past its due date (dates are days in Paris)."""
        if self.status != self.Status.OPEN or self.due_on is None:
            return False
        return self.due_on < (today or timezone.localdate())

    @classmethod
    def overdue_q(cls, today, prefix=""):
        """The database form of `is_overdue`; `prefix` reaches milestones from another model
        ("milestones__")."""
        return models.Q(**{f"{prefix}status": cls.Status.OPEN, f"{prefix}due_on__lt": today})


class LabelDecision(models.Model):
    """The labelling committee's decision on an accompanied structure."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        DEFERRED = "deferred", _("Deferred")

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="label_decisions"
    )
    committee_date = models.DateField(_("committee date"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    label_name = models.CharField(_("label name"), max_length=200, blank=True)
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        verbose_name = _("label decision")
        verbose_name_plural = _("label decisions")
        ordering = ["committee_date", "pk"]

    def __str__(self):
        return f"{self.label_name or self.accompaniment} — {self.get_outcome_display()}"


_positive = [MinValueValidator(Decimal("0.01"))]


class SeedGrant(models.Model):
    """Seed funding awarded to an accompanied structure, in euros."""

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="seed_grants"
    )
    amount = models.DecimalField(
        _("amount (€)"), max_digits=12, decimal_places=2, validators=_positive
    )
    funder = models.CharField(_("funder"), max_length=200)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("seed grant")
        verbose_name_plural = _("seed grants")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.funder}: {self.amount} €"


class Disbursement(models.Model):
    """A payment of a seed grant. Recorded through `accelerator.domain.journey.disburse`, which
    makes sure the payments never exceed the grant."""

    grant = models.ForeignKey(SeedGrant, on_delete=models.CASCADE, related_name="disbursements")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount (€)"), max_digits=12, decimal_places=2, validators=_positive
    )

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.paid_on}: {self.amount} €"


class Instrument(models.TextChoices):
    GRANT = "grant", _("Grant")
    HONOUR_LOAN = "honour_loan", _("Honour loan")
    SOLIDARITY_LOAN = "solidarity_loan", _("Solidarity loan")
    EQUITY = "equity", _("Equity")
    QUASI_EQUITY = "quasi_equity", _("Quasi-equity")
    DONATION = "donation", _("Donation")
    CROWDFUNDING = "crowdfunding", _("Crowdfunding")


class FundraisingRound(models.Model):
    """A fundraising round of an accompanied structure: closed, or skipped with a reason."""

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="fundraising_rounds"
    )
    target = models.DecimalField(_("target (€)"), max_digits=12, decimal_places=2)
    # A list of Instrument values.
    instruments = models.JSONField(_("instruments"), default=list, blank=True)
    amount_raised = models.DecimalField(
        _("amount raised (€)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    skipped_reason = models.TextField(_("reason for skipping"), blank=True)

    class Meta:
        verbose_name = _("fundraising round")
        verbose_name_plural = _("fundraising rounds")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.accompaniment}: {self.target} €"

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.instruments or []) - set(Instrument.values)
        if unknown:
            raise ValidationError(
                {
                    "instruments": _("Unknown instruments: %(names)s.")
                    % {"names": ", ".join(sorted(unknown))}
                }
            )


class FundraisingCommitment(models.Model):
    """What one funder committed in a fundraising round, in euros."""

    round = models.ForeignKey(
        FundraisingRound, on_delete=models.CASCADE, related_name="commitments"
    )
    funder = models.CharField(_("funder"), max_length=200)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=12, decimal_places=2, validators=_positive
    )

    class Meta:
        verbose_name = _("fundraising commitment")
        verbose_name_plural = _("fundraising commitments")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.funder}: {self.amount} €"
