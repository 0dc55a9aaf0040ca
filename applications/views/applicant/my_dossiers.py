"""The signed-in person's dossiers, for all their structures, in a constant number of queries."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from applications.models import Dossier

PAGE_SIZE = 25


def dossiers_of(user):
    """The dossiers of every structure `user` belongs to, newest first, ready for the list."""
    return (
        Dossier.objects.filter(structure__memberships__user=user)
        .select_related("call", "structure", "last_saved_by", "decision_letter")
        .order_by("-created_at", "-pk")
    )


@login_required
def my_dossiers(request):
    page = Paginator(dossiers_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "applications/dossier/my_dossiers.html", {"page": page, "dossiers": page}
    )
