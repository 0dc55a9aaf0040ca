"""Permissions of the reviews part of the jury: who writes a review, who reads them, who sets
the review phases."""

import rules

from accelerator.rules import is_programme_staff
from applications.permissions.jury import reads_dossier_as_juror

# A juror's own review page (read, and write while a phase is open for them): the same rule as
# reading the dossier — assigned to it, and declared no conflict on it.
rules.add_perm("applications.review_dossier", reads_dossier_as_juror)
# Every juror's review of a dossier, private notes included.
rules.add_perm("applications.view_reviews", is_programme_staff)
rules.add_perm("applications.manage_review_phases", is_programme_staff)
