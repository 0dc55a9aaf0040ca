"""The directory of the territory's actors: proposing an entry (staff approve it, then its
managers keep it), and what visitors read, searched and filtered in a fixed number of queries."""

import dataclasses

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from cms import permissions  # noqa: F401 (its rules register on import)
from cms.domain.moderation import run_actor
from cms.models import Actor, ActorOffer, ActorTheme, ModerationState

FIELDS = ("name", "kind", "department", "description", "website")


@dataclasses.dataclass(frozen=True)
class DirectoryFilter:
    query: str = ""
    kind: str = ""
    department: object = None
    theme: str = ""
    offer: str = ""


def _checked(data):
    errors = {}
    fields = {name: data.get(name) for name in FIELDS}
    fields["name"] = (fields["name"] or "").strip()
    fields["description"] = (fields["description"] or "").strip()
    fields["website"] = fields["website"] or ""
    if not fields["name"]:
        errors["name"] = _("Give the actor's name.")
    if not fields["kind"]:
        errors["kind"] = _("Choose the kind of actor.")
    if fields["department"] is None:
        errors["department"] = _("Choose the actor's département.")
    if not data.get("themes"):
        errors["themes"] = _("Choose at least one theme.")
    if errors:
        raise Refused(errors)
    return fields


def _save(actor, fields, themes, offers):
    for name, value in fields.items():
        setattr(actor, name, value)
    actor.save()
    actor.themes.all().delete()
    ActorTheme.objects.bulk_create(ActorTheme(actor=actor, theme=theme) for theme in themes)
    actor.offers.all().delete()
    ActorOffer.objects.bulk_create(ActorOffer(actor=actor, offer=offer) for offer in offers or [])
    return actor


def propose_actor(user, data):
    """Record `user`'s proposal of an actor's entry, `user` its first manager."""
    if not user.has_perm("cms.propose_actor"):
        raise PermissionDenied
    fields = _checked(data)
    with transaction.atomic():
        actor = _save(Actor(), fields, data["themes"], data.get("offers"))
        actor.managers.add(user)
    return actor


def update_actor(actor, user, data):
    """Its managers (once approved, or to answer a request for changes) and staff correct it;
    a correction asked for goes back to the moderators."""
    if not user.has_perm("cms.change_actor", actor):
        raise PermissionDenied
    fields = _checked(data)
    with transaction.atomic():
        _save(actor, fields, data["themes"], data.get("offers"))
        if actor.state == ModerationState.CHANGES_REQUESTED and not user.is_staff:
            actor = run_actor(actor, "resubmit", user, "")
    return actor


def _with_details(actors):
    return actors.select_related("department").prefetch_related(
        Prefetch("themes", queryset=ActorTheme.objects.order_by("theme")),
        Prefetch("offers", queryset=ActorOffer.objects.order_by("offer")),
    )


def directory(directory_filter=None):
    """Published actors matching the filter, by name; three queries for a page, and the count."""
    actors = Actor.objects.filter(state=ModerationState.APPROVED)
    f = directory_filter or DirectoryFilter()
    if f.query.strip():
        for word in f.query.split()[:8]:
            actors = actors.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if f.kind:
        actors = actors.filter(kind=f.kind)
    if f.department:
        actors = actors.filter(department=f.department)
    if f.theme:
        actors = actors.filter(themes__theme=f.theme)
    if f.offer:
        actors = actors.filter(offers__offer=f.offer)
    return _with_details(actors).order_by("name", "pk")


def actor_page(pk):
    return _with_details(Actor.objects.all()).get(pk=pk)


def managed_by(user):
    """The actors' entries `user` manages, whatever their state."""
    return Actor.objects.filter(managers=user).select_related("department").order_by("name")
