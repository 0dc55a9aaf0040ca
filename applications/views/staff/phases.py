"""The staff's review phases of a call: list, create, change, delete (dates in Paris time)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain.review_phases import delete_phase, phase_status, save_phase
from applications.forms.phases import ReviewPhaseForm
from applications.models import Call, ReviewPhase
from applications.views.staff.access import staff_required

STATUS_LABELS = {
    "upcoming": gettext_lazy("Upcoming"),
    "active": gettext_lazy("Open now"),
    "past": gettext_lazy("Closed"),
}


def _load_call(call_id):
    return get_object_or_404(Call.objects.select_related("programme"), pk=call_id)


def _phase_rows(call):
    now = timezone.now()
    rows = []
    for phase in ReviewPhase.objects.filter(call=call).order_by("starts_at"):
        status = phase_status(phase, now)
        rows.append({"phase": phase, "status": status, "status_label": STATUS_LABELS[status]})
    return rows


def _save(request, call, form, phase=None):
    """Save a valid form through the domain; None (errors added to the form) when refused."""
    try:
        saved = save_phase(call, form.cleaned_data, request.user, phase=phase)
    except Refused as refusal:
        show_refusal(request, refusal, form)
        return None
    return saved


@staff_required
def phase_list(request, call_id):
    call = _load_call(call_id)
    form = ReviewPhaseForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        phase = _save(request, call, form)
        if phase is not None:
            messages.success(request, _("The phase “%(name)s” is saved.") % {"name": phase.name})
            return redirect("applications:staff_review_phases", call_id=call.pk)
    context = {"call": call, "rows": _phase_rows(call), "form": form}
    return render(request, "applications/staff/reviews/phases.html", context)


def _load_phase(call_id, phase_id):
    return get_object_or_404(
        ReviewPhase.objects.select_related("call", "call__programme"),
        pk=phase_id,
        call_id=call_id,
    )


@staff_required
def phase_edit(request, call_id, phase_id):
    phase = _load_phase(call_id, phase_id)
    form = ReviewPhaseForm(request.POST or None, instance=phase)
    # The form leaves `phase` untouched (see _post_clean): the domain changes it, or not.
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, phase.call, form, phase=phase)
    ):
        messages.success(request, _("The phase “%(name)s” is saved.") % {"name": phase.name})
        return redirect("applications:staff_review_phases", call_id=call_id)
    context = {"call": phase.call, "phase": phase, "form": form}
    return render(request, "applications/staff/reviews/phase_edit.html", context)


@staff_required
def phase_delete(request, call_id, phase_id):
    phase = _load_phase(call_id, phase_id)
    if request.method == "POST":
        delete_phase(phase, request.user)
        messages.success(request, _("The phase “%(name)s” is deleted.") % {"name": phase.name})
        return redirect("applications:staff_review_phases", call_id=call_id)
    context = {"call": phase.call, "phase": phase, "status": phase_status(phase)}
    return render(request, "applications/staff/reviews/phase_delete.html", context)
