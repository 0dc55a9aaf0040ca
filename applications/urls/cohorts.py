"""URLs of forming a cohort from a call's selected dossiers (staff side)."""

from django.urls import path

from applications.views.staff import cohorts

urlpatterns = [
    path("staff/calls/<int:call_id>/cohort/", cohorts.call_cohort, name="staff_call_cohort"),
]
