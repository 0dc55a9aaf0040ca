"""Moderation of the public's proposals: agenda entries and actors' entries. Both machines are
declared here for the one runner (`accelerator.domain.transitions`); staff approve, ask for
changes or reject with a message that goes to the proposer through the outbox. Also the queue
and the likely duplicates a moderator is warned of."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.transitions import Machine, run
from cms import permissions  # noqa: F401 (its rules register on import)
from cms.models import (
    Actor,
    ActorModerationLog,
    AgendaEntry,
    EntryModerationLog,
    ModerationState,
)
from workers.outbox import absolute_url, queue_email

M = ModerationState
# The buttons of the e-mails, rendered in the recipient's language by queue_email.
SEE = gettext_lazy("See the entry")
CORRECT = gettext_lazy("Correct the entry")


def message_given(obj, actor, comment, data):
    """Asking for changes or rejecting tells the proposer why."""
    if comment.strip():
        return []
    return [_("Write a message to the proposer: it tells them what to change or why.")]


def _send(obj, log, recipients, template, context):
    """One e-mail per recipient, in their language; never to the person who moved it. The key
    names the move and the recipient, so a retried move never sends twice."""
    if log.name == "resubmit":
        return
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or user.pk == log.actor_id or not user.email:
            continue
        seen.add(user.pk)
        with translation.override(user.language):
            state_label = str(M(log.target).label)
        queue_email(
            key=f"{template.rsplit('/', 1)[-1]}:{log.pk}:{user.pk}",
            to=user.email,
            template=template,
            context={
                **context,
                "move": log.name,
                "state_label": state_label,
                "comment": log.comment,
            },
            language=user.language,
        )


def _notify_entry(entry, log):
    if log.target == M.APPROVED:
        link, label = reverse("cms:agenda_entry", kwargs={"pk": entry.pk}), SEE
    else:
        link, label = reverse("cms:agenda_edit", kwargs={"pk": entry.pk}), CORRECT
    _send(
        entry,
        log,
        [entry.proposer],
        "cms/agenda/email/entry_moderated",
        {
            "title": entry.title,
            "action_url": absolute_url(link),
            "action_label": label,
        },
    )


def _notify_actor(actor_entry, log):
    if log.target == M.APPROVED:
        link, label = reverse("cms:actor", kwargs={"pk": actor_entry.pk}), SEE
    else:
        link, label = reverse("cms:actor_edit", kwargs={"pk": actor_entry.pk}), CORRECT
    _send(
        actor_entry,
        log,
        list(actor_entry.managers.all()),
        "cms/actors/email/actor_moderated",
        {
            "name": actor_entry.name,
            "action_url": absolute_url(link),
            "action_label": label,
        },
    )


ENTRY = Machine(
    model=AgendaEntry,
    log_model=EntryModerationLog,
    permission="cms.{name}_agenda_entry",
    select_related=("proposer",),
    requirements={"request_changes": [message_given], "reject": [message_given]},
    notify=_notify_entry,
    refused_message=gettext_lazy("This entry is “%(state)s”: it cannot be moved this way now."),
    concurrent_message=gettext_lazy(
        "Someone else moderated this entry at the same moment. Reload the page."
    ),
)

ACTOR = Machine(
    model=Actor,
    log_model=ActorModerationLog,
    permission="cms.{name}_actor",
    requirements={"request_changes": [message_given], "reject": [message_given]},
    notify=_notify_actor,
    refused_message=gettext_lazy("This actor is “%(state)s”: it cannot be moved this way now."),
    concurrent_message=gettext_lazy(
        "Someone else moderated this actor at the same moment. Reload the page."
    ),
)


def run_entry(entry, name, user, comment=""):
    """Run moderation move `name` (approve, request_changes, reject, resubmit) on `entry`."""
    return run(ENTRY, entry, name, user, (comment or "").strip())


def run_actor(actor_entry, name, user, comment=""):
    """Run moderation move `name` on an actor's entry."""
    return run(ACTOR, actor_entry, name, user, (comment or "").strip())


# --- the queue and its duplicates


def _duplicate_candidates():
    return AgendaEntry.objects.exclude(state=M.REJECTED)


def likely_duplicates(entry):
    """Other entries with the same title on the same day, or the same link."""
    same_link = Q()
    if entry.online_link:
        same_link |= Q(online_link=entry.online_link)
    if entry.registration_link:
        same_link |= Q(registration_link=entry.registration_link)
    same_day = Q(
        title__iexact=entry.title,
        starts_at__date=timezone.localtime(entry.starts_at).date(),
    )
    return (
        _duplicate_candidates()
        .filter(same_day | same_link if same_link else same_day)
        .exclude(pk=entry.pk)
        .select_related("department")
        .order_by("starts_at", "pk")
    )


def entry_queue():
    """The entries waiting for moderation, oldest first, each with `has_duplicate`: one query."""
    others = (
        _duplicate_candidates()
        .exclude(pk=OuterRef("pk"))
        .annotate(day=TruncDate("starts_at"))
        .filter(
            Q(title__iexact=OuterRef("title"), day=OuterRef("day"))
            | Q(online_link__gt="", online_link=OuterRef("online_link"))
            | Q(registration_link__gt="", registration_link=OuterRef("registration_link"))
        )
    )
    return (
        AgendaEntry.objects.filter(state=M.PROPOSED)
        .annotate(day=TruncDate("starts_at"))
        .annotate(has_duplicate=Exists(others))
        .select_related("department", "proposer", "organiser_actor", "organiser_structure")
        .order_by("proposed_at", "pk")
    )


def actor_queue():
    """The actors' entries waiting for moderation, oldest first."""
    return (
        Actor.objects.filter(state=M.PROPOSED)
        .select_related("department")
        .prefetch_related("managers")
        .order_by("created_at", "pk")
    )
