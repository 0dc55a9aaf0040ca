"""URLs of forming a cohort from a call's selected dossiers (staff side)."""

from django.urls import path  # noqa: F401

urlpatterns = []
