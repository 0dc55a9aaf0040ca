"""Regulatory obstacles: recorded by a structure or staff, then moved by staff through their
states, each move with a comment, its structure told by e-mail. The one place an obstacle changes
state; also the staff file of every obstacle ("simplification de la réglementation")."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, can_proceed

from accelerator.domain.journey import TransitionRefused
from accelerator.domain.members import acting_members
from accelerator.models import (
    OBSTACLE_TRANSITIONS,
    OPEN_OBSTACLE_STATES,
    ObstacleEvent,
    ObstacleState,
    RegulatoryObstacle,
)
from workers.outbox import absolute_url, queue_email


def report_obstacle(accompaniment, actor, regulation, blocks, proposed_change=""):
    if not actor.has_perm("accelerator.report_obstacle", accompaniment):
        raise PermissionDenied
    errors = {}
    if not (regulation or "").strip():
        errors["regulation"] = _("Say which text blocks the project (code, article, decree).")
    if not (blocks or "").strip():
        errors["blocks"] = _("Say what this regulation blocks.")
    if errors:
        raise ValidationError(errors)
    return RegulatoryObstacle.objects.create(
        accompaniment=accompaniment,
        regulation=regulation.strip(),
        blocks=blocks.strip(),
        proposed_change=(proposed_change or "").strip(),
        reported_by=actor,
    )


def change_obstacle_state(obstacle, name, actor, comment):
    """Run transition `name` (review, escalate, resolve, close) with its required comment."""
    if not actor.has_perm("accelerator.move_obstacle", obstacle.accompaniment):
        raise PermissionDenied
    if name not in OBSTACLE_TRANSITIONS:
        raise ValueError(f"{name} is not a transition of an obstacle")
    comment = (comment or "").strip()
    if not comment:
        raise TransitionRefused(_("Please add a comment: it tells the structure what happened."))
    try:
        with transaction.atomic():
            locked = RegulatoryObstacle.objects.select_for_update().get(pk=obstacle.pk)
            method = getattr(locked, name)
            if locked.state != obstacle.state or not can_proceed(method):
                raise TransitionRefused(
                    _("This obstacle is “%(state)s”: it cannot be moved this way now.")
                    % {"state": locked.get_state_display()}
                )
            source = locked.state
            method()
            locked.save()
            event = ObstacleEvent.objects.create(
                obstacle=locked,
                actor=actor,
                name=name,
                source=source,
                target=locked.state,
                comment=comment,
            )
            _notify(locked, event)
    except ConcurrentTransition as error:
        raise TransitionRefused(
            _("Someone else moved this obstacle at the same moment. Reload the page.")
        ) from error
    return locked


def _recipients(obstacle, event):
    """The structure's owners and editors, and whoever reported the obstacle, each once; never
    the person who made the move (they know)."""
    people = acting_members(obstacle.accompaniment.structure_id)
    if obstacle.reported_by is not None and obstacle.reported_by.is_active:
        people.append(obstacle.reported_by)
    seen, recipients = set(), []
    for user in people:
        if user.pk in seen or user.pk == event.actor_id or not user.email:
            continue
        seen.add(user.pk)
        recipients.append(user)
    return recipients


def _notify(obstacle, event):
    """Queue one e-mail per recipient, in their language, in the move's transaction. The key
    names the event and the recipient, so a retried move never sends twice."""
    url = absolute_url(reverse("accelerator:obstacle", kwargs={"pk": obstacle.pk}))
    for user in _recipients(obstacle, event):
        with translation.override(user.language):
            source_label = str(ObstacleState(event.source).label)
            target_label = str(ObstacleState(event.target).label)
        queue_email(
            key=f"obstacle-moved:{event.pk}:{user.pk}",
            to=user.email,
            template="accelerator/email/obstacle_moved",
            context={
                "structure": obstacle.accompaniment.structure,
                "cohort": obstacle.accompaniment.cohort,
                "regulation": obstacle.regulation,
                "source_label": source_label,
                "target_label": target_label,
                "comment": event.comment,
                "action_url": url,
                # Lazy: rendered in the recipient's language by queue_email.
                "action_label": gettext_lazy("See the obstacle"),
            },
            language=user.language,
        )


# --- reading: the staff file of every obstacle


def obstacle_file(state=None, cohort=None):
    """Every obstacle with what the staff list shows (structure, cohort, reporter, when it
    ended), newest first; filtered by state and cohort when given. One query per page."""
    obstacles = RegulatoryObstacle.objects.select_related(
        "accompaniment__structure__department",
        "accompaniment__cohort__programme",
        "reported_by",
    ).annotate(
        ended_at=Max(
            "events__at",
            filter=Q(events__target__in=[ObstacleState.RESOLVED, ObstacleState.CLOSED]),
        )
    )
    if cohort is not None:
        obstacles = obstacles.filter(accompaniment__cohort=cohort)
    if state:
        obstacles = obstacles.filter(state=state)
    return obstacles.order_by("-reported_at", "-pk")


def state_counts(cohort=None):
    """How many obstacles are in each state (of `cohort` when given), every state present."""
    obstacles = RegulatoryObstacle.objects.all()
    if cohort is not None:
        obstacles = obstacles.filter(accompaniment__cohort=cohort)
    counts = dict.fromkeys(ObstacleState.values, 0)
    for row in obstacles.order_by().values("state").annotate(count=Count("pk")):
        counts[row["state"]] = row["count"]
    return counts


def days_open(obstacle, today=None):
    """Days from the report to its end (resolved or closed), or to `today` while it is open;
    counted in Paris days. An ended obstacle needs `ended_at` (see `obstacle_file`) or is read
    from its events."""
    reported = timezone.localtime(obstacle.reported_at).date()
    if obstacle.state in OPEN_OBSTACLE_STATES:
        end = today or timezone.localdate()
    else:
        ended_at = getattr(obstacle, "ended_at", None)
        if ended_at is None:
            ended_at = (
                obstacle.events.filter(target=obstacle.state).aggregate(at=Max("at"))["at"]
                or obstacle.reported_at
            )
        end = timezone.localtime(ended_at).date()
    return max((end - reported).days, 0)
