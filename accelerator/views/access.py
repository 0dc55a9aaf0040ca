"""Finding a structure for a request: 404 to those who may not know it, 403 to those who may
not act on it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accelerator.models import Structure


def structure_for(request, pk, perm=None, memberships=None):
    """The structure `pk` if the user may see it, and do `perm` on it when given.

    Someone with no link to the structure gets a 404, so an id reveals nothing; someone who sees it
    but may not do `perm` gets a 403. Pass the structure's `memberships` when the page loads them
    anyway: permission checks then read roles from them instead of asking the database.
    """
    structure = get_object_or_404(Structure.objects.select_related("department__region"), pk=pk)
    if memberships is not None:
        structure._roles = {membership.user_id: membership.role for membership in memberships}
    if not request.user.has_perm("accelerator.view_structure", structure):
        raise Http404
    if perm and not request.user.has_perm(perm, structure):
        raise PermissionDenied
    return structure
