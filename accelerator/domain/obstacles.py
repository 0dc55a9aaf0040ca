"""Regulatory obstacles: recorded by a structure or staff, then moved by staff through their
states, each move with a comment. The one place an obstacle changes state."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from accelerator.domain.journey import TransitionRefused
from accelerator.models import OBSTACLE_TRANSITIONS, ObstacleEvent, RegulatoryObstacle


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
            ObstacleEvent.objects.create(
                obstacle=locked,
                actor=actor,
                name=name,
                source=source,
                target=locked.state,
                comment=comment,
            )
    except ConcurrentTransition as error:
        raise TransitionRefused(
            _("Someone else moved this obstacle at the same moment. Reload the page.")
        ) from error
    return locked
