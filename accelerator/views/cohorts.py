"""Cohort boards (placeholder until written)."""

from django.http import Http404


def cohort_board(request, pk):
    raise Http404
