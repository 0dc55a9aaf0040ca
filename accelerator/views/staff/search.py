"""The staff's global search across structures, dossiers, people and accompaniments: the first
results of every kind on one page, or every result of one kind, page by page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from accelerator.domain import search as domain
from accelerator.permissions import is_programme_staff
from accelerator.views.listing import query_string

# Per kind on the grouped page, and per page when one kind is listed.
GROUP_SIZE = 10
PAGE_SIZE = 25


@login_required
def search(request):
    # As every staff page: anonymous people log in, signed-in people who are not staff get a 403.
    if not is_programme_staff(request.user):
        raise PermissionDenied
    text = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    context = {"query_text": " ".join(text.split())[: domain.MAX_QUERY_LENGTH]}
    if kind:
        query, searcher, found = domain.search_kind(text, kind)
        if searcher is None:
            raise Http404
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")) if found else None
        context.update(
            searcher=searcher,
            page=page,
            page_query=query_string(request.GET),
            all_kinds_query=query_string(request.GET, kind=None),
        )
    else:
        query, groups = domain.search(text, limit=GROUP_SIZE)
        for group in groups:
            group.more_query = query_string(request.GET, kind=group.searcher.kind)
        context["groups"] = groups
    context["query"] = query
    return render(request, "accelerator/search/results.html", context)
