"""Impact documents to download: an accompanied structure's impact summary as PDF (for whoever
sees its impact: its members, staff, its territory's support point), and a cohort's reports as
CSV or XLSX and its summary as PDF (for programme staff only).

These are staff documents: they hold figures the structure has not agreed to publish. Consent to
publish (`ReportValue.public`) is read by the public site only; none of these files is ever
linked from, or served to, a public page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from accelerator.domain import impact_export, impact_pdf, tabular
from accelerator.models import Accompaniment, Cohort

PDF_CONTENT_TYPE = "application/pdf"


def _attachment(response, filename):
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def _cohort(request, pk):
    """The cohort, for programme staff; a 404 to everyone else (an id reveals nothing)."""
    if not request.user.has_perm("accelerator.see_impact_dashboard"):
        raise Http404
    return get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)


def _in_force_only(request):
    """`?reports=validated` keeps the validated reports in force; by default every period's
    current report is there, whatever its state (`impact_export`)."""
    return request.GET.get("reports") == "validated"


@never_cache
@login_required
def accompaniment_pdf(request, pk):
    accompaniment = get_object_or_404(
        Accompaniment.objects.select_related(
            "cohort__programme", "structure__department", "referent"
        ),
        pk=pk,
    )
    if not request.user.has_perm("accelerator.see_impact", accompaniment):
        raise Http404
    content = impact_pdf.accompaniment_summary_pdf(accompaniment, get_language())
    stem = impact_pdf.file_stem(accompaniment.structure.name)
    return _attachment(HttpResponse(content, content_type=PDF_CONTENT_TYPE), f"{stem}.pdf")


@never_cache
@login_required
def cohort_csv(request, pk):
    cohort = _cohort(request, pk)
    rows = impact_export.export_rows(cohort, _in_force_only(request))
    response = StreamingHttpResponse(
        tabular.csv_lines(impact_export.export_columns(), rows),
        content_type=tabular.CSV_CONTENT_TYPE,
    )
    return _attachment(response, f"{impact_pdf.file_stem(cohort.name)}.csv")


@never_cache
@login_required
def cohort_xlsx(request, pk):
    cohort = _cohort(request, pk)
    rows = impact_export.export_rows(cohort, _in_force_only(request))
    content = tabular.xlsx_bytes(impact_export.export_columns(), rows, title=str(cohort))
    response = HttpResponse(content, content_type=tabular.XLSX_CONTENT_TYPE)
    return _attachment(response, f"{impact_pdf.file_stem(cohort.name)}.xlsx")


@never_cache
@login_required
def cohort_pdf(request, pk):
    cohort = _cohort(request, pk)
    content = impact_pdf.cohort_summary_pdf(cohort, get_language())
    stem = impact_pdf.file_stem(cohort.name)
    return _attachment(HttpResponse(content, content_type=PDF_CONTENT_TYPE), f"{stem}.pdf")
