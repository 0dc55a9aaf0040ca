"""Coming into a structure: answering an invitation, or asking to join a registered structure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accelerator.domain import members as domain
from accelerator.domain.refusals import Refused
from accelerator.forms.structures import JoinRequestForm
from accelerator.identifiers import normalise_siret
from accelerator.models import Invitation, JoinRequest, Membership, Structure
from accelerator.views.ratelimits import LIMIT_MESSAGES, over_limit
from accelerator.views.refusals import show_refusal

# An invitation opened before logging in or signing up is kept here until the person is back
# (see AccountAdapter.get_login_redirect_url), so signing up does not lose it.
INVITATION_SESSION_KEY = "essor_invitation_token"


def _invitation_or_none(token):
    return (
        Invitation.objects.select_related("structure__department", "invited_by")
        .filter(token=token)
        .first()
    )


def _invitation_state(invitation, user):
    """What the page should say: one of accepted, revoked, expired, wrong_person, member, open."""
    if invitation.accepted_at:
        return "accepted"
    if invitation.revoked_at:
        return "revoked"
    if invitation.is_expired:
        return "expired"
    if not user.is_authenticated:
        return "open"
    if domain.normalise_email(invitation.email) not in domain.verified_emails(user):
        return "wrong_person"
    if Membership.objects.filter(structure=invitation.structure, user=user).exists():
        return "member"
    return "open"


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invitation = _invitation_or_none(token)
    if invitation is None:
        return render(request, "accelerator/invitation_invalid.html", status=404)
    if request.method == "POST":
        return _answer_invitation(request, invitation)
    state = _invitation_state(invitation, request.user)
    if request.user.is_authenticated:
        request.session.pop(INVITATION_SESSION_KEY, None)
    elif state == "open":
        request.session[INVITATION_SESSION_KEY] = invitation.token
    here = reverse("accelerator:invitation", args=[invitation.token])
    context = {
        "invitation": invitation,
        "structure": invitation.structure,
        "state": state,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
        "signup_url": f"{reverse('account_signup')}?{urlencode({'next': here})}",
    }
    return render(request, "accelerator/invitation.html", context)


def _answer_invitation(request, invitation):
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?"
            f"{urlencode({'next': reverse('accelerator:invitation', args=[invitation.token])})}"
        )
    request.session.pop(INVITATION_SESSION_KEY, None)
    structure = invitation.structure
    try:
        if request.POST.get("answer") == "decline":
            domain.decline_invitation(invitation, request.user)
        else:
            membership = domain.accept_invitation(invitation, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
        return redirect("accelerator:invitation", invitation.token)
    if request.POST.get("answer") == "decline":
        messages.info(
            request,
            _("You declined the invitation to join %(structure)s.") % {"structure": structure.name},
        )
        return redirect("accelerator:home")
    messages.success(
        request,
        _("Welcome to %(structure)s! Your role is “%(role)s”.")
        % {"structure": structure.name, "role": membership.get_role_display()},
    )
    return redirect("accelerator:structure", structure.pk)


@login_required
@require_http_methods(["GET", "POST"])
def join_request(request, siret):
    """Ask to join the structure registered with `siret`: reached from the registration form.

    Keyed by SIRET rather than by id, so only someone who knows the number learns the structure
    is registered; ids cannot be walked through to list every structure.
    """
    structure = get_object_or_404(
        Structure.objects.select_related("department"), siret=normalise_siret(siret)
    )
    if Membership.objects.filter(structure=structure, user=request.user).exists():
        messages.info(
            request, _("You are already a member of %(structure)s.") % {"structure": structure.name}
        )
        return redirect("accelerator:structure", structure.pk)
    pending = JoinRequest.objects.filter(
        structure=structure, user=request.user, status=JoinRequest.Status.PENDING
    ).first()
    form = JoinRequestForm(request.POST or None)
    context = {"structure": structure, "form": form, "pending": pending}
    if request.method == "POST" and pending is None and form.is_valid():
        if over_limit(request, "join_request"):
            form.add_error("message", LIMIT_MESSAGES["join_request"])
            return render(request, "accelerator/join_request.html", context, status=429)
        try:
            domain.request_to_join(structure, request.user, form.cleaned_data["message"])
        except Refused as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(
                request,
                _(
                    "Your request is sent to the owners of %(structure)s. You will get an e-mail "
                    "when they answer."
                )
                % {"structure": structure.name},
            )
            return redirect("accelerator:home")
    return render(request, "accelerator/join_request.html", context)
