"""URLs of the journey: accompaniments (included in accelerator.app_urls, namespace "accelerator")."""

from django.urls import path  # noqa: F401

urlpatterns = []
