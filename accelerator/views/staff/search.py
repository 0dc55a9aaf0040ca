"""The staff's global search across structures, dossiers, people and accompaniments."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


@login_required
def search(request):
    if not request.user.is_staff:
        raise PermissionDenied
    return render(request, "accelerator/search/results.html", {"query": request.GET.get("q", "")})
