"""URLs of blind review: a juror reports a leak; staff preview a dossier as jurors read it."""

from django.urls import path

from applications.views.jury import juror
from applications.views.staff import blind_preview

urlpatterns = [
    path(
        "jury/dossiers/<int:dossier_id>/leak/",
        juror.report_leak,
        name="juror_report_leak",
    ),
    path(
        "staff/dossiers/<int:dossier_id>/blind-preview/",
        blind_preview.blind_preview,
        name="staff_blind_preview",
    ),
    path(
        "staff/dossiers/<int:dossier_id>/blind-preview/reports/<int:report_id>/resolve/",
        blind_preview.resolve_leak_report,
        name="staff_resolve_leak_report",
    ),
]
