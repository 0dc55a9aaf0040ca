"""Registering and editing a structure: one structure per SIRET, and its creator becomes owner."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accelerator.identifiers import normalise_siret
from accelerator.models import MemberRole, Membership, Structure


class DuplicateStructure(Exception):
    """The SIRET is already registered: `existing` is the structure to ask to join instead."""

    def __init__(self, existing):
        self.existing = existing
        self.message = _(
            "A structure with this SIREN or SIRET is already registered on Essor: “%(name)s”. "
            "Rather than register it twice, ask its owners to let you join it."
        ) % {"name": existing.name}
        super().__init__(self.message)


def find_duplicate(siret, exclude=None):
    """The structure already registered with this SIRET (spaces and dots ignored), if any."""
    structures = Structure.objects.filter(siret=normalise_siret(siret))
    if exclude is not None and exclude.pk:
        structures = structures.exclude(pk=exclude.pk)
    return structures.select_related("department").first()


def create_structure(creator, **fields):
    """Register a structure with `fields` (model field names); `creator` becomes its owner.

    Raises DuplicateStructure when the SIRET is taken (also when a concurrent request took it
    first) and ValidationError when a field is invalid.
    """
    fields["siret"] = normalise_siret(fields.get("siret"))
    existing = find_duplicate(fields["siret"])
    if existing:
        raise DuplicateStructure(existing)
    structure = Structure(**fields)
    structure.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            structure.save()
            Membership.objects.create(structure=structure, user=creator, role=MemberRole.OWNER)
    except IntegrityError:
        existing = find_duplicate(fields["siret"])
        if existing:
            raise DuplicateStructure(existing) from None
        raise
    return structure


def update_structure(structure, actor, **fields):
    """Change the profile of `structure`; editors and owners may, and programme staff.

    Raises PermissionDenied, DuplicateStructure (the new SIRET belongs to another structure) or
    ValidationError.
    """
    if not actor.has_perm("accelerator.change_structure", structure):
        raise PermissionDenied
    if "siret" in fields:
        fields["siret"] = normalise_siret(fields["siret"])
        existing = find_duplicate(fields["siret"], exclude=structure)
        if existing:
            raise DuplicateStructure(existing)
    for name, value in fields.items():
        setattr(structure, name, value)
    structure.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            structure.save()
    except IntegrityError:
        existing = find_duplicate(structure.siret, exclude=structure)
        if existing:
            raise DuplicateStructure(existing) from None
        raise
    return structure
