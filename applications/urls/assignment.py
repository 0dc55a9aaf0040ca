"""URLs of the assignment part of the jury: the staff give dossiers to jurors."""

from django.urls import path

from applications.views.staff import assignment

urlpatterns = [
    path(
        "staff/calls/<int:call_id>/assignments/",
        assignment.overview,
        name="staff_assignments",
    ),
    path(
        "staff/calls/<int:call_id>/assignments/jurors/<int:juror_id>/",
        assignment.juror_assignments,
        name="staff_assignments_juror",
    ),
    path(
        "staff/calls/<int:call_id>/assignments/dossiers/<int:dossier_id>/",
        assignment.dossier_assignments,
        name="staff_assignments_dossier",
    ),
]
