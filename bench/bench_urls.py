"""Essor's URLs, and before them a bare view: the yardstick bench/public_pages.py measures the
public pages against, answered by the same server through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from essor.urls import urlpatterns as essor_urlpatterns


def bare(request, size=2):
    """`size` bytes of text: a page's size with none of its work, to tell the two costs apart."""
    return HttpResponse(b"o" * size, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare/<int:size>/", bare),
    *essor_urlpatterns,
]
