"""The staff build a call's jury: jurors and invitations, declarations and suggested conflicts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accelerator.domain.refusals import Refused
from accelerator.views.listing import query_string
from accelerator.views.ratelimits import LIMIT_MESSAGES, over_limit
from accelerator.views.refusals import show_refusal
from applications.domain import conflicts as conflict_domain
from applications.domain import jury as domain
from applications.domain import jury_overview as overview
from applications.domain.jury_invitations import invite_juror
from applications.forms.conflict_record import StaffConflictForm
from applications.forms.jury import InviteJurorForm
from applications.models import Call, Juror
from applications.views.staff.access import staff_required


def _call(call_id):
    return get_object_or_404(Call.objects.select_related("programme"), pk=call_id)


def _render(request, call, *, invite_form=None, record_form=None, status=200):
    """The jury page: a page of jurors, a page of the suggestions, a page of the declared
    conflicts with the count of "no conflict" answers, and the two forms. Constant queries
    whatever the call's size."""
    counts = overview.declaration_counts(call)
    context = {
        "call": call,
        "jurors": overview.juror_page(call, request.GET.get("jurors")),
        "counts": counts,
        "conflicts": overview.conflict_page(call, request.GET.get("page"), counts["conflicts"]),
        "suggestions": overview.suggestion_page(call, request.GET.get("suggestions")),
        "invite_form": invite_form or InviteJurorForm(),
        "record_form": record_form or StaffConflictForm(call),
        "validity_days": Juror.INVITATION_VALIDITY.days,
        "jurors_query": query_string(request.GET, jurors=None),
        "conflicts_query": query_string(request.GET),
        "suggestions_query": query_string(request.GET, suggestions=None),
    }
    return render(request, "applications/staff/jury/jury.html", context, status=status)


def _back(call, request):
    """The jury page, on the pages of jurors, suggestions and conflicts the form was posted
    from."""
    url = reverse("applications:staff_jury", args=[call.pk])
    kept = {
        key: request.GET[key] for key in ("jurors", "suggestions", "page") if request.GET.get(key)
    }
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)


@staff_required
@require_http_methods(["GET", "POST"])
def jury_page(request, call_id):
    """The jury of a call; a POST invites a juror (or updates and re-sends an invitation)."""
    call = _call(call_id)
    if request.method != "POST":
        return _render(request, call)
    form = InviteJurorForm(request.POST)
    if not form.is_valid():
        return _render(request, call, invite_form=form, status=400)
    if over_limit(request, "jury_invitation"):
        form.add_error(None, LIMIT_MESSAGES["jury_invitation"])
        return _render(request, call, invite_form=form, status=429)
    data = form.cleaned_data
    try:
        juror = invite_juror(
            call,
            data["email"],
            data["role"],
            department=data["department"],
            organisation=data["organisation"],
            actor=request.user,
        )
    except Refused as refusal:
        show_refusal(request, refusal, form)
        return _render(request, call, invite_form=form, status=400)
    if juror.has_accepted:
        messages.success(
            request, _("%(email)s is on the jury: details updated.") % {"email": juror.email}
        )
    else:
        messages.success(
            request,
            _("An invitation is on its way to %(email)s.") % {"email": juror.email},
        )
    return _back(call, request)


@staff_required
@require_POST
def remove_juror(request, call_id, juror_id):
    call = _call(call_id)
    juror = get_object_or_404(Juror, call=call, pk=juror_id)
    try:
        domain.remove_juror(juror, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(request, _("%(email)s is no longer on the jury.") % {"email": juror.email})
    return _back(call, request)


@staff_required
@require_POST
def record_conflict(request, call_id):
    """Record or correct a declaration on a juror's behalf (also from a suggestion's button)."""
    call = _call(call_id)
    form = StaffConflictForm(call, request.POST)
    if not form.is_valid():
        return _render(request, call, record_form=form, status=400)
    data = form.cleaned_data
    try:
        declaration = conflict_domain.record_conflict(
            data["juror"], data["dossier"], data["kind"], data["details"], request.user
        )
    except ValidationError as refusal:
        show_refusal(request, refusal, form)
        return _render(request, call, record_form=form, status=400)
    messages.success(
        request,
        _("Recorded for %(juror)s on %(reference)s: %(kind)s.")
        % {
            "juror": declaration.juror.email,
            "reference": declaration.dossier.reference,
            "kind": declaration.get_kind_display(),
        },
    )
    return _back(call, request)
