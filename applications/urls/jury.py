"""URLs of the jury part of the jury: the staff build it, jurors answer invitations, declare
conflicts and read their dossiers."""

from django.urls import path

from applications.views.jury import invitation, juror
from applications.views.staff import jury

urlpatterns = [
    path("staff/calls/<int:call_id>/jury/", jury.jury_page, name="staff_jury"),
    path(
        "staff/calls/<int:call_id>/jury/<int:juror_id>/remove/",
        jury.remove_juror,
        name="staff_jury_remove",
    ),
    path(
        "staff/calls/<int:call_id>/jury/conflicts/",
        jury.record_conflict,
        name="staff_record_conflict",
    ),
    path("jury/invitations/<str:token>/", invitation.jury_invitation, name="jury_invitation"),
    path("jury/", juror.juror_home, name="juror_home"),
    path("jury/calls/<int:call_id>/", juror.juror_call, name="juror_call"),
    path("jury/dossiers/<int:dossier_id>/", juror.juror_dossier, name="juror_dossier"),
    path("jury/dossiers/<int:dossier_id>/conflict/", juror.declare, name="juror_declare"),
    path(
        "jury/dossiers/<int:dossier_id>/files/<int:number>/",
        juror.juror_file,
        name="juror_file",
    ),
]
