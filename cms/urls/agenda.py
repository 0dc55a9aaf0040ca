"""URLs of the agenda: reading it, and proposing and correcting entries."""

from django.urls import path

from cms.views.public import agenda, proposals

urlpatterns = [
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/archive/", agenda.agenda_archive, name="agenda_archive"),
    path("agenda/propose/", proposals.propose, name="agenda_propose"),
    path("agenda/mine/", proposals.mine, name="agenda_mine"),
    path("agenda/<int:pk>/", agenda.agenda_entry, name="agenda_entry"),
    path("agenda/<int:pk>/edit/", proposals.edit, name="agenda_edit"),
]
