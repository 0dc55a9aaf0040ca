"""A call's jury as staff manage it: who may manage it, removing a juror (the jury page's lists are
in `jury_overview`).

Inviting jurors and their acceptance are in `jury_invitations`; the jury as a juror sees it in
`jury_seats`; what a juror may read in `juror_access`; blind mode in `blind`.

Rule: a juror with a submitted review stays on the jury (their review counts in the ranking).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from applications.domain.ranking_rows import refresh_dossier_ranking
from applications.models import Juror, Review


def require_staff(actor):
    """Raise PermissionDenied unless `actor` may build the jury."""
    if actor is None or not actor.has_perm("applications.manage_dossiers"):
        raise PermissionDenied


def remove_juror(juror, actor):
    """Take a juror off the jury, with their assignments, declarations and draft reviews.
    Refused once they submitted a review: it is part of the ranking."""
    require_staff(actor)
    with transaction.atomic():
        locked = Juror.objects.select_for_update().get(pk=juror.pk)
        if Review.objects.filter(assignment__juror=locked, submitted_at__isnull=False).exists():
            raise Refused(
                _("%(juror)s has submitted a review: they stay on the jury.")
                % {"juror": locked.email}
            )
        # The review figures of the dossiers they leave are counted again without them.
        dossier_ids = list(locked.assignments.values_list("dossier_id", flat=True))
        locked.delete()
        refresh_dossier_ranking(dossier_ids)
