"""The staff's review phases of a call: list, create, change, delete (dates in Paris time)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.domain.reviews import delete_phase, phase_status, save_phase
from applications.forms.staff import ParisDateTimeField
from applications.models import Call, PeerScores, ReviewPhase
from applications.views.staff.access import staff_required

STATUS_LABELS = {
    "upcoming": gettext_lazy("Upcoming"),
    "active": gettext_lazy("Open now"),
    "past": gettext_lazy("Closed"),
}


class ReviewPhaseForm(forms.ModelForm):
    starts_at = ParisDateTimeField(label=gettext_lazy("Starts (Paris time)"))
    ends_at = ParisDateTimeField(label=gettext_lazy("Ends (Paris time)"))

    class Meta:
        model = ReviewPhase
        fields = ["name", "starts_at", "ends_at", "presidents_only", "peer_scores", "blind"]
        widgets = {"peer_scores": forms.RadioSelect}
        help_texts = {
            "presidents_only": gettext_lazy(
                "When ticked, only the jurors whose role is president can review in this phase."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peer_scores"].choices = PeerScores.choices

    def _post_clean(self):
        # The domain checks order and overlaps (under a lock); the model's own checks would
        # only repeat them with a less helpful message.
        pass


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
    except ValidationError as refusal:
        form.add_error(None, refusal)
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
    if request.method == "POST":
        messages.error(request, _("The phase was not saved: see the messages in the form."))
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
    if request.method == "POST":
        # The form leaves `phase` untouched (see _post_clean): the domain changes it, or not.
        if form.is_valid() and _save(request, phase.call, form, phase=phase):
            messages.success(request, _("The phase “%(name)s” is saved.") % {"name": phase.name})
            return redirect("applications:staff_review_phases", call_id=call_id)
        messages.error(request, _("The phase was not saved: see the messages in the form."))
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
