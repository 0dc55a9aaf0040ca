"""An accompaniment's page (placeholder until written)."""

from django.http import Http404


def accompaniment_detail(request, pk):
    raise Http404
