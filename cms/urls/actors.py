"""URLs of the directory of actors."""

from django.urls import path

from cms.views.public import actors

urlpatterns = [
    path("actors/", actors.actor_directory, name="actors"),
    path("actors/propose/", actors.actor_propose, name="actor_propose"),
    path("actors/<int:pk>/", actors.actor_detail, name="actor"),
    path("actors/<int:pk>/edit/", actors.actor_edit, name="actor_edit"),
]
