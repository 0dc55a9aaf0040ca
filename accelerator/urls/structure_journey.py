"""URLs of the journey: a structure's own journey page (included in accelerator.urls,
namespace "accelerator")."""

from django.urls import path

from accelerator.views.applicant import structure_journey

urlpatterns = [
    path(
        "structures/<int:pk>/journey/",
        structure_journey.structure_journey,
        name="structure_journey",
    ),
    path(
        "structures/<int:pk>/journey/milestones/<int:milestone_pk>/",
        structure_journey.milestone_status,
        name="structure_milestone_status",
    ),
]
