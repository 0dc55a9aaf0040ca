"""Forming a cohort from a call: each selected dossier's structure starts its accompaniment."""

from django.db import transaction

from accelerator.domain.cohorts import join
from accelerator.models import Accompaniment, Source
from applications.models import Dossier, DossierState


def form_cohort_from_call(call, cohort, actor):
    """Put the structure of every selected dossier of `call` in `cohort`, in sourcing, with the
    dossier's reference as the source of its accompaniment. Idempotent: structures already in the
    cohort are kept. Raises Refused when they would not fit in the cohort's capacity.
    Returns the accompaniments created."""
    dossiers = (
        Dossier.objects.filter(call=call, state=DossierState.SELECTED)
        .select_related("structure")
        .order_by("reference")
    )
    with transaction.atomic():
        return join(cohort, [(d.structure, Source.CALL, d.reference) for d in dossiers], actor)


def accompaniment_of(dossier, cohort):
    """The accompaniment a selected dossier led to in `cohort`, if any."""
    return Accompaniment.objects.filter(
        cohort=cohort,
        structure=dossier.structure,
        source=Source.CALL,
        source_reference=dossier.reference,
    ).first()
