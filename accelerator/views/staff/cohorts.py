"""Cohorts for staff and support points: the list of cohorts, a cohort's board (columns per
stage, totals, progress chart, filters) and its exports to CSV and XLSX."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from accelerator.domain import board, board_cards, board_export, tabular
from accelerator.forms.board import BoardFilterForm
from accelerator.models import Cohort


def _viewer_check(request):
    if not request.user.has_perm("accelerator.see_cohort_board"):
        raise PermissionDenied


@login_required
def cohort_list(request):
    _viewer_check(request)
    departments = board.territory(request.user)
    context = {
        "lines": board.cohort_lines(departments),
        "whole_programme": departments is None,
    }
    return render(request, "accelerator/journey/cohort_list.html", context)


def _cohort_and_filters(request, pk):
    """The cohort, the reader's territory and the filter form. A support point that sees none of
    the cohort's structures gets a 404: the cohort is none of its business."""
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)
    departments = board.territory(request.user)
    choices = board.filter_choices(cohort, departments)
    if departments is not None and not choices.seen:
        raise Http404
    return cohort, departments, BoardFilterForm(request.GET, choices)


@login_required
def cohort_board(request, pk):
    _viewer_check(request)
    cohort, departments, form = _cohort_and_filters(request, pk)
    filters = form.filters()
    context = {
        "cohort": cohort,
        "board": board.build_board(cohort, departments, **filters),
        "form": form,
        "filtered": bool(filters),
        "filter_query": urlencode(filters),
        "whole_programme": departments is None,
        "can_export": request.user.has_perm("accelerator.export_cohort"),
        "can_manage": request.user.has_perm("accelerator.manage_cohort", cohort),
    }
    return render(request, "accelerator/journey/cohort_board.html", context)


def _export(request, pk):
    if not request.user.has_perm("accelerator.export_cohort"):
        raise PermissionDenied
    cohort, departments, form = _cohort_and_filters(request, pk)
    cards = board_cards.cards_of(board.seen(cohort, departments, **form.filters()))
    stem = f"{slugify(cohort.name) or 'cohort'}-{timezone.localdate():%Y-%m-%d}"
    return cohort, board_export.export_columns(), board_export.export_rows(cards), stem


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


@login_required
def cohort_export_csv(request, pk):
    _cohort, columns, rows, stem = _export(request, pk)
    return _attachment(tabular.csv_bytes(columns, rows), tabular.CSV_CONTENT_TYPE, f"{stem}.csv")


@login_required
def cohort_export_xlsx(request, pk):
    cohort, columns, rows, stem = _export(request, pk)
    return _attachment(
        tabular.xlsx_bytes(columns, rows, title=str(cohort)),
        tabular.XLSX_CONTENT_TYPE,
        f"{stem}.xlsx",
    )
