"""The staff's list of calls, every programme, with their dossiers counted per state."""

from django.shortcuts import render

from applications.domain.queries import STATES, calls_with_state_counts, count_key
from applications.models import DossierState
from applications.views.staff.access import staff_required


@staff_required
def call_list(request):
    calls = list(calls_with_state_counts().order_by("-closes_at", "pk"))
    labels = dict(DossierState.choices)
    for call in calls:
        call.state_counts = [
            {"state": state, "label": labels[state], "count": getattr(call, count_key(state))}
            for state in STATES
            if getattr(call, count_key(state))
        ]
    return render(request, "applications/staff/call_list.html", {"calls": calls})
