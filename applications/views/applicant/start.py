"""Starting a dossier: pick one of your structures, read the eligibility pre-check, start.
Registering a structure from here (or from the call's page) comes back here with it chosen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from accelerator.models import MemberRole, Structure
from applications.domain.drafting import live_dossier, start_dossier
from applications.domain.eligibility import check_eligibility
from applications.forms.dossier import StartDossierForm
from applications.models import Call

# `?structure=new` chooses the structure the person registered last: the registration page
# sends them back here with it.
NEW = "new"


def back_to_start_url(call):
    """This call's start page, choosing the structure registered meanwhile."""
    return (
        f"{reverse('applications:start_dossier', args=[call.pk])}?{urlencode({'structure': NEW})}"
    )


def new_structure_url(call):
    """The structure registration page, which comes back to `call`'s start page."""
    # The structure registration page belongs to the accelerator app.
    for name in ("accelerator:structure_create", "accelerator:structure_new"):
        try:
            return f"{reverse(name)}?{urlencode({'next': back_to_start_url(call)})}"
        except NoReverseMatch:
            continue
    return reverse("accelerator:home")


@login_required
def start(request, call_id):
    call = get_object_or_404(Call.objects.live().select_related("programme"), pk=call_id)
    structures = (
        Structure.objects.filter(
            memberships__user=request.user,
            memberships__role__in=[MemberRole.OWNER, MemberRole.EDITOR],
        )
        .select_related("department")
        .order_by("name")
    )
    choices = list(structures)
    selected = None
    if request.method == "POST":
        form = StartDossierForm(request.POST, structures=structures)
        if form.is_valid():
            selected = form.cleaned_data["structure"]
            try:
                dossier, created = start_dossier(call, selected, request.user)
            except Refused as refusal:
                # The reasons are listed as the pre-check lists them; the form says what they mean.
                form.add_error(None, _("This structure cannot apply to this call."))
                return _page(request, call, form, choices, selected, refusal.messages, status=400)
            if created:
                messages.success(
                    request,
                    _("Your dossier %(reference)s is started. It saves as you type.")
                    % {"reference": dossier.reference},
                )
            else:
                messages.info(
                    request, _("Your structure already has a dossier on this call: here it is.")
                )
            return redirect("applications:dossier", dossier.pk)
        return _page(request, call, form, choices, None, [], status=400)
    else:
        wanted = request.GET.get("structure")
        if wanted == NEW:
            # The latest registered of the person's structures: the one just registered.
            selected = max(choices, key=lambda s: s.pk, default=None)
        elif wanted:
            selected = next((s for s in choices if str(s.pk) == wanted), None)
        elif len(choices) == 1:
            selected = choices[0]
        form = StartDossierForm(
            structures=structures, initial={"structure": selected.pk if selected else None}
        )
    reasons = check_eligibility(call, selected) if selected else []
    return _page(request, call, form, choices, selected, reasons)


def _page(request, call, form, choices, selected, reasons, status=200):
    existing = live_dossier(call, selected) if selected else None
    context = {
        "call": call,
        "form": form,
        "structures": choices,
        "selected": selected,
        "reasons": reasons,
        "existing": existing,
        "new_structure_url": new_structure_url(call),
    }
    return render(request, "applications/dossier/start.html", context, status=status)
