"""URLs of the journey: an accompaniment's page and what is recorded on it (included in
accelerator.app_urls, namespace "accelerator")."""

from django.urls import path

from accelerator.views import accompaniments

urlpatterns = [
    path("accompaniments/<int:pk>/", accompaniments.accompaniment_detail, name="accompaniment"),
]
