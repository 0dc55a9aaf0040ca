"""Who may open an accompaniment's impact pages (its plan and its reports): the reader's role in
the structure is cached on it, then a 404 to whoever may not see the impact, a 403 to whoever
sees it but may not act. Shared by the structure's pages and the staff's."""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404

from accelerator.models import Membership

SEE = "accelerator.see_impact"


def reader_role(request, structure_path):
    """A subquery of the reader's role in the structure at `structure_path` ("structure_id")."""
    role = Membership.objects.filter(structure=OuterRef(structure_path), user=request.user)
    return Subquery(role.values("role")[:1])


def check_impact_access(request, accompaniment, role, perm=None):
    """Cache `role` (read with `reader_role`) for the permission checks, then refuse."""
    accompaniment.structure._roles = {request.user.pk: role}
    if not request.user.has_perm(SEE, accompaniment):
        raise Http404
    if perm and not request.user.has_perm(perm, accompaniment):
        raise PermissionDenied
