"""A call's ranking for the staff: the table with its sorting and filters, and its exports."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from accelerator.views.listing import query_string
from applications.domain.ranking import Grid, filter_ranking, ordering
from applications.domain.ranking_export import (
    XLSX_CONTENT_TYPE,
    export_rows,
    ranking_csv_lines,
    ranking_xlsx,
)
from applications.domain.ranking_rows import ranking_page, stored_ranking
from applications.forms.ranking import RankingFilterForm
from applications.models import Call, DossierState

# Clicking a column sorts the best first: highest figures, or references from A.
FIRST_DIRECTION = {"mean": "-", "median": "-", "reviews": "-", "spread": "-", "reference": ""}
COLUMNS = [
    ("reference", _("Reference")),
    ("mean", _("Weighted mean")),
    ("median", _("Median")),
    ("reviews", _("Reviews")),
    ("spread", _("Spread")),
]
# What the page and the exports read of a dossier: the rest (answers, snapshot) stays in the
# database, and the grouped query sorts narrower rows.
READ_FIELDS = ("reference", "state", "structure__name")
# As on the dossiers list. The figures are stored per dossier (`ranking_rows`), kept up to date
# when a review changes: a page reads its 50 rows in the order asked, whatever the call's size.
PAGE_SIZE = 50


def ranking_access(view):
    """Anonymous people log in first; only those allowed to see a ranking go on (403 else)."""

    @wraps(view)
    def wrapper(request, call_id, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        call = get_object_or_404(Call.objects.select_related("programme"), pk=call_id)
        if not request.user.has_perm("applications.view_ranking", call):
            raise PermissionDenied
        return view(request, call, *args, **kwargs)

    return wrapper


def _ranking(call, form):
    """The ranked dossiers the query string asks for (stored figures, filtered), unsorted; and
    the grid. `ranking_page` reads a page of them with their places."""
    grid = Grid.of(call)
    dossiers = filter_ranking(stored_ranking(call, grid).only(*READ_FIELDS), **form.filters())
    return dossiers, grid


def _sort_links(params, current):
    """One header link per sortable column: the first click sorts the best first, the next one
    reverses; `aria_sort` tells assistive technologies which column orders the table."""
    key = current.lstrip("-")
    descending = current.startswith("-")
    links = []
    for column, label in COLUMNS:
        if column == key:
            target = column if descending else f"-{column}"
            aria = "descending" if descending else "ascending"
        else:
            target = f"{FIRST_DIRECTION[column]}{column}"
            aria = None
        links.append(
            {
                "column": column,
                "label": label,
                "query": query_string(params, sort=target),
                "aria_sort": aria,
            }
        )
    return {link["column"]: link for link in links}


@ranking_access
def ranking(request, call):
    form = RankingFilterForm(request.GET)
    dossiers, grid = _ranking(call, form)
    page = ranking_page(call, dossiers, form.sort_key(), request.GET.get("page"), PAGE_SIZE)
    # get_FOO_display hashes the whole list of (lazy) choices at every call: label rows once.
    labels = dict(DossierState.choices)
    for dossier in page.object_list:
        dossier.state_label = labels[dossier.state]
    filters = form.filters()
    context = {
        "call": call,
        "form": form,
        "page": page,
        "scale": grid.scale,
        "sort_links": _sort_links(request.GET, form.sort_key()),
        "page_query": query_string(request.GET),
        "filtered": any(filters.values()),
    }
    return render(request, "applications/staff/ranking/ranking.html", context)


@ranking_access
def ranking_export(request, call, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = RankingFilterForm(request.GET)
    dossiers, grid = _ranking(call, form)
    # Streamed: the rows are read from the database chunk by chunk as the file is written.
    header, rows = export_rows(call, dossiers, ordering(form.sort_key()), grid)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{call.slug}-ranking-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            ranking_csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            ranking_xlsx(header, rows, call.title), content_type=XLSX_CONTENT_TYPE
        )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
