"""The jury of a call: jurors, their conflicts, their assignments, review phases and reviews."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accelerator.models import Department
from applications.models.calls import Call, EvaluationCriterion
from applications.models.dossiers import Dossier


def _token():
    return secrets.token_urlsafe(32)


class JurorRole(models.TextChoices):
    MEMBER = "member", _("Member")
    PRESIDENT = "president", _("President")


class Juror(models.Model):
    """A person on a call's jury. Invited by e-mail; `user` is set when they accept."""

    INVITATION_VALIDITY = timedelta(days=14)

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jurors")
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jury_seats",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=JurorRole.choices, default=JurorRole.MEMBER
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département of origin"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    max_dossiers = models.PositiveIntegerField(
        _("maximum dossiers"), null=True, blank=True, help_text=_("Leave empty for the call's cap.")
    )

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["call", "email"]
        constraints = [
            models.UniqueConstraint(fields=["call", "email"], name="juror_unique_email_per_call"),
            models.UniqueConstraint(
                fields=["call", "user"],
                condition=Q(user__isnull=False),
                name="juror_unique_user_per_call",
            ),
        ]

    def __str__(self):
        return str(self.user or self.email)

    @property
    def has_accepted(self):
        return self.accepted_at is not None


class ConflictKind(models.TextChoices):
    NONE = "none", _("No conflict")
    MEMBER = "member", _("Member or employee of the structure")
    PARTNER = "partner", _("Partner or funder of the structure")
    PERSONAL = "personal", _("Personal or family tie")
    FINANCIAL = "financial", _("Financial interest")
    OTHER = "other", _("Other")


class ConflictDeclaration(models.Model):
    """A juror's answer, per dossier, before seeing its content: no conflict, or a typed one.
    A conflict is final: the dossier is hidden from the juror and out of their ranking."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(_("conflict"), max_length=12, choices=ConflictKind.choices)
    details = models.TextField(_("details"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "dossier"], name="conflict_one_per_juror_dossier"
            ),
            models.CheckConstraint(
                condition=~Q(kind="other") | ~Q(details=""), name="conflict_other_needs_details"
            ),
        ]

    def __str__(self):
        return f"{self.juror} / {self.dossier}: {self.kind}"

    @property
    def is_conflict(self):
        return self.kind != ConflictKind.NONE


class Assignment(models.Model):
    """A dossier given to a juror to review."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="assignments")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    automatic = models.BooleanField(default=False)
    # Set when the juror has been told (one grouped e-mail for all new assignments).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["juror", "dossier"], name="assignment_unique")
        ]

    def __str__(self):
        return f"{self.juror} → {self.dossier}"


class PeerScores(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_OWN = "after_own", _("After submitting their own review")
    ALWAYS = "always", _("Always")


class ReviewPhase(models.Model):
    """A period in which jurors review a call's dossiers, with its visibility rules."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="review_phases")
    name = models.CharField(_("name"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    presidents_only = models.BooleanField(_("only jury presidents review"), default=False)
    peer_scores = models.CharField(
        _("jurors see other jurors' scores"),
        max_length=10,
        choices=PeerScores.choices,
        default=PeerScores.NEVER,
    )
    blind = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Hide the structure's name, identifiers, members, partners and file names."),
    )

    class Meta:
        verbose_name = _("review phase")
        verbose_name_plural = _("review phases")
        ordering = ["call", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="review_phase_ordered"
            )
        ]

    def __str__(self):
        return self.name

    def is_active(self, now=None):
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class Recommendation(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class Review(models.Model):
    """A juror's review of an assigned dossier: draft until submitted, revisable while the phase
    is open."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    recommendation = models.CharField(
        _("recommendation"), max_length=5, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("overall comment"), blank=True)
    private_note = models.TextField(_("private note for staff"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"{self.assignment}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Score(models.Model):
    """The score of one criterion in one review; `value` is null when not applicable."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.CASCADE, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    comment = models.TextField(_("comment"), blank=True)
    # Staff choose which comments reach the applicant in the decision letter.
    shared_with_applicant = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="score_unique_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(value__isnull=True),
                name="score_na_has_no_value",
            ),
        ]

    def __str__(self):
        return "N/A" if self.not_applicable else str(self.value)


class DecisionOutcome(models.TextChoices):
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")


class DecisionLetterTemplate(models.Model):
    """The letter for one outcome of a call, with placeholders filled per dossier."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="letter_templates")
    outcome = models.CharField(_("outcome"), max_length=12, choices=DecisionOutcome.choices)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Placeholders: {structure}, {call}, {reference}, {feedback}, {rationale}, "
            "{dossier_url}."
        ),
    )

    class Meta:
        verbose_name = _("decision letter template")
        verbose_name_plural = _("decision letter templates")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "outcome"], name="letter_template_one_per_outcome"
            )
        ]

    def __str__(self):
        return f"{self.call}: {self.get_outcome_display()}"


class DecisionLetter(models.Model):
    """The letter prepared for one dossier: a held outbox message per recipient, edited by staff,
    then released with the others at a chosen time."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="decision_letter"
    )
    outcome = models.CharField(max_length=12, choices=DecisionOutcome.choices)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    prepared_at = models.DateTimeField(default=timezone.now)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    release_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")

    def __str__(self):
        return f"{self.dossier}: {self.get_outcome_display()}"

    def is_released(self, now=None):
        return self.release_at is not None and self.release_at <= (now or timezone.now())
