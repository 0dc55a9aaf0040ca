"""URLs of the journey: cohorts and their boards (included in accelerator.app_urls, namespace
"accelerator")."""

from django.urls import path

from accelerator.views import cohorts

urlpatterns = [
    path("cohorts/<int:pk>/", cohorts.cohort_board, name="cohort_board"),
]
