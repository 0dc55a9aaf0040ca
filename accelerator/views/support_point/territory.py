"""The support point's page: the structures accompanied in its territory, a page at a time."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from accelerator.domain.roles import SUPPORT_POINT, roles_of
from accelerator.domain.territory import territory_list, territory_of

PAGE_SIZE = 25


@login_required
def territory(request):
    if not any(role.name == SUPPORT_POINT for role in roles_of(request.user)):
        raise PermissionDenied
    page = Paginator(territory_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "departments": list(territory_of(request.user).order_by("code")),
    }
    return render(request, "accelerator/territory/territory.html", context)
