"""Registering and editing a structure: one structure per SIRET (and per legal unit, unless two
establishments with their own SIRETs), and its creator becomes owner."""

import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from accelerator.identifiers import SIRET_LENGTH, normalise_rna, normalise_siret, siren_of
from accelerator.models import MemberRole, Membership, Structure

# Enough to recognise one's own structure among the establishments of a large network.
SAME_UNIT_SHOWN = 5


class DuplicateStructure(Refused):
    """The SIRET is already registered: `existing` is the structure to ask to join instead, which
    the registration page shows beside the message (on the `siret` field)."""

    def __init__(self, existing):
        self.existing = existing
        super().__init__(
            {
                "siret": _(
                    "A structure with this SIREN or SIRET is already registered on Essor: "
                    "“%(name)s”. Rather than register it twice, ask its owners to let you join it."
                )
                % {"name": existing.name}
            }
        )


class SameLegalUnit(Refused):
    """Structures of the same legal unit (the same SIREN, the first 9 digits) are registered; the
    message is on the `siret` field.

    `existing` lists them (at most SAME_UNIT_SHOWN), for the registration page to show;
    `may_separate` says whether this one may still be registered on its own: only a SIRET, beside
    others' different SIRETs, is another establishment. A SIREN stands for the whole legal unit,
    so it never may: it is that unit again, or the person should give their own establishment's
    SIRET.
    """

    def __init__(self, siret, existing, may_separate):
        self.existing = existing
        self.may_separate = may_separate
        names = ", ".join(f"“{structure.name}”" for structure in existing)
        params = {"siren": siren_of(siret), "names": names}
        if may_separate:
            message = (
                _(
                    "The same legal unit (SIREN %(siren)s) is already registered on Essor with "
                    "another SIRET: %(names)s. Ask its owners to let you join it; or, if yours is "
                    "a different establishment, confirm below to register it separately."
                )
                % params
            )
        elif len(normalise_siret(siret)) == SIRET_LENGTH:
            message = (
                _(
                    "The whole legal unit (SIREN %(siren)s) is already registered on Essor: "
                    "%(names)s. Ask its owners to let you join it."
                )
                % params
            )
        else:
            message = (
                _(
                    "This SIREN is the legal unit of %(names)s, already registered on Essor. Ask "
                    "its owners to let you join it; or, if yours is a different establishment, "
                    "give its own 14-digit SIRET."
                )
                % params
            )
        super().__init__({"siret": message})


def find_duplicate(siret, exclude=None):
    """The structure already registered with this SIRET (however it is typed), if any."""
    structures = Structure.objects.filter(siret=normalise_siret(siret))
    if exclude is not None and exclude.pk:
        structures = structures.exclude(pk=exclude.pk)
    return structures.select_related("department").first()


def same_legal_unit(siret, exclude=None):
    """Structures registered with another number of the same legal unit as `siret`: its SIREN,
    or another SIRET of it."""
    siret = normalise_siret(siret)
    structures = Structure.objects.filter(siret__startswith=siren_of(siret)).exclude(siret=siret)
    if exclude is not None and exclude.pk:
        structures = structures.exclude(pk=exclude.pk)
    return list(structures.select_related("department").order_by("name", "pk")[:SAME_UNIT_SHOWN])


def check_siret_is_free(siret, exclude=None, separate_establishment=False):
    """Refuse a SIRET already registered (DuplicateStructure) or one of a legal unit already
    registered (SameLegalUnit), unless it is a different establishment's SIRET and the person
    confirmed it is (`separate_establishment`)."""
    siret = normalise_siret(siret)
    if not re.fullmatch(r"[0-9]{9}|[0-9]{14}", siret):
        # Not a SIREN or SIRET (its own validation says why): a prefix would match anything.
        return
    existing = find_duplicate(siret, exclude=exclude)
    if existing:
        raise DuplicateStructure(existing)
    related = same_legal_unit(siret, exclude=exclude)
    if not related:
        return
    may_separate = len(siret) == SIRET_LENGTH and all(
        len(structure.siret) == SIRET_LENGTH for structure in related
    )
    if not (may_separate and separate_establishment):
        raise SameLegalUnit(siret, related, may_separate)


def _normalise_identifiers(fields):
    if "siret" in fields:
        fields["siret"] = normalise_siret(fields["siret"])
    if "rna" in fields:
        fields["rna"] = normalise_rna(fields["rna"])


def create_structure(creator, separate_establishment=False, **fields):
    """Register a structure with `fields` (model field names); `creator` becomes its owner and
    its contact.

    Raises DuplicateStructure when the SIRET is taken (also when a concurrent request took it
    first), SameLegalUnit when its legal unit is registered (see `check_siret_is_free`) and
    ValidationError when a field is invalid.
    """
    fields.setdefault("siret", "")
    _normalise_identifiers(fields)
    structure = Structure(**fields)
    structure.full_clean(validate_unique=False)
    check_siret_is_free(fields["siret"], separate_establishment=separate_establishment)
    try:
        with transaction.atomic():
            structure.save()
            # Its first owner is its first contact, as the migration that added contacts made
            # every owner: the support point has one person to reach; the owners change it.
            Membership.objects.create(
                structure=structure, user=creator, role=MemberRole.OWNER, is_contact=True
            )
    except IntegrityError:
        existing = find_duplicate(fields["siret"])
        if existing:
            raise DuplicateStructure(existing) from None
        raise
    return structure


def update_structure(structure, actor, separate_establishment=False, **fields):
    """Change the profile of `structure`; editors and owners may, and programme staff.

    Raises PermissionDenied, DuplicateStructure (the new SIRET belongs to another structure),
    SameLegalUnit (a new SIRET of a legal unit registered elsewhere) or ValidationError.
    """
    if not actor.has_perm("accelerator.change_structure", structure):
        raise PermissionDenied
    _normalise_identifiers(fields)
    # Compared with the saved SIRET (a model form has already copied the typed one onto the
    # instance): an unchanged SIRET is not checked again, so a structure registered before the
    # legal-unit rule can still be edited.
    saved_siret = Structure.objects.filter(pk=structure.pk).values_list("siret", flat=True).first()
    if "siret" in fields and fields["siret"] != saved_siret:
        check_siret_is_free(
            fields["siret"], exclude=structure, separate_establishment=separate_establishment
        )
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
