"""URLs of impact measurement: an accompaniment's impact page and plan, its reports, their review,
the cohort's and the programme's dashboards and exports (included in accelerator.urls,
namespace "accelerator")."""

from django.urls import path

from accelerator.views.applicant import impact_plan, impact_report
from accelerator.views.staff import impact_dashboards, impact_exports, impact_review

PLAN = "impact/<int:pk>/"
REPORT = "impact-reports/<int:pk>/"

urlpatterns = [
    # The accompaniment's impact: plan, reports, charts; seen by its structure, staff and its
    # support point.
    path(PLAN, impact_plan.impact_page, name="impact"),
    path(f"{PLAN}plan/", impact_plan.plan_line, name="impact_plan_line"),
    path(
        f"{PLAN}plan/<int:line_pk>/remove/",
        impact_plan.plan_line_remove,
        name="impact_plan_line_remove",
    ),
    path(f"{PLAN}plan/agree/", impact_plan.plan_agree, name="impact_plan_agree"),
    path(f"{PLAN}publication/", impact_plan.publication, name="impact_publication"),
    path(f"{PLAN}summary.pdf", impact_exports.accompaniment_pdf, name="impact_summary_pdf"),
    # One report: the structure fills and submits it, staff validate or send it back.
    path(REPORT, impact_report.report, name="impact_report"),
    path(f"{REPORT}evidence/", impact_report.evidence_add, name="impact_report_evidence_add"),
    path(
        f"{REPORT}evidence/<int:evidence_pk>/",
        impact_report.evidence_download,
        name="impact_report_evidence",
    ),
    path(
        f"{REPORT}evidence/<int:evidence_pk>/remove/",
        impact_report.evidence_remove,
        name="impact_report_evidence_remove",
    ),
    path(f"{REPORT}correct/", impact_report.correct, name="impact_report_correct"),
    path(f"{REPORT}move/<str:name>/", impact_review.move, name="impact_report_move"),
    path(f"{REPORT}comments/", impact_review.comment, name="impact_report_comment"),
    # Dashboards and exports.
    path("cohorts/<int:pk>/impact/", impact_dashboards.cohort_impact, name="cohort_impact"),
    path(
        "cohorts/<int:pk>/impact/schedule/",
        impact_dashboards.reporting_schedule,
        name="cohort_reporting_schedule",
    ),
    path(
        "cohorts/<int:pk>/impact/export.csv",
        impact_exports.cohort_csv,
        name="cohort_impact_csv",
    ),
    path(
        "cohorts/<int:pk>/impact/export.xlsx",
        impact_exports.cohort_xlsx,
        name="cohort_impact_xlsx",
    ),
    path(
        "cohorts/<int:pk>/impact/summary.pdf", impact_exports.cohort_pdf, name="cohort_impact_pdf"
    ),
    path(
        "programmes/<int:pk>/impact/", impact_dashboards.programme_impact, name="programme_impact"
    ),
]
