"""URLs of a dossier's PDF: one for the structure's members, one for the staff."""

from django.urls import path

from applications.views.applicant import pdf
from applications.views.staff import dossier_pdf

urlpatterns = [
    path("dossiers/<int:dossier_id>/pdf/", pdf.dossier_pdf_download, name="dossier_pdf"),
    path(
        "staff/dossiers/<int:dossier_id>/pdf/",
        dossier_pdf.staff_dossier_pdf,
        name="staff_dossier_pdf",
    ),
]
