"""A structure's own journey page (placeholder until written)."""

from django.http import Http404


def structure_journey(request, pk):
    raise Http404
