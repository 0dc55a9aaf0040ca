"""The territorial agenda: events, actions and initiatives proposed by anyone signed in and
published once staff approve them (`cms.domain.moderation`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accelerator.models import Department, Structure, TransitionLog
from cms.models.actors import Actor, ModerationState, Theme

M = ModerationState


class EntryKind(models.TextChoices):
    EVENT = "event", _("Event")
    ACTION = "action", _("Action")
    INITIATIVE = "initiative", _("Initiative")


class AgendaEntry(ConcurrentTransitionMixin, models.Model):
    """One entry of the agenda. `starts_at` and `ends_at` are aware; an entry without times
    (`all_day`, an action over a period) runs from the first day's midnight to the last day's,
    in Paris. Its state changes only through the transitions below."""

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=200)
    # HTML sanitised on the way in (cms.domain.text).
    description = models.TextField(_("description"))
    organiser_actor = models.ForeignKey(
        Actor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_entries",
        verbose_name=_("organising actor"),
    )
    organiser_structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_entries",
        verbose_name=_("organising structure"),
    )
    # Who organises it when neither is in Essor.
    organiser_name = models.CharField(_("organiser"), max_length=200, blank=True)
    co_organisers = models.ManyToManyField(
        Actor, related_name="co_organised_entries", blank=True, verbose_name=_("co-organisers")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(_("whole days"), default=False)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="agenda_entries",
        verbose_name=_("département"),
    )
    registration_link = models.URLField(_("registration link"), blank=True)
    image = models.ImageField(_("image"), upload_to="agenda/%Y/%m/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=250, blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposed_agenda_entries",
        verbose_name=_("proposed by"),
    )
    state = FSMField(_("state"), default=M.PROPOSED, choices=M.choices, protected=True)
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("agenda entry")
        verbose_name_plural = _("agenda entries")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["state", "ends_at", "starts_at"]),
            models.Index(fields=["state", "department", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="cms_agenda_entry_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def organiser(self):
        """The actor or structure that organises the entry, or its name."""
        return self.organiser_actor or self.organiser_structure or self.organiser_name

    @transition(field=state, source=[M.PROPOSED, M.REJECTED], target=M.APPROVED)
    def approve(self):
        # Feeds and "new" lists date an entry from its publication.
        self.published_at = timezone.now()

    @transition(field=state, source=M.PROPOSED, target=M.CHANGES_REQUESTED)
    def request_changes(self):
        pass

    @transition(field=state, source=[M.PROPOSED, M.APPROVED], target=M.REJECTED)
    def reject(self):
        pass

    @transition(field=state, source=M.CHANGES_REQUESTED, target=M.PROPOSED)
    def resubmit(self):
        pass


class EntryTheme(models.Model):
    entry = models.ForeignKey(AgendaEntry, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)

    class Meta:
        verbose_name = _("theme of an agenda entry")
        verbose_name_plural = _("themes of agenda entries")
        constraints = [
            models.UniqueConstraint(fields=["entry", "theme"], name="cms_entry_theme_once")
        ]
        indexes = [models.Index(fields=["theme", "entry"])]

    def __str__(self):
        return self.get_theme_display()


class EntryModerationLog(TransitionLog):
    """Each moderation move of an agenda entry, with the moderator's message."""

    subject_field = "entry"

    entry = models.ForeignKey(AgendaEntry, on_delete=models.CASCADE, related_name="moderation")
    source = models.CharField(max_length=20, choices=M.choices)
    target = models.CharField(max_length=20, choices=M.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("moderation of an agenda entry")
        verbose_name_plural = _("moderation of agenda entries")


# Moves a moderator makes, in the order the queue offers them.
MODERATOR_MOVES = ["approve", "request_changes", "reject"]
