"""URLs of dossiers and the jury: one module per side and per part of the work."""

from applications.urls import (
    applicant,
    assignment,
    blind,
    cohorts,
    deliberation,
    juror_pack,
    jury,
    pdf,
    ranking,
    reviews,
    staff,
)

app_name = "applications"

urlpatterns = [
    *applicant.urlpatterns,
    *staff.urlpatterns,
    *pdf.urlpatterns,
    *jury.urlpatterns,
    *juror_pack.urlpatterns,
    *blind.urlpatterns,
    *assignment.urlpatterns,
    *reviews.urlpatterns,
    *ranking.urlpatterns,
    *deliberation.urlpatterns,
    *cohorts.urlpatterns,
]
