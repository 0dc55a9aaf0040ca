"""Who may see and act on calls and dossiers."""

import rules

from accelerator.rules import (
    is_programme_staff,
    is_structure_editor,
    is_structure_member,
    is_structure_owner,
)


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

# The jury's permissions, one module per part of the work.
from applications.permissions import (  # noqa: E402, F401
    assignment,
    blind,
    deliberation,
    jury,
    ranking,
    reviews,
)
