"""URLs of dossiers and the jury: one module per side and per part of the work."""

from applications import (
    urls_applicant,
    urls_assignment,
    urls_blind,
    urls_cohorts,
    urls_deliberation,
    urls_jury,
    urls_ranking,
    urls_reviews,
    urls_staff,
)

app_name = "applications"

urlpatterns = [
    *urls_applicant.urlpatterns,
    *urls_staff.urlpatterns,
    *urls_jury.urlpatterns,
    *urls_blind.urlpatterns,
    *urls_assignment.urlpatterns,
    *urls_reviews.urlpatterns,
    *urls_ranking.urlpatterns,
    *urls_deliberation.urlpatterns,
    *urls_cohorts.urlpatterns,
]
