"""The members page of a structure: owners invite, change roles, name the contacts the support
point sees, remove and answer join requests; every member can leave."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accelerator.domain import members as domain
from accelerator.domain.refusals import Refused
from accelerator.forms.structures import InvitationForm, JoinDecisionForm, RoleForm
from accelerator.models import Invitation, JoinRequest, MemberRole, Membership
from accelerator.views.access import structure_for
from accelerator.views.ratelimits import LIMIT_MESSAGES, over_limit
from accelerator.views.refusals import show_refusal


def _memberships(pk):
    return list(
        Membership.objects.filter(structure_id=pk)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def _render_members(request, pk, invitation_form=None, status=200):
    memberships = _memberships(pk)
    structure = structure_for(request, pk, "accelerator.view_members", memberships=memberships)
    can_manage = request.user.has_perm("accelerator.manage_members", structure)
    owners = sum(1 for membership in memberships if membership.role == MemberRole.OWNER)
    for membership in memberships:
        membership.is_me = membership.user_id == request.user.pk
        membership.is_last_owner = membership.role == MemberRole.OWNER and owners == 1
        if can_manage:
            membership.role_form = RoleForm(
                initial={"role": membership.role}, prefix=f"m{membership.pk}"
            )
    context = {
        "structure": structure,
        "memberships": memberships,
        "my_membership": next((m for m in memberships if m.is_me), None),
        "can_manage": can_manage,
        "invitations": [],
        "join_requests": [],
    }
    if can_manage:
        context["invitation_form"] = invitation_form or InvitationForm()
        context["invitations"] = (
            Invitation.objects.filter(structure=structure, accepted_at=None, revoked_at=None)
            .select_related("invited_by")
            .order_by("email")
        )
        context["join_requests"] = [
            (join_request, JoinDecisionForm(prefix=f"j{join_request.pk}"))
            for join_request in JoinRequest.objects.filter(
                structure=structure, status=JoinRequest.Status.PENDING
            )
            .select_related("user")
            .order_by("created_at")
        ]
    return render(request, "accelerator/members.html", context, status=status)


@login_required
def members(request, pk):
    return _render_members(request, pk)


@login_required
@require_POST
def invite(request, pk):
    structure = structure_for(request, pk, "accelerator.manage_members")
    form = InvitationForm(request.POST)
    if form.is_valid():
        if over_limit(request, "structure_invitation"):
            form.add_error(None, LIMIT_MESSAGES["structure_invitation"])
            return _render_members(request, pk, invitation_form=form, status=429)
        try:
            invitation = domain.invite_member(
                structure, request.user, form.cleaned_data["email"], form.cleaned_data["role"]
            )
        except Refused as refusal:
            show_refusal(request, refusal, form, field="email")
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. Its link is valid for 7 days.")
                % {"email": invitation.email},
            )
            return redirect("accelerator:members", pk)
    return _render_members(request, pk, invitation_form=form)


def _membership_of(structure, membership_pk):
    return get_object_or_404(
        Membership.objects.select_related("user", "structure"),
        pk=membership_pk,
        structure=structure,
    )


@login_required
@require_POST
def change_role(request, pk, membership_pk):
    structure = structure_for(request, pk, "accelerator.manage_members")
    membership = _membership_of(structure, membership_pk)
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Please choose a role from the list."))
        return redirect("accelerator:members", pk)
    try:
        membership = domain.change_role(membership, request.user, form.cleaned_data["role"])
    except Refused as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(
            request,
            _("The role of %(person)s is now “%(role)s”.")
            % {"person": membership.user.display_name, "role": membership.get_role_display()},
        )
    return redirect("accelerator:members", pk)


@login_required
@require_POST
def set_contact(request, pk, membership_pk):
    structure = structure_for(request, pk, "accelerator.manage_members")
    membership = _membership_of(structure, membership_pk)
    choice = request.POST.get("is_contact")
    if choice not in ("yes", "no"):
        messages.error(request, _("Please say whether this person is a contact."))
        return redirect("accelerator:members", pk)
    membership = domain.set_contact(membership, request.user, choice == "yes")
    if membership.is_contact:
        text = _(
            "%(person)s is now a contact: the support point of the territory sees their name "
            "and e-mail address."
        )
    else:
        text = _("%(person)s is no longer a contact: the support point no longer sees them.")
    messages.success(request, text % {"person": membership.user.display_name})
    return redirect("accelerator:members", pk)


@login_required
@require_POST
def remove_member(request, pk, membership_pk):
    structure = structure_for(request, pk, "accelerator.manage_members")
    membership = _membership_of(structure, membership_pk)
    try:
        domain.remove_member(membership, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
        return redirect("accelerator:members", pk)
    messages.success(
        request,
        _("%(person)s is no longer a member of %(structure)s.")
        % {"person": membership.user.display_name, "structure": structure.name},
    )
    if membership.user_id == request.user.pk:
        return redirect("accelerator:home")
    return redirect("accelerator:members", pk)


@login_required
@require_POST
def leave(request, pk):
    structure = structure_for(request, pk, "accelerator.leave_structure")
    try:
        domain.leave_structure(structure, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
        return redirect("accelerator:members", pk)
    messages.success(request, _("You left %(structure)s.") % {"structure": structure.name})
    return redirect("accelerator:home")


@login_required
@require_POST
def revoke_invitation(request, pk, invitation_pk):
    structure = structure_for(request, pk, "accelerator.manage_members")
    invitation = get_object_or_404(Invitation, pk=invitation_pk, structure=structure)
    try:
        domain.revoke_invitation(invitation, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn: its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("accelerator:members", pk)


@login_required
@require_POST
def decide_join_request(request, pk, join_request_pk):
    structure = structure_for(request, pk, "accelerator.manage_members")
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user", "structure"),
        pk=join_request_pk,
        structure=structure,
    )
    form = JoinDecisionForm(request.POST, prefix=f"j{join_request.pk}")
    if not form.is_valid():
        messages.error(request, _("Please choose to accept or decline the request."))
        return redirect("accelerator:members", pk)
    accept = form.cleaned_data["decision"] == "accept"
    role = form.cleaned_data.get("role") or MemberRole.VIEWER
    try:
        domain.decide_join_request(join_request, request.user, accept, role)
    except Refused as refusal:
        show_refusal(request, refusal)
    else:
        person = join_request.user.display_name
        if accept:
            messages.success(
                request,
                _("%(person)s joined %(structure)s with the role “%(role)s”.")
                % {"person": person, "structure": structure.name, "role": MemberRole(role).label},
            )
        else:
            messages.success(
                request, _("The request of %(person)s is declined.") % {"person": person}
            )
    return redirect("accelerator:members", pk)
