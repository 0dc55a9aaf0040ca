"""Permissions of the assignment part of the jury: who gives dossiers to jurors."""

import rules

from accelerator.rules import is_programme_staff

# Staff assign by hand, run the automatic assignment and see every juror's load.
rules.add_perm("applications.manage_assignments", is_programme_staff)
