"""URLs of the journey: cohort admin (included in accelerator.urls, namespace "accelerator")."""

from django.urls import path

from accelerator.views.staff import cohort_admin

urlpatterns = [
    path(
        "cohorts/<int:pk>/add/",
        cohort_admin.cohort_add_structure,
        name="cohort_add_structure",
    ),
]
