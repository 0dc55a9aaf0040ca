"""Proposing and correcting agenda entries: the rules a proposal must meet (dates in order, a
place or a link, an image of reasonable size, no script), who may be named as organiser, and the
proposer's own list. Moderation is in `cms.domain.moderation`."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accelerator.domain.files import check_upload, megabytes, storage_name
from accelerator.domain.refusals import Refused
from accelerator.models import MemberRole, Structure
from cms import permissions  # noqa: F401 (its rules register on import)
from cms.domain.moderation import run_entry
from cms.domain.text import check_rich_text
from cms.models import Actor, AgendaEntry, EntryTheme, ModerationState

IMAGE_MAX_MB = 2
# The fields a proposal sets directly, once checked.
PLAIN_FIELDS = (
    "kind",
    "title",
    "place",
    "online_link",
    "department",
    "registration_link",
    "image_alt",
)


def organiser_choices(user):
    """[(value, label)] of whom `user` may name as organiser: the published actors they manage
    and the structures they act for. Two queries."""
    actors = Actor.objects.filter(managers=user, state=ModerationState.APPROVED).order_by("name")
    structures = Structure.objects.filter(
        memberships__user=user, memberships__role__in=[MemberRole.OWNER, MemberRole.EDITOR]
    ).order_by("name")
    return [(f"actor:{a.pk}", a.name) for a in actors] + [
        (f"structure:{s.pk}", s.name) for s in structures
    ]


def _organiser(user, value, name, errors, current=None):
    """(actor, structure, name) named by `value` ("actor:ID", "structure:ID" or "")."""
    if not value:
        if not (name or "").strip():
            errors["organiser"] = _(
                "Choose the organiser, or type its name if it is not in the list."
            )
        return None, None, (name or "").strip()
    allowed = dict(organiser_choices(user))
    if current and value == current:
        allowed[value] = ""
    if value not in allowed:
        errors["organiser"] = _("You may only name an actor or a structure you act for.")
        return None, None, ""
    kind, _sep, pk = value.partition(":")
    if kind == "actor":
        return Actor.objects.get(pk=pk), None, ""
    return None, Structure.objects.get(pk=pk), ""


def _when(data, errors):
    """(starts_at, ends_at, all_day) in Paris time from the dates and optional times."""
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on") or data.get("starts_on")
    starts_time, ends_time = data.get("starts_time"), data.get("ends_time")
    if starts_on is None:
        errors["starts_on"] = _("Give the first day.")
        return None, None, False
    if bool(starts_time) != bool(ends_time):
        errors["ends_time" if starts_time else "starts_time"] = _(
            "Give both the start and end times, or neither for whole days."
        )
        return None, None, False
    all_day = starts_time is None
    if all_day:
        starts_time = ends_time = datetime.time(0, 0)
    zone = timezone.get_default_timezone()
    starts_at = datetime.datetime.combine(starts_on, starts_time, tzinfo=zone)
    ends_at = datetime.datetime.combine(ends_on, ends_time, tzinfo=zone)
    if ends_at < starts_at or (not all_day and ends_at == starts_at):
        errors["ends_on" if ends_on < starts_on else "ends_time"] = _(
            "The end comes before the start: check the dates and times."
        )
    return starts_at, ends_at, all_day


def check_image(uploaded):
    """(extension) of an accepted picture; Refused with the reason otherwise."""
    limit = IMAGE_MAX_MB * 1024 * 1024
    if uploaded.size > limit:
        raise Refused(
            {
                "image": _("The image is %(size)s MB; images are limited to %(limit)s MB.")
                % {
                    "size": megabytes(uploaded.size, IMAGE_MAX_MB),
                    "limit": number_format(IMAGE_MAX_MB),
                }
            }
        )
    try:
        content_type, extension = check_upload(uploaded)
    except Refused as refusal:
        raise Refused({"image": refusal.messages}) from refusal
    if not content_type.startswith("image/"):
        raise Refused({"image": _("Choose a picture: PNG, JPEG, GIF or WebP.")})
    return extension


def _checked(user, data, current_organiser=None):
    """The entry's fields from `data`, checked; Refused with every error by field."""
    errors = {}
    fields = {name: data.get(name) or "" for name in PLAIN_FIELDS}
    fields["department"] = data.get("department")
    if not fields["title"].strip():
        errors["title"] = _("Give the entry a title.")
    if not fields["kind"]:
        errors["kind"] = _("Say whether it is an event, an action or an initiative.")
    if fields["department"] is None:
        errors["department"] = _("Choose the département where it takes place.")
    if not (fields["place"].strip() or fields["online_link"].strip()):
        errors["place"] = _("Give a place, an online link, or both.")
    try:
        fields["description"] = check_rich_text(data.get("description"))
    except Refused as refusal:
        errors.update(refusal.message_dict)
    else:
        if not fields["description"].strip():
            errors["description"] = _("Describe the entry in a few lines.")
    actor, structure, name = _organiser(
        user, data.get("organiser"), data.get("organiser_name"), errors, current_organiser
    )
    fields.update(organiser_actor=actor, organiser_structure=structure, organiser_name=name)
    starts_at, ends_at, all_day = _when(data, errors)
    fields.update(starts_at=starts_at, ends_at=ends_at, all_day=all_day)
    image = data.get("image")
    extension = None
    if image:
        try:
            extension = check_image(image)
        except Refused as refusal:
            errors.update(refusal.message_dict)
        if not (data.get("image_alt") or "").strip():
            errors["image_alt"] = _("Describe the image for people who cannot see it.")
    if not data.get("themes"):
        errors["themes"] = _("Choose at least one theme.")
    if errors:
        raise Refused(errors)
    fields["title"] = fields["title"].strip()
    return fields, (image, extension)


