"""Deliberation: staff shortlist and decide, informed by the jury's numbers but never bound by them,
and what an applicant is shown of it before the decision letters are released."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from applications.domain.dossiers import TransitionRefused, change_state
from applications.domain.ranking import DEFAULT_SORT, ordering
from applications.domain.ranking_rows import stored_ranking
from applications.models import Dossier, DossierState, DossierTransition

S = DossierState

# The states a dossier goes through in deliberation, in the order the staff page shows them.
DELIBERATION_STATES = [S.UNDER_REVIEW, S.SHORTLISTED, S.WAITLISTED, S.SELECTED, S.REJECTED]
# The decisions staff record, by transition name, with the state each leads to.
DECISIONS = {"select": S.SELECTED, "waitlist": S.WAITLISTED, "reject": S.REJECTED}
DECIDED_STATES = frozenset(DECISIONS.values())
DELIBERATION_TRANSITIONS = frozenset({"shortlist", *DECISIONS})
# What an applicant does not see before the letter of the decision is released: the shortlist
# too, since reading "shortlisted" then "under review" again would tell them the outcome.
UNDISCLOSED_STATES = frozenset({S.SHORTLISTED, *DECIDED_STATES})
# What a list of dossiers never shows: left in the database, so that sorting a call's rows
# does not carry every answer along.
WIDE_FIELDS = ("answers", "form_snapshot", "blind_terms")


def shortlist(dossier, actor, *, audition_at=None, notes=""):
    """Move a dossier under review to the shortlist, with its audition if one is planned.

    The audition is written by `change_state` on the locked row, in the transition's transaction:
    a refused shortlist leaves no audition behind, and a concurrent one cannot overwrite it.
    """
    return change_state(
        dossier,
        "shortlist",
        actor,
        changes={"audition_at": audition_at, "shortlist_notes": notes.strip()},
    )


def decide(dossier, transition, actor, rationale):
    """Record the staff's decision (`select`, `waitlist` or `reject`) with its rationale; the log
    says who decided. The structure learns it only from the released letter."""
    if transition not in DECISIONS:
        raise ValueError(f"{transition} is not a decision")
    return change_state(dossier, transition, actor, comment=rationale.strip())


def plan_audition(dossier, actor, *, audition_at, notes):
    """Set or change the audition of a dossier already shortlisted (not a state change)."""
    if not actor.has_perm("applications.deliberate", dossier):
        raise PermissionDenied
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.state != S.SHORTLISTED:
            raise TransitionRefused(_("Only a shortlisted dossier has an audition."))
        # update(), not save(): the state field is the machine's and is never written here.
        Dossier.objects.filter(pk=locked.pk).update(
            audition_at=audition_at, shortlist_notes=notes.strip()
        )
    return Dossier.objects.select_related("call", "structure").get(pk=dossier.pk)


def _ranked(call):
    """The call's dossiers with the jury's numbers (the ranking's stored figures, kept up to date
    when a review changes: nothing is ranked again per request), and whether they are shown."""
    return stored_ranking(call), True


def deliberation_dossiers(call):
    """The dossiers in deliberation, with the jury's numbers, the letter and the deliberation log
    (actors included) of each, in a constant number of queries. Returns (queryset, has_numbers).
    Slice it (a page) before reading: the log is prefetched for the rows read only."""
    queryset, has_numbers = _ranked(call)
    log = (
        DossierTransition.objects.filter(name__in=DELIBERATION_TRANSITIONS)
        .select_related("actor")
        .order_by("at", "pk")
    )
    queryset = (
        queryset.filter(state__in=DELIBERATION_STATES)
        .select_related("structure", "structure__department", "decision_letter")
        .prefetch_related(Prefetch("transitions", queryset=log, to_attr="deliberation_log"))
    )
    return queryset, has_numbers


def first_of_each_state(dossiers, count):
    """The first `count` dossiers of each state among `dossiers` (a `deliberation_dossiers`
    queryset), in its order: two queries, whatever the number of states and dossiers shown. A
    window numbers narrow rows (id, state and the sort keys), then only the rows kept are read
    whole, by id: numbering the whole rows sorted every answer of the call."""
    place = Window(RowNumber(), partition_by=F("state"), order_by=ordering(DEFAULT_SORT))
    first = list(
        dossiers.order_by()
        .annotate(place=place)
        .filter(place__lte=count)
        .values_list("pk", flat=True)
    )
    return dossiers.filter(pk__in=first)


def state_counts(call):
    """{state: number of the call's dossiers in it} for the deliberation's states, one query."""
    counts = dict(
        Dossier.objects.filter(call=call, state__in=DELIBERATION_STATES)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in DELIBERATION_STATES}


def last_decision(dossier):
    """The logged transition that put the dossier in its current decided state, or None.

    Reads `deliberation_log` when prefetched (see `deliberation_dossiers`)."""
    log = getattr(dossier, "deliberation_log", None)
    if log is None:
        log = dossier.transitions.filter(name__in=DECISIONS).select_related("actor")
    entries = [t for t in log if t.name in DECISIONS and t.target == dossier.state]
    return entries[-1] if entries else None


# --- what the applicant is shown ----------------------------------------------------------------


def _letter(dossier):
    try:
        return dossier.decision_letter
    except ObjectDoesNotExist:
        return None


def released_at(dossier, now=None):
    """When the dossier's decision letter was released, or None while it is not (yet)."""
    letter = _letter(dossier)
    if letter is not None and letter.is_released(now):
        return letter.release_at
    return None


def state_shown_to_applicant(dossier, now=None):
    """The state the structure's members see: the real one, except that the shortlist and the
    decisions read "Under review" until the decision letter is released. A released decision
    stays shown while a later one (waitlisted, then selected) waits for its own letter.

    Reads `dossier.decision_letter`: select_related it when listing dossiers."""
    state = S(dossier.state)
    if state not in UNDISCLOSED_STATES:
        return state
    letter = _letter(dossier)
    if letter is not None and letter.is_released(now):
        return S(letter.outcome)
    return S.UNDER_REVIEW


@dataclass(frozen=True)
class ShownTransition:
    """One line of the history as the applicant reads it."""

    name: str
    at: datetime
    actor: object
    source: str
    target: str
    comment: str

    def get_source_display(self):
        return S(self.source).label

    def get_target_display(self):
        return S(self.target).label


def history_shown_to_applicant(dossier, transitions, now=None):
    """The transitions an applicant may read: the shortlist and the decisions appear only once
    their letter is released (and only those logged before that release); a later visible line
    whose source is still undisclosed reads "Under review" as its source."""
    until = released_at(dossier, now)
    shown = []
    for transition in transitions:
        if transition.target in UNDISCLOSED_STATES and (until is None or transition.at > until):
            continue
        source = transition.source
        if source in UNDISCLOSED_STATES and (until is None or transition.at > until):
            source = S.UNDER_REVIEW
        shown.append(
            ShownTransition(
                name=transition.name,
                at=transition.at,
                actor=transition.actor,
                source=source,
                target=transition.target,
                comment=transition.comment,
            )
        )
    return shown
