"""Who may see and act on calls, dossiers and the jury: the rules predicates of the room, the only
place that says who may do what."""

import rules

from accelerator.permissions import (
    is_programme_staff,
    is_structure_editor,
    is_structure_member,
    is_structure_owner,
)
from applications.domain.juror_access import awaiting_declaration, can_read_dossier
from applications.domain.jury_seats import seat_of


@rules.predicate
def is_dossier_member(user, dossier):
    return is_structure_member(user, dossier.structure)


@rules.predicate
def is_dossier_editor(user, dossier):
    return is_structure_editor(user, dossier.structure)


@rules.predicate
def is_dossier_owner(user, dossier):
    return is_structure_owner(user, dossier.structure)


@rules.predicate
def dossier_is_editable(user, dossier):
    return dossier.is_editable


rules.add_perm("applications.view_dossier", is_dossier_member | is_programme_staff)
rules.add_perm("applications.change_dossier", is_dossier_editor & dossier_is_editable)
rules.add_perm("applications.manage_dossiers", is_programme_staff)

# One permission per transition: the domain function asks for `applications.<name>_dossier`.
rules.add_perm("applications.submit_dossier", is_dossier_editor)
rules.add_perm("applications.withdraw_dossier", is_dossier_owner | is_dossier_editor)
for _staff_transition in (
    "request_info",
    "mark_eligible",
    "mark_ineligible",
    "start_review",
    "shortlist",
    "select",
    "waitlist",
    "reject",
):
    rules.add_perm(f"applications.{_staff_transition}_dossier", is_programme_staff)


# --- The jury: who builds the jury, who reads a dossier as a juror.


@rules.predicate
def is_juror_of_call(user, call):
    """An accepted juror of `call`."""
    return seat_of(user, call) is not None


@rules.predicate
def reads_dossier_as_juror(user, dossier):
    """Assigned to `dossier` and declared "no conflict" on it."""
    return can_read_dossier(user, dossier)


@rules.predicate
def must_declare_on(user, dossier):
    """Assigned to `dossier` and not yet declared: the declaration form is theirs."""
    return awaiting_declaration(user, dossier) is not None


rules.add_perm("applications.manage_jury", is_programme_staff)
rules.add_perm("applications.view_jury_call", is_juror_of_call)
rules.add_perm("applications.read_dossier_as_juror", reads_dossier_as_juror)
rules.add_perm("applications.declare_conflict", must_declare_on)


# --- Assignment: who gives dossiers to jurors.

# Staff assign by hand, run the automatic assignment and see every juror's load.
rules.add_perm("applications.manage_assignments", is_programme_staff)


# --- Reviews: who writes a review, who reads them, who sets the review phases.

# A juror's own review page (read, and write while a phase is open for them): the same rule as
# reading the dossier — assigned to it, and declared no conflict on it.
rules.add_perm("applications.review_dossier", reads_dossier_as_juror)
# Every juror's review of a dossier, private notes included.
rules.add_perm("applications.view_reviews", is_programme_staff)
rules.add_perm("applications.manage_review_phases", is_programme_staff)


# --- The ranking: a call's ranking and its exports are for programme staff.

rules.add_perm("applications.view_ranking", is_programme_staff)


# --- Deliberation: staff decide and write the decision letters.

rules.add_perm("applications.deliberate", is_programme_staff)
rules.add_perm("applications.manage_decision_letters", is_programme_staff)


# --- Blind review: who reports a leak, who previews and fixes what jurors read.

# Only a juror who reads the dossier (assigned, no conflict declared) reports what leaks from it.
rules.add_perm("applications.report_blind_leak", reads_dossier_as_juror)
rules.add_perm("applications.manage_blind_review", is_programme_staff)
