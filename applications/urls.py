"""URLs of dossiers: the applicant's side and the staff's side."""

from django.urls import path

app_name = "applications"

urlpatterns = []
