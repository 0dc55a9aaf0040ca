"""Who is in a cohort: structures join it, from a call or sourced elsewhere, within capacity."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accelerator.domain.followup import open_first_milestones
from accelerator.domain.refusals import Refused
from accelerator.models import Accompaniment, Cohort, Source, SupportPoint
from accelerator.permissions import is_programme_staff, is_superuser, managed_programme_ids


def default_support_points(structures):
    """{département id: its support point} for the départements of `structures`, in one query
    (the first support point by name where a département has several)."""
    departments = {s.department_id for s in structures if s.department_id}
    chosen = {}
    for point in SupportPoint.objects.filter(department_id__in=departments).order_by("-name"):
        chosen[point.department_id] = point
    return chosen


def default_support_point(structure):
    """The support point of the structure's département (the first by name when several)."""
    return default_support_points([structure]).get(structure.department_id)


def lock(cohort):
    """The cohort's row, locked until the end of the caller's transaction: additions to one
    cohort run one after the other, so its capacity holds."""
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def join(cohort, entries, actor):
    """Add structures to `cohort`: `entries` are (structure, source, source_reference) triples.

    Idempotent: a structure already in the cohort is kept as it is. Refuses everything, with a
    message, when the new ones would not fit in the capacity. Returns the accompaniments created.
    Call inside `transaction.atomic()` or let this function open one.
    """
    if not actor.has_perm("accelerator.manage_cohort", cohort):
        raise PermissionDenied
    with transaction.atomic():
        locked = lock(cohort)
        present = set(locked.accompaniments.values_list("structure_id", flat=True))
        new, seen = [], set()
        for structure, source, reference in entries:
            if structure.pk in present or structure.pk in seen:
                continue
            seen.add(structure.pk)
            new.append((structure, source, reference))
        if len(present) + len(new) > locked.capacity:
            raise Refused(
                _(
                    "The cohort “%(cohort)s” has %(capacity)s places and %(taken)s are taken: "
                    "%(wanted)s more structures do not fit. Raise its capacity or add fewer "
                    "structures."
                )
                % {
                    "cohort": locked.name,
                    "capacity": locked.capacity,
                    "taken": len(present),
                    "wanted": len(new),
                }
            )
        # Read once for all newcomers, not once each.
        support_points = default_support_points([structure for structure, _s, _r in new])
        created = []
        for structure, source, reference in new:
            accompaniment = Accompaniment.objects.create(
                cohort=locked,
                structure=structure,
                source=source,
                source_reference=reference,
                support_point=support_points.get(structure.department_id),
            )
            created.append(accompaniment)
        open_first_milestones(created, locked.programme_id, actor=actor)
        return created


def add_structure(cohort, structure, source, actor, source_reference=""):
    """Add a structure sourced outside any call; it starts in sourcing. Returns its accompaniment
    (the existing one when the structure is already in the cohort)."""
    if source == Source.CALL:
        raise ValueError("structures from a call join through form_cohort_from_call")
    if source not in Source.values:
        raise ValueError(f"unknown source {source!r}")
    join(cohort, [(structure, source, source_reference)], actor)
    return Accompaniment.objects.get(cohort=cohort, structure=structure)


# --- creating a cohort (added with the cohort forms of the staff pages)


def may_create_cohort(actor, programme):
    """Managers of the programme and superusers open its cohorts."""
    return bool(
        is_programme_staff(actor)
        and (is_superuser(actor) or programme.pk in managed_programme_ids(actor))
    )


COHORT_FIELDS = {"name", "year", "capacity", "starts_on", "ends_on", "referents"}


def check_cohort(fields):
    """Raise Refused, by field, when the values given in `fields` do not make a cohort.
    Only the fields given are checked (the Wagtail admin passes those its form could read)."""
    errors = {}
    if "name" in fields and not (fields["name"] or "").strip():
        errors["name"] = _("Give the cohort a name.")
    year = fields.get("year")
    if "year" in fields and (year is None or not 2000 <= year <= 2100):
        errors["year"] = _("Give the year of the cohort, for example 2026.")
    capacity = fields.get("capacity")
    if "capacity" in fields and (capacity is None or not 1 <= capacity <= 1000):
        errors["capacity"] = _("A cohort has between 1 and 1000 places.")
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The cohort cannot end before it starts.")
    if any(not (user.is_staff and user.is_active) for user in fields.get("referents") or []):
        errors["referents"] = _("Référents are members of the programme staff.")
    if errors:
        raise Refused(errors)


def create_cohort(programme, actor, **fields):
    """A new cohort of `programme`: name, year, capacity, optional dates and référents (staff).

    Raises PermissionDenied unless `actor` manages the programme or is a superuser, and
    Refused (by field) when a value does not make a cohort."""
    if not may_create_cohort(actor, programme):
        raise PermissionDenied
    unexpected = set(fields) - COHORT_FIELDS
    if unexpected:
        raise ValueError(f"create_cohort takes no {', '.join(sorted(unexpected))}")
    values = {"name": "", "year": None, "capacity": 15, "starts_on": None, "ends_on": None}
    values.update(fields)
    referents = list(values.pop("referents", None) or [])
    check_cohort({**values, "referents": referents})
    values["name"] = values["name"].strip()
    with transaction.atomic():
        cohort = Cohort.objects.create(programme=programme, **values)
        if referents:
            cohort.referents.set(referents)
    return cohort
