"""Regulatory obstacles: recorded by a structure or staff, then moved by staff through their
states, each move with a comment, its structure told by e-mail. The obstacle's machine, declared
for the one runner (`accelerator.domain.transitions`), and `change_obstacle_state`, which every
caller goes through; also the staff file of every obstacle ("simplification de la
réglementation")."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.members import acting_members
from accelerator.domain.reminders import DEADLINES
from accelerator.domain.transitions import Machine, run
from accelerator.models import (
    OBSTACLE_TRANSITIONS,
    OPEN_OBSTACLE_STATES,
    ObstacleEvent,
    ObstacleState,
    RegulatoryObstacle,
)
from workers.outbox import absolute_url, queue_email
from workers.reminders import notify


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
    link = reverse("accelerator:obstacle", kwargs={"pk": obstacle.pk})
    url = absolute_url(link)
    structure = obstacle.accompaniment.structure
    for user in _recipients(obstacle, event):
        with translation.override(user.language):
            source_label = str(ObstacleState(event.source).label)
            target_label = str(ObstacleState(event.target).label)
            text = _("%(name)s: the regulatory obstacle is now “%(state)s”") % {
                "name": structure.name,
                "state": target_label,
            }
        message = queue_email(
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
        notify(
            user,
            topic=DEADLINES.name,
            text=text,
            link=link,
            about=f"obstacle:{obstacle.pk}",
            within=f"structure:{structure.pk}",
            email=message,
        )


def comment_given(obstacle, actor, comment, data):
    if comment.strip():
        return []
    return [_("Please add a comment: it tells the structure what happened.")]


OBSTACLE = Machine(
    model=RegulatoryObstacle,
    log_model=ObstacleEvent,
    permission="accelerator.move_obstacle",
    permission_on="accompaniment",
    # Every move tells the structure why; asked before the row is locked, as it reads nothing.
    requirements=dict.fromkeys(OBSTACLE_TRANSITIONS, [comment_given]),
    notify=_notify,
    refused_message=gettext_lazy("This obstacle is “%(state)s”: it cannot be moved this way now."),
    concurrent_message=gettext_lazy(
        "Someone else moved this obstacle at the same moment. Reload the page."
    ),
)


def change_obstacle_state(obstacle, name, actor, comment):
    """Run transition `name` (review, escalate, resolve, close) with its required comment."""
    return run(OBSTACLE, obstacle, name, actor, (comment or "").strip())


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
