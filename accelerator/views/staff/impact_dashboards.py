"""The impact dashboards, for programme staff: a cohort's (per indicator, with a département
filter, and where each structure stands), the programme's (the page a funder reads first), and
the cohort's reporting schedule. Anyone else gets a 404: the figures are the staff's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accelerator.domain import impact_dashboards as dashboards
from accelerator.domain import impact_programme
from accelerator.domain.board import filter_choices
from accelerator.domain.impact_cohort_chart import status_chart
from accelerator.domain.impact_schedule import opened_reports, save_schedule, schedule_of
from accelerator.forms.impact_schedule import ReportingScheduleForm
from accelerator.models import Cohort, Programme
from accelerator.views.listing import query_string

STRUCTURES_PER_PAGE = 25


def _staff_only(request):
    """Programme staff only: to anyone else the dashboards do not exist."""
    if not request.user.has_perm("accelerator.see_impact_dashboard"):
        raise Http404


def _cohort(request, pk):
    _staff_only(request)
    return get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)


@login_required
def cohort_impact(request, pk):
    cohort = _cohort(request, pk)
    departments = filter_choices(cohort, None).departments
    department = request.GET.get("department") or None
    unknown_department = department is not None and department not in dict(departments)
    if unknown_department:
        department = None
    scope = dashboards.Scope(cohort_id=cohort.pk, department=department)
    figures = dashboards.figures(scope)
    page = Paginator(dashboards.structures(scope), STRUCTURES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # The page's structures only are annotated: the subqueries run for 25 rows, not the cohort.
    page.object_list = list(dashboards.structure_lines(scope, pks=[a.pk for a in page.object_list]))
    for accompaniment in page.object_list:
        accompaniment.standing = dashboards.standing(accompaniment)
    context = {
        "cohort": cohort,
        "figures": figures,
        "period": dashboards.period_of(figures),
        "chart": status_chart(figures),
        "counts": dashboards.counts(scope)[()],
        "page": page,
        "page_query": query_string(request.GET),
        "departments": departments,
        "department": department,
        "department_name": dict(departments).get(department, ""),
        "unknown_department": unknown_department,
        "schedule": schedule_of(cohort),
    }
    return render(request, "accelerator/impact/cohort_impact.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reporting_schedule(request, pk):
    cohort = _cohort(request, pk)
    may_change = request.user.has_perm("accelerator.manage_cohort", cohort)
    schedule = schedule_of(cohort)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = ReportingScheduleForm(request.POST, instance=schedule)
        if form.is_valid():
            save_schedule(cohort, request.user, form.cleaned_data)
            messages.success(
                request,
                _("The reporting schedule of “%(cohort)s” is saved: it applies to the reports "
                  "opened from now on.") % {"cohort": cohort.name},
            )  # fmt: skip
            return redirect("accelerator:cohort_impact", pk=cohort.pk)
    else:
        form = ReportingScheduleForm(instance=schedule)
    context = {
        "cohort": cohort,
        "form": form,
        "schedule": schedule,
        "is_default": schedule.pk is None,
        "may_change": may_change,
        "opened": opened_reports(cohort),
    }
    return render(request, "accelerator/impact/reporting_schedule.html", context)


@login_required
def programme_impact(request, pk):
    _staff_only(request)
    programme = get_object_or_404(Programme, pk=pk)
    impact = impact_programme.programme_impact(programme)
    tables = [
        {
            "key": "cohorts",
            "title": _("Per cohort"),
            "column": _("Cohort"),
            "groups": impact.cohorts,
            "empty": _("The programme has no cohort yet."),
        },
        {
            "key": "departments",
            "title": _("Per département"),
            "column": _("Département"),
            "groups": impact.departments,
            "empty": _("No structure accompanied yet."),
        },
    ]
    context = {
        "programme": programme,
        "impact": impact,
        "chart": status_chart(impact.figures),
        "tables": tables,
    }
    return render(request, "accelerator/impact/programme_impact.html", context)
