"""The signed-in person's dossiers, for all their structures, in a constant number of queries."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from applications.domain.queries import dossiers_of

PAGE_SIZE = 25


@login_required
def my_dossiers(request):
    page = Paginator(dossiers_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "applications/dossier/my_dossiers.html", {"page": page, "dossiers": page}
    )
