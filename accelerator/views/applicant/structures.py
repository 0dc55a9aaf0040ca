"""Registering a structure, reading its profile and editing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accelerator.domain.structures import (
    DuplicateStructure,
    SameLegalUnit,
    create_structure,
    update_structure,
)
from accelerator.domain.support_points import contacts
from accelerator.forms.structures import StructureForm
from accelerator.models import MemberRole, Membership
from accelerator.views.access import structure_for
from accelerator.views.refusals import show_refusal


def _refused(request, form, refusal):
    """Put a refusal of the domain back on the form, so the typed values stay in place; a SIRET
    already registered also shows the structures to ask to join."""
    if isinstance(refusal, DuplicateStructure):
        form.duplicate = refusal.existing
    elif isinstance(refusal, SameLegalUnit):
        form.same_legal_unit = refusal.existing
        form.may_separate = refusal.may_separate
    show_refusal(request, refusal, form)


def _next_url(request):
    """Where to go once the structure is registered (a call's page sends its start page), when
    it is a page of this site; "" otherwise, so that no link leads anyone elsewhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def structure_create(request):
    form = StructureForm(request.POST or None)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        try:
            structure = create_structure(request.user, **form.cleaned_data)
        except ValidationError as refusal:
            _refused(request, form, refusal)
        else:
            if next_url:
                messages.success(
                    request,
                    _(
                        "%(name)s is registered. You are its owner; you can invite your "
                        "colleagues from its page at any time."
                    )
                    % {"name": structure.name},
                )
                return redirect(next_url)
            messages.success(
                request,
                _("%(name)s is registered. You are its owner: invite your colleagues below.")
                % {"name": structure.name},
            )
            return redirect("accelerator:members", structure.pk)
    return render(
        request,
        "accelerator/structure_form.html",
        {"form": form, "structure": None, "next_url": next_url},
    )


@login_required
def structure_detail(request, pk):
    structure = structure_for(request, pk)
    membership = Membership.objects.filter(structure=structure, user=request.user).first()
    if membership:
        structure._roles = {request.user.pk: membership.role}
    context = {
        "structure": structure,
        "membership": membership,
        "can_change": request.user.has_perm("accelerator.change_structure", structure),
        "is_owner": bool(membership and membership.role == MemberRole.OWNER),
        "is_accompanied": structure.accompaniments.exists(),
        # Members and staff see every person on the members page; the support point of the
        # territory only the contacts, here.
        "can_view_members": request.user.has_perm("accelerator.view_members", structure),
        "contacts": list(contacts(structure)),
    }
    return render(request, "accelerator/structure_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def structure_edit(request, pk):
    structure = structure_for(request, pk, "accelerator.change_structure")
    # The form writes typed values onto the instance: keep the saved name for the page's title.
    saved_name = structure.name
    form = StructureForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        try:
            update_structure(structure, request.user, **form.cleaned_data)
        except ValidationError as refusal:
            _refused(request, form, refusal)
        else:
            messages.success(
                request, _("The profile of %(name)s is saved.") % {"name": structure.name}
            )
            return redirect("accelerator:structure", structure.pk)
    return render(
        request,
        "accelerator/structure_form.html",
        {"form": form, "structure": structure, "saved_name": saved_name},
    )
