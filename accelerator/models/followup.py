"""Around the journey: notes and documents with their audience, and regulatory obstacles with
their own small state machine (reported → under review → escalated → resolved or closed)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accelerator.models.journey import Accompaniment
from accelerator.models.transitions import TransitionLog
from accelerator.storage import private_storage


class Visibility(models.TextChoices):
    STAFF = "staff", _("Programme staff only")
    SUPPORT_POINT = "support_point", _("Staff and the support point")
    EVERYONE = "everyone", _("Everyone, including the structure")


class Note(models.Model):
    """A note on an accompaniment, seen by the audience its author chose."""

    accompaniment = models.ForeignKey(Accompaniment, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"))
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=Visibility.choices, default=Visibility.STAFF
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.body[:60]


def document_path(instance, filename):
    return f"accompaniments/{instance.accompaniment_id}/{filename}"


class Document(models.Model):
    """A file kept with an accompaniment (agreement, diagnostic, minutes), stored privately and
    served after a check of its audience."""

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=document_path, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=Visibility.choices, default=Visibility.STAFF
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title


class ObstacleState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    UNDER_REVIEW = "under_review", _("Under review")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


O = ObstacleState  # noqa: E741 (short name for the transitions below, like S in journey_models)


class RegulatoryObstacle(ConcurrentTransitionMixin, models.Model):
    """A regulation that blocks an accompanied project ("simplification de la réglementation").
    Its state changes only through the transitions below, called by
    `accelerator.domain.obstacles.change_obstacle_state`."""

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="obstacles"
    )
    regulation = models.TextField(
        _("regulation concerned"),
        help_text=_("The text concerned: code, article, decree, local rule."),
    )
    blocks = models.TextField(_("what it blocks"))
    proposed_change = models.TextField(_("proposed change"), blank=True)
    state = FSMField(_("state"), default=O.REPORTED, choices=ObstacleState.choices, protected=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("regulatory obstacle")
        verbose_name_plural = _("regulatory obstacles")
        ordering = ["-reported_at", "-pk"]

    def __str__(self):
        return self.regulation[:60]

    @transition(field=state, source=O.REPORTED, target=O.UNDER_REVIEW)
    def review(self):
        pass

    @transition(field=state, source=O.UNDER_REVIEW, target=O.ESCALATED)
    def escalate(self):
        pass

    @transition(field=state, source=[O.UNDER_REVIEW, O.ESCALATED], target=O.RESOLVED)
    def resolve(self):
        pass

    @transition(field=state, source=[O.REPORTED, O.UNDER_REVIEW, O.ESCALATED], target=O.CLOSED)
    def close(self):
        pass


OBSTACLE_TRANSITIONS = ["review", "escalate", "resolve", "close"]
OPEN_OBSTACLE_STATES = [O.REPORTED, O.UNDER_REVIEW, O.ESCALATED]


class ObstacleEvent(TransitionLog):
    """The log of an obstacle: each move, who made it, when, and the comment it required."""

    subject_field = "obstacle"

    obstacle = models.ForeignKey(
        RegulatoryObstacle, on_delete=models.CASCADE, related_name="events"
    )
    source = models.CharField(max_length=20, choices=ObstacleState.choices)
    target = models.CharField(max_length=20, choices=ObstacleState.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("obstacle event")
        verbose_name_plural = _("obstacle events")
