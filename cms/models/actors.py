"""The territory's actors: who they are, what they offer structures, who manages their entry, and
the moderation that puts an entry in the public directory (`cms.domain.moderation`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accelerator.models import Department, TransitionLog


class Theme(models.TextChoices):
    """The themes shared by the directory and the agenda."""

    EMPLOYMENT = "employment", _("Employment")
    CIRCULAR_ECONOMY = "circular_economy", _("Recycling and circular economy")
    EDUCATION = "education", _("Education")
    DIGITAL = "digital", _("Digital")
    TERRITORIAL_DEVELOPMENT = "territorial_development", _("Territorial development")
    MOBILITY = "mobility", _("Mobility")
    FOOD = "food", _("Food")
    CULTURE = "culture", _("Culture")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other")


class ActorKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    ESS_COMPANY = "ess_company", _("ESS company")
    PUBLIC_BODY = "public_body", _("Public body")
    UNIVERSITY = "university", _("University or school")
    EXPERT = "expert", _("Expert")
    MEDIA = "media", _("Media")
    FUNDER = "funder", _("Funder")


class Offer(models.TextChoices):
    """What an actor offers structures."""

    ACCOMPANIMENT = "accompaniment", _("Accompaniment")
    FUNDING = "funding", _("Funding")
    PREMISES = "premises", _("Premises")
    EXPERTISE = "expertise", _("Expertise")
    VOLUNTEERING = "volunteering", _("Volunteering")


class ModerationState(models.TextChoices):
    """Where a proposal stands with the moderators: an actor's entry or an agenda entry."""

    PROPOSED = "proposed", _("Waiting for moderation")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Rejected")


M = ModerationState


class Actor(ConcurrentTransitionMixin, models.Model):
    """An actor of the territory in the public directory, once staff approve it. Its state changes
    only through the transitions below, run by `cms.domain.moderation`."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="actors",
        verbose_name=_("département"),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # The people who keep the entry up to date, once staff approved it.
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_actors",
        blank=True,
        verbose_name=_("managed by"),
    )
    state = FSMField(_("state"), default=M.PROPOSED, choices=M.choices, protected=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["state", "name"])]

    def __str__(self):
        return self.name

    @transition(field=state, source=[M.PROPOSED, M.REJECTED], target=M.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=M.PROPOSED, target=M.CHANGES_REQUESTED)
    def request_changes(self):
        pass

    @transition(field=state, source=[M.PROPOSED, M.APPROVED], target=M.REJECTED)
    def reject(self):
        pass

    @transition(field=state, source=M.CHANGES_REQUESTED, target=M.PROPOSED)
    def resubmit(self):
        pass


class ActorTheme(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)

    class Meta:
        verbose_name = _("theme of an actor")
        verbose_name_plural = _("themes of actors")
        constraints = [
            models.UniqueConstraint(fields=["actor", "theme"], name="cms_actor_theme_once")
        ]
        indexes = [models.Index(fields=["theme", "actor"])]

    def __str__(self):
        return self.get_theme_display()


class ActorOffer(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="offers")
    offer = models.CharField(_("offer"), max_length=20, choices=Offer.choices)

    class Meta:
        verbose_name = _("offer of an actor")
        verbose_name_plural = _("offers of actors")
        constraints = [
            models.UniqueConstraint(fields=["actor", "offer"], name="cms_actor_offer_once")
        ]
        indexes = [models.Index(fields=["offer", "actor"])]

    def __str__(self):
        return self.get_offer_display()


class ActorModerationLog(TransitionLog):
    """Each moderation move of an actor's entry, with the moderator's message."""

    subject_field = "actor_entry"

    actor_entry = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="moderation")
    source = models.CharField(max_length=20, choices=M.choices)
    target = models.CharField(max_length=20, choices=M.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("moderation of an actor")
        verbose_name_plural = _("moderation of actors")
