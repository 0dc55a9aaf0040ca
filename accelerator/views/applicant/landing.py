"""Where a person lands after logging in: the page of the role they act in; and the switch
between roles for a person who holds several."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accelerator.domain.roles import current_role, switch_role


@login_required
def landing(request):
    return redirect(current_role(request).url)


@login_required
@require_POST
def role_switch(request):
    role = switch_role(request, request.POST.get("role", ""))
    if role is None:
        return HttpResponseBadRequest(_("This is not one of your roles."))
    return redirect(role.url)
