"""Structures of the ESS and their members: roles, invitations, join requests."""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accelerator import identifiers
from accelerator.models.territories import Department


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association (loi 1901)")
    SCOP = "scop", _("SCOP")
    SCIC = "scic", _("SCIC")
    COOPERATIVE = "cooperative", _("Other cooperative")
    MUTUAL = "mutual", _("Mutuelle")
    FOUNDATION = "foundation", _("Foundation")
    ESUS_COMPANY = "esus_company", _("SAS/SARL with ESUS agrément")
    OTHER = "other", _("Other")


class Structure(models.Model):
    """An applicant or accompanied organisation of the social and solidarity economy."""

    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    siret = models.CharField(
        _("SIREN or SIRET"),
        max_length=14,
        unique=True,
        validators=[identifiers.validate_siren_or_siret],
        help_text=_("9 digits (SIREN) or 14 digits (SIRET)."),
    )
    rna = models.CharField(
        _("RNA number"),
        max_length=10,
        blank=True,
        validators=[identifiers.validate_rna],
        help_text=_("W followed by 9 digits. Associations of Alsace-Moselle have none."),
    )
    esus_approved = models.BooleanField(_("ESUS agrément"), default=False)
    esus_approved_on = models.DateField(_("ESUS agrément date"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="structures",
        verbose_name=_("département"),
    )
    creation_year = models.PositiveSmallIntegerField(
        _("creation year"), validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    annual_budget = models.DecimalField(
        _("annual budget (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="structures"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(esus_approved=True) | Q(esus_approved_on__isnull=True),
                name="structure_esus_date_needs_agrement",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Every model form (the admin's too) and the domain store the one compact form, so the
        # unique SIRET also holds for “７３２…” or “732 829 320 00074”.
        self.siret = identifiers.normalise_siret(self.siret)
        self.rna = identifiers.normalise_rna(self.rna)

    @property
    def siren(self):
        return self.siret[:9]

    def age_in_years(self, on=None):
        on = on or timezone.localdate()
        return on.year - self.creation_year


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("structure")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    # The support point of the territory sees a member's name and e-mail only when the owners
    # name them a contact: no one by default (RGPD, minimal data).
    is_contact = models.BooleanField(
        _("contact for the support point"),
        default=False,
        help_text=_("The support point of the territory sees the name and e-mail of contacts."),
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["structure", "user"], name="membership_unique_user")
        ]

    def __str__(self):
        return f"{self.user} — {self.structure} ({self.get_role_display()})"

    @property
    def can_edit(self):
        return self.role in (MemberRole.OWNER, MemberRole.EDITOR)


def _new_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation, sent by e-mail, to join a structure with a role; the link expires."""

    VALIDITY = timedelta(days=7)

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("structure")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # Inviting the same address again renews the pending invitation instead of adding one.
            models.UniqueConstraint(
                fields=["structure", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.structure}"

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at


class JoinRequest(models.Model):
    """A request to join an existing structure, by someone who found its SIRET already taken."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("structure"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "user"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.structure}"
