"""An accompaniment's timeline: stage changes, milestones, notes, documents and obstacles, merged
in time order and cut to what the reader may see. A constant number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

from accelerator.domain.followup import audience
from accelerator.domain.support_points import hidden_names
from accelerator.models import (
    AccompanimentTransition,
    Document,
    Milestone,
    Note,
    ObstacleEvent,
    RegulatoryObstacle,
    Visibility,
)
from accelerator.permissions import is_structure_member


@dataclass
class Entry:
    """One line of the timeline. `kind` names the template fragment that shows it: transition,
    milestone_added, milestone_closed, note, document, obstacle_reported, obstacle_moved."""

    at: datetime
    kind: str
    actor: object = None
    obj: object = None
    extra: dict = field(default_factory=dict)


def reads_contacts_only(user, accompaniment, visible):
    """Whether `user`, who may read the `visible` audiences (`audience`), reads the accompaniment
    as its support point, not as staff nor as a member of the structure: then of the structure's
    people it sees only the contacts."""
    return visible == [Visibility.SUPPORT_POINT, Visibility.EVERYONE] and not (
        is_structure_member(user, accompaniment.structure)
    )


def timeline(accompaniment, user, limit=None):
    """The entries `user` may see, newest first."""
    visible = audience(user, accompaniment)
    if not visible:
        return []
    entries = []
    # The journey's and its obstacles' logs have the one shape of a transition log.
    logs = [
        ("transition", AccompanimentTransition.objects.filter(accompaniment=accompaniment)),
        (
            "obstacle_moved",
            ObstacleEvent.objects.filter(obstacle__accompaniment=accompaniment).select_related(
                "obstacle"
            ),
        ),
    ]
    for kind, rows in logs:
        for log in rows.select_related("actor"):
            entries.append(Entry(log.at, kind, log.actor, log))
    for milestone in Milestone.objects.filter(accompaniment=accompaniment).select_related(
        "created_by", "closed_by"
    ):
        entries.append(
            Entry(milestone.created_at, "milestone_added", milestone.created_by, milestone)
        )
        if milestone.closed_at:
            entries.append(
                Entry(milestone.closed_at, "milestone_closed", milestone.closed_by, milestone)
            )
    for note in Note.objects.filter(
        accompaniment=accompaniment, visibility__in=visible
    ).select_related("author"):
        entries.append(Entry(note.created_at, "note", note.author, note))
    for document in Document.objects.filter(
        accompaniment=accompaniment, visibility__in=visible
    ).select_related("uploaded_by"):
        entries.append(Entry(document.uploaded_at, "document", document.uploaded_by, document))
    for obstacle in RegulatoryObstacle.objects.filter(accompaniment=accompaniment).select_related(
        "reported_by"
    ):
        entries.append(
            Entry(obstacle.reported_at, "obstacle_reported", obstacle.reported_by, obstacle)
        )
    # The structure never sees who on the staff wrote what, only that the programme did.
    if visible == [Visibility.EVERYONE]:
        for entry in entries:
            if entry.actor is not None and entry.actor.is_staff:
                entry.extra["from_programme"] = True
    # Its support point reads the names of the structure's contacts only: anyone else of the
    # structure is "the structure".
    elif reads_contacts_only(user, accompaniment, visible):
        hidden = hidden_names([entry.actor for entry in entries], accompaniment.structure)
        for entry in entries:
            if entry.actor is not None and entry.actor.pk in hidden:
                entry.extra["from_structure"] = True
    entries.sort(key=lambda e: (e.at, e.kind), reverse=True)
    return entries[:limit] if limit else entries