def _save(entry, fields, image, themes, co_organisers):
    for name, value in fields.items():
        setattr(entry, name, value)
    uploaded, extension = image
    if uploaded:
        entry.image.save(storage_name(uploaded.name, extension), uploaded, save=False)
    entry.save()
    entry.themes.all().delete()
    EntryTheme.objects.bulk_create(EntryTheme(entry=entry, theme=theme) for theme in themes)
    entry.co_organisers.set(co_organisers or [])
    return entry


def propose_entry(user, data):
    """Record `user`'s proposal; it waits for moderation. Refused with every error by field."""
    if not user.has_perm("cms.propose_agenda_entry"):
        raise PermissionDenied
    fields, image = _checked(user, data)
    with transaction.atomic():
        entry = AgendaEntry(proposer=user)
        return _save(entry, fields, image, data["themes"], data.get("co_organisers"))


def organiser_value(entry):
    if entry.organiser_actor_id:
        return f"actor:{entry.organiser_actor_id}"
    if entry.organiser_structure_id:
        return f"structure:{entry.organiser_structure_id}"
    return ""


def update_entry(entry, user, data):
    """Correct `entry`. When staff asked for changes, the proposer's correction goes back to the
    moderators (through the machine)."""
    if not user.has_perm("cms.change_agenda_entry", entry):
        raise PermissionDenied
    fields, image = _checked(user, data, current_organiser=organiser_value(entry))
    with transaction.atomic():
        _save(entry, fields, image, data["themes"], data.get("co_organisers"))
        if entry.state == ModerationState.CHANGES_REQUESTED and user.pk == entry.proposer_id:
            entry = run_entry(entry, "resubmit", user, "")
    return entry


def entries_of_proposer(user):
    """The entries `user` proposed, newest first, with their last moderation message."""
    return (
        AgendaEntry.objects.filter(proposer=user)
        .select_related("department")
        .prefetch_related("moderation")
        .order_by("-proposed_at", "-pk")
    )
