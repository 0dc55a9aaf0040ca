"""URLs of the applicant side of dossiers."""

from django.urls import path

from applications.views.applicant import autosave, dossier, files, my_dossiers, start, withdraw

urlpatterns = [
    path("me/dossiers/", my_dossiers.my_dossiers, name="my_dossiers"),
    path("calls/<int:call_id>/apply/", start.start, name="start_dossier"),
    path("dossiers/<int:dossier_id>/", dossier.dossier_page, name="dossier"),
    path("dossiers/<int:dossier_id>/autosave/", autosave.autosave, name="autosave"),
    path("dossiers/<int:dossier_id>/withdraw/", withdraw.withdraw, name="withdraw"),
    path(
        "dossiers/<int:dossier_id>/files/<int:attachment_id>/",
        files.download_attachment,
        name="attachment",
    ),
    path(
        "dossiers/<int:dossier_id>/files/<int:attachment_id>/delete/",
        files.delete_attachment,
        name="delete_attachment",
    ),
]
