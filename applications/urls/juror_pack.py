"""URL of a juror's pack: their assigned dossiers on one call as one PDF."""

from django.urls import path

from applications.views.jury import pack

urlpatterns = [
    path("jury/calls/<int:call_id>/pack.pdf", pack.juror_pack, name="juror_pack"),
]
