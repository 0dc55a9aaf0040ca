"""URL of the staff's global search (included in accelerator.urls, namespace "accelerator")."""

from django.urls import path

from accelerator.views.staff import search

urlpatterns = [
    path("staff/search/", search.search, name="search"),
]
