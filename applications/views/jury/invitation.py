"""Answering an invitation to a jury: one click for the invited account, a short form to create
the account for someone who has none, a clear word for someone logged in as another person."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain import jury_invitations as invitations
from applications.forms.jury import JurorAccountForm
from applications.models import Juror


@require_http_methods(["GET", "POST"])
def jury_invitation(request, token):
    juror = Juror.objects.select_related("call", "invited_by").filter(token=token).first()
    if juror is None:
        return render(request, "applications/jury/jury/invitation_invalid.html", status=404)
    state = invitations.invitation_state(juror, request.user).name
    form = None
    if state == "new_account":
        form = JurorAccountForm(juror.email, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if state == "acceptable":
            return _accept(request, juror)
        if state == "new_account" and form.is_valid():
            return _create_account(request, juror, form)
    if state == "accepted" and request.method == "GET":
        return redirect("applications:juror_call", juror.call_id)
    here = reverse("applications:jury_invitation", args=[juror.token])
    context = {
        "juror": juror,
        "call": juror.call,
        "state": state,
        "form": form,
        "expires_at": invitations.invitation_expires_at(juror),
        "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
        "logout_next": here,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/jury/jury/invitation.html", context, status=status)


def _welcome(request, juror):
    messages.success(
        request,
        _("Welcome to the jury of “%(call)s”. Here are the dossiers assigned to you.")
        % {"call": juror.call.title},
    )
    return redirect("applications:juror_call", juror.call_id)


def _accept(request, juror):
    try:
        invitations.accept_invitation(juror, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
        return redirect("applications:jury_invitation", juror.token)
    return _welcome(request, juror)


def _create_account(request, juror, form):
    data = form.cleaned_data
    try:
        user = invitations.accept_with_new_account(
            juror,
            data["first_name"],
            data["last_name"],
            data["password1"],
            language=translation.get_language(),
        )
    except Refused as refusal:
        show_refusal(request, refusal)
        return redirect("applications:jury_invitation", juror.token)
    get_adapter(request).login(request, user)
    return _welcome(request, juror)
