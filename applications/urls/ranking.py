"""URLs of the ranking part of the jury: a call's ranking for the staff, and its exports."""

from django.urls import path

from applications.views.staff import ranking

urlpatterns = [
    path("staff/calls/<int:call_id>/ranking/", ranking.ranking, name="staff_ranking"),
    path(
        "staff/calls/<int:call_id>/ranking/export.<str:fmt>",
        ranking.ranking_export,
        name="staff_ranking_export",
    ),
]
