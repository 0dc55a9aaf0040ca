"""A structure's consent to the public portfolio, from its own page: what the public reads of
it, the description it writes for them, and its withdrawal. Its members and the programme's
staff read the page; its editors (and staff) change it. Every change goes through
cms.domain.portfolio, as the staff's admin does."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accelerator.domain.refusals import Refused
from accelerator.models import Membership
from accelerator.views.access import structure_for
from accelerator.views.refusals import show_refusal
from cms.domain.portfolio import (
    GIVE,
    consent_of,
    give_consent,
    latest_accompaniment,
    preview,
    withdraw_consent,
)
from cms.forms.portfolio_consent import ConsentForm

VIEW = "cms.view_portfolio_consent"


def _accompanied(request, pk, perm):
    """The structure `pk` and its latest accompaniment. A 404 to whoever has no link to it, and
    for a structure never accompanied (it has no portfolio page); a 403 to whoever sees it but
    may not do `perm`. The structure's memberships answer every role question of the page."""
    structure = structure_for(request, pk, memberships=Membership.objects.filter(structure_id=pk))
    accompaniment = latest_accompaniment(structure)
    if accompaniment is None:
        raise Http404
    if not request.user.has_perm(perm, structure):
        raise PermissionDenied
    return structure, accompaniment


@login_required
@require_http_methods(["GET", "POST"])
def consent(request, pk):
    structure, accompaniment = _accompanied(request, pk, GIVE if request.method == "POST" else VIEW)
    saved = consent_of(structure)
    form = ConsentForm(
        request.POST or None, initial={"description": saved.description if saved else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            give_consent(structure, request.user, form.cleaned_data["description"])
        except Refused as refusal:
            show_refusal(request, refusal, form, "description")
        else:
            if saved:
                text = _("The public description is saved: the portfolio shows it now.")
            else:
                text = _("%(name)s now appears in the public portfolio.") % {"name": structure.name}
            messages.success(request, text)
            return redirect("portfolio:consent", pk=structure.pk)
    return render(
        request,
        "cms/portfolio/consent.html",
        {
            "structure": structure,
            "accompaniment": accompaniment,
            "consent": saved,
            # What the public reads: the saved description, or none yet.
            "entry": preview(structure, accompaniment, saved.description if saved else ""),
            "form": form,
            "can_give": request.user.has_perm(GIVE, structure),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """Asks once, then takes the structure out of the portfolio. With no consent to withdraw,
    back to the portfolio page."""
    structure, _accompaniment = _accompanied(request, pk, GIVE)
    saved = consent_of(structure)
    if saved is None:
        return redirect("portfolio:consent", pk=structure.pk)
    if request.method == "POST":
        withdraw_consent(structure, request.user)
        messages.success(
            request,
            _("%(name)s no longer appears in the public portfolio.") % {"name": structure.name},
        )
        return redirect("portfolio:consent", pk=structure.pk)
    return render(
        request, "cms/portfolio/withdraw.html", {"structure": structure, "consent": saved}
    )
