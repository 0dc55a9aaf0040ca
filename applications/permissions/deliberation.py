"""Permissions of the deliberation part of the jury: staff decide and write the decision letters.

Jurors' numbers inform the deliberation but jurors take no part in these pages."""

import rules

from accelerator.rules import is_programme_staff

rules.add_perm("applications.deliberate", is_programme_staff)
rules.add_perm("applications.manage_decision_letters", is_programme_staff)
