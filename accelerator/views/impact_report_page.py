"""One impact report's page as every reader sees it: finding the report for the person who asks
(a 404 to whoever has no link to it, a 403 to whoever may not act) and rendering it with the forms
that person may use. The structure's actions are in `views.applicant.impact_report`, the staff's
in `views.staff.impact_review`; both re-render the page through `render_report`."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accelerator.domain.impact_records import report_page
from accelerator.forms.impact_report import (
    CommentForm,
    CorrectionForm,
    EvidenceForm,
    ReportForm,
    ReviewForm,
)
from accelerator.models import ImpactReport
from accelerator.templatetags.form_errors import summary_items
from accelerator.views.impact_access import check_impact_access, reader_role

REPORT = "accelerator.report_impact"


def report_for(request, pk, perm=None):
    """The report `pk` with its accompaniment and the reader's role in its structure (one
    query): a 404 to whoever may not see the accompaniment's impact, a 403 to whoever sees it
    but may not do `perm`."""
    report = get_object_or_404(
        ImpactReport.objects.select_related(
            "accompaniment__cohort__programme",
            "accompaniment__structure__department",
            "accompaniment__referent",
            "updated_by",
        ).annotate(reader_role=reader_role(request, "accompaniment__structure_id")),
        pk=pk,
    )
    check_impact_access(request, report.accompaniment, report.reader_role, perm)
    return report


def report_url(report, section=""):
    url = reverse("accelerator:impact_report", kwargs={"pk": report.pk})
    return f"{url}#{section}" if section else url


def render_report(request, report, bound=None, status=200):
    """The page, with `bound` ({"report", "review", "comment", "evidence", "correction": form})
    the form the user just sent, shown with what was typed and its errors."""
    bound = bound or {}
    page = report_page(report, request.user)
    accompaniment = report.accompaniment
    context = {
        "page": page,
        "report": report,
        "accompaniment": accompaniment,
        "structure": accompaniment.structure,
        "cohort": accompaniment.cohort,
    }
    # A report that moved on while its editor typed keeps the typed values, read-only.
    report_form = bound.get("report")
    if report_form is None and page.can_edit:
        report_form = ReportForm(rows=page.rows, narrative=report.narrative)
    context["form"] = report_form
    context["form_locked"] = report_form is not None and not page.can_edit
    if page.can_review or "review" in bound:
        context["review_form"] = bound.get("review") or ReviewForm(prefix="review")
    if page.can_comment:
        context["comment_form"] = bound.get("comment") or CommentForm(prefix="comment")
    if page.can_edit or "evidence" in bound:
        context["evidence_form"] = bound.get("evidence") or EvidenceForm(prefix="evidence")
    if page.can_correct or "correction" in bound:
        context["correction_form"] = bound.get("correction") or CorrectionForm(prefix="correction")
    # The summary's links to a form's own errors (not a field's) go to that form's section.
    sections = {
        "report": "report-form",
        "review": "review",
        "comment": "comments",
        "evidence": "evidence",
        "correction": "versions",
    }
    context["summary_items"] = summary_items(
        *bound.values(), anchors={form: sections[key] for key, form in bound.items()}
    )
    return render(request, "accelerator/impact/report.html", context, status=status)
