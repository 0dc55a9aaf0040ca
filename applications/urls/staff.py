"""URLs of the staff side of calls and dossiers (under /staff/)."""

from django.urls import path

from applications.views.staff import calls, dossier_detail, dossier_list

urlpatterns = [
    path("staff/", calls.call_list, name="staff_calls"),
    path("staff/calls/<int:call_id>/dossiers/", dossier_list.dossier_list, name="staff_dossiers"),
    path(
        "staff/calls/<int:call_id>/dossiers/export.csv",
        dossier_list.dossier_export,
        name="staff_export",
    ),
    path("staff/dossiers/<int:dossier_id>/", dossier_detail.dossier_detail, name="staff_dossier"),
    path(
        "staff/dossiers/<int:dossier_id>/transitions/<str:name>/",
        dossier_detail.dossier_transition,
        name="staff_transition",
    ),
    path(
        "staff/dossiers/<int:dossier_id>/extension/",
        dossier_detail.dossier_extension,
        name="staff_extension",
    ),
]
