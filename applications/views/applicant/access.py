"""Loading a dossier for the person asking: those who may not see it do not learn it exists."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accelerator.models import Membership
from applications.models import Dossier


def load_dossier(request, dossier_id, queryset=None):
    """The dossier if the user may view it, else 404 (never 403: an outsider learns nothing)."""
    queryset = queryset if queryset is not None else Dossier.objects.all()
    dossier = get_object_or_404(
        queryset.select_related(
            "call",
            "call__programme",
            "structure",
            "structure__department",
            "last_saved_by",
            "created_by",
        ),
        pk=dossier_id,
    )
    user = request.user
    # One query tells the user's role; the permission predicates then read it from the cache.
    role = (
        Membership.objects.filter(structure_id=dossier.structure_id, user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )
    dossier.structure._roles = {user.pk: role}
    if not user.has_perm("applications.view_dossier", dossier):
        raise Http404
    return dossier
