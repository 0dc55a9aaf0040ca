"""Shared query building for lists of calls, dossiers and jurors: filters, counts, annotations.

Everything here is done by the database in a fixed number of queries, whatever the number of rows.
"""

import re

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from applications.models import Call, Dossier, DossierState, DossierTransition

STATES = [state for state, _label in DossierState.choices]


def count_key(state):
    """The name of the annotation that holds the number of dossiers in `state`."""
    return f"dossiers_{state}"


def calls_with_state_counts(queryset=None):
    """Calls annotated with `dossiers_total` and a `dossiers_<state>` count per state: one query."""
    queryset = Call.objects.all() if queryset is None else queryset
    counts = {
        count_key(state): Count("dossiers", filter=Q(dossiers__state=state)) for state in STATES
    }
    return queryset.select_related("programme").annotate(dossiers_total=Count("dossiers"), **counts)


def state_counts(dossiers):
    """{state: number of dossiers} for a queryset of dossiers, every state present, in one query."""
    totals = dossiers.order_by().aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in STATES}
    )
    return {state: totals[state] or 0 for state in STATES}


def count_of(queryset):
    """A correlated subquery counting `queryset`'s rows: no row multiplication from joins.
    COUNT as a plain function keeps Django from adding a GROUP BY: one row, the count."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def siret_digits(text):
    """The digits of a typed SIRET or SIREN: people paste them with spaces or dots."""
    return re.sub(r"[\s.\-]", "", text or "")


def filter_dossiers(dossiers, *, state=None, department=None, legal_form=None, search=None):
    """Narrow a queryset of dossiers with the filters of the staff list and export.

    `department` is a Department (or its pk), `search` matches the structure's name (any case),
    its SIRET (spaces ignored) or the dossier's reference.
    """
    if state:
        dossiers = dossiers.filter(state=state)
    if department:
        dossiers = dossiers.filter(structure__department=department)
    if legal_form:
        dossiers = dossiers.filter(structure__legal_form=legal_form)
    search = (search or "").strip()
    if search:
        matches = Q(structure__name__icontains=search) | Q(reference__iexact=search)
        digits = siret_digits(search)
        if digits.isdigit():
            matches |= Q(structure__siret__contains=digits)
        dossiers = dossiers.filter(matches)
    return dossiers


def with_last_change(dossiers):
    """Annotate `last_change_at`: the latest of creation, last save of the answers and last
    transition, computed by the database (no query per row)."""
    last_transition = (
        DossierTransition.objects.filter(dossier=OuterRef("pk")).order_by("-at").values("at")[:1]
    )
    return dossiers.annotate(
        last_transition_at=Subquery(last_transition),
        last_change_at=Greatest(
            F("created_at"),
            Coalesce(F("last_saved_at"), F("created_at")),
            Coalesce(Subquery(last_transition), F("created_at")),
        ),
    )


def staff_dossier_list(call):
    """The dossiers of `call` with what the staff list shows, ready to filter and paginate."""
    return with_last_change(
        Dossier.objects.filter(call=call).select_related("structure", "structure__department")
    ).order_by("reference")


def dossiers_of(user):
    """The dossiers of every structure `user` belongs to, newest first, ready for the list."""
    return (
        Dossier.objects.filter(structure__memberships__user=user)
        .select_related("call", "structure", "last_saved_by", "decision_letter")
        .order_by("-created_at", "-pk")
    )
