"""URLs of the applicant's space: home, structures, members and invitations."""

from django.urls import path

from accelerator.views import home

app_name = "accelerator"

urlpatterns = [
    path("me/", home.dashboard, name="home"),
]
