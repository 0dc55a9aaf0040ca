"""Withdrawing a dossier, after a confirmation, at any time before a decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain.deliberation import state_shown_to_applicant
from applications.domain.dossiers import change_state
from applications.forms.dossier import WithdrawForm
from applications.views.applicant.access import load_dossier


@login_required
def withdraw(request, dossier_id):
    dossier = load_dossier(request, dossier_id)
    if not request.user.has_perm("applications.withdraw_dossier", dossier):
        raise PermissionDenied
    if not can_proceed(dossier.withdraw):
        shown = state_shown_to_applicant(dossier)
        # A decision not yet announced must not leak through this message.
        messages.error(
            request,
            _("This dossier is “%(state)s”: it can no longer be withdrawn.")
            % {"state": shown.label}
            if shown == dossier.state
            else _("This dossier can no longer be withdrawn."),
        )
        return redirect("applications:dossier", dossier.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change_state(dossier, "withdraw", request.user, form.cleaned_data["comment"])
        except Refused as refusal:
            show_refusal(request, refusal)
        else:
            messages.success(
                request,
                _("The dossier %(reference)s is withdrawn.") % {"reference": dossier.reference},
            )
        return redirect("applications:dossier", dossier.pk)
    return render(request, "applications/dossier/withdraw.html", {"dossier": dossier, "form": form})
