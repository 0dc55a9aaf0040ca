"""URLs of the journey: cohort admin (included in accelerator.app_urls, namespace "accelerator")."""

from django.urls import path  # noqa: F401

urlpatterns = []
