"""Permissions of the jury part of the jury: who builds the jury, who reads a dossier as a juror."""

import rules

from accelerator.rules import is_programme_staff
from applications.domain import jury as domain


@rules.predicate
def is_juror_of_call(user, call):
    """An accepted juror of `call`."""
    return domain.seat_of(user, call) is not None


@rules.predicate
def reads_dossier_as_juror(user, dossier):
    """Assigned to `dossier` and declared "no conflict" on it."""
    return domain.can_read_dossier(user, dossier)


@rules.predicate
def must_declare_on(user, dossier):
    """Assigned to `dossier` and not yet declared: the declaration form is theirs."""
    return domain.awaiting_declaration(user, dossier) is not None


rules.add_perm("applications.manage_jury", is_programme_staff)
rules.add_perm("applications.view_jury_call", is_juror_of_call)
rules.add_perm("applications.read_dossier_as_juror", reads_dossier_as_juror)
rules.add_perm("applications.declare_conflict", must_declare_on)
