"""Permissions of the ranking part of the jury: a call's ranking and its exports are for programme
staff only. A juror never sees them, even on their own call: they would read other jurors' scores
and the dossiers they declared a conflict on."""

import rules

from accelerator.rules import is_programme_staff

rules.add_perm("applications.view_ranking", is_programme_staff)
