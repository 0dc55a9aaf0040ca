"""Permissions of blind review: who reports a leak, who previews and fixes what jurors read."""

import rules

from accelerator.rules import is_programme_staff
from applications.permissions.jury import reads_dossier_as_juror

# Only a juror who reads the dossier (assigned, no conflict declared) reports what leaks from it.
rules.add_perm("applications.report_blind_leak", reads_dossier_as_juror)
rules.add_perm("applications.manage_blind_review", is_programme_staff)
