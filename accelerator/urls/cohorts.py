"""URLs of the journey: cohorts, their boards and exports (included in accelerator.urls,
namespace "accelerator")."""

from django.urls import path

from accelerator.views.staff import cohorts

urlpatterns = [
    path("cohorts/", cohorts.cohort_list, name="cohort_list"),
    path("cohorts/<int:pk>/", cohorts.cohort_board, name="cohort_board"),
    path("cohorts/<int:pk>/export.csv", cohorts.cohort_export_csv, name="cohort_export_csv"),
    path("cohorts/<int:pk>/export.xlsx", cohorts.cohort_export_xlsx, name="cohort_export_xlsx"),
]
