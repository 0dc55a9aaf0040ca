"""Forming a cohort from a call: staff put the structures of its selected dossiers in a cohort of
the call's programme, one they run or one they create on the spot. A call for points d'appui has
no cohort: the same page appoints its selected candidates as the points d'appui of their
département."""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accelerator.domain.cohorts import create_cohort, may_create_cohort
from accelerator.forms.cohorts import CallCohortForm
from accelerator.models import Accompaniment, Cohort
from accelerator.views.refusals import show_refusal
from applications.domain.cohorts import form_cohort_from_call
from applications.domain.support_point_calls import (
    appoint_selected,
    appointed_points,
    is_support_point_call,
    may_appoint,
    undisclosed,
)
from applications.domain.support_point_calls import (
    selected_dossiers as selected_candidates,
)
from applications.models import Call, Dossier, DossierState
from applications.views.staff.access import staff_required


def cohorts_run_by(user, programme):
    """The programme's cohorts `user` may fill, each with how many structures it holds."""
    cohorts = (
        Cohort.objects.filter(programme=programme)
        .annotate(structure_count=Count("accompaniments"))
        .order_by("-year", "name", "pk")
    )
    return [cohort for cohort in cohorts if user.has_perm("accelerator.manage_cohort", cohort)]


def selected_dossiers(call):
    """The call's selected dossiers, each with the programme's cohorts its structure is in."""
    dossiers = list(
        Dossier.objects.filter(call=call, state=DossierState.SELECTED)
        .select_related("structure__department")
        .order_by("reference")
    )
    placed = defaultdict(list)
    for accompaniment in (
        Accompaniment.objects.filter(
            cohort__programme_id=call.programme_id,
            structure_id__in=[dossier.structure_id for dossier in dossiers],
        )
        .select_related("cohort")
        .order_by("cohort__name", "pk")
    ):
        placed[accompaniment.structure_id].append(accompaniment.cohort)
    for dossier in dossiers:
        dossier.cohorts = placed[dossier.structure_id]
    return dossiers


@staff_required
@require_http_methods(["GET", "POST"])
def call_cohort(request, call_id):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_id)
    if is_support_point_call(call):
        return _appoint(request, call)
    programme = call.programme
    cohorts = cohorts_run_by(request.user, programme)
    may_create = may_create_cohort(request.user, programme)
    # Managers of the programme create cohorts; référents fill the cohorts they follow.
    if not (cohorts or may_create):
        raise PermissionDenied
    dossiers = selected_dossiers(call)
    form = CallCohortForm(request.POST or None, cohorts=cohorts, may_create=may_create)
    if request.method == "POST" and form.is_valid():
        if not dossiers:
            form.add_error(None, _("No dossier of this call is selected: nobody can join yet."))
        else:
            try:
                # A new cohort that cannot take the selection is not kept.
                with transaction.atomic():
                    if form.creates:
                        cohort = create_cohort(programme, request.user, **form.new_cohort_fields())
                    else:
                        cohort = form.chosen_cohort()
                    joined = form_cohort_from_call(call, cohort, request.user)
            except ValidationError as refusal:
                show_refusal(request, refusal, form)
            else:
                _tell(request, cohort, len(joined))
                return redirect("accelerator:cohort_board", cohort.pk)
    context = {"call": call, "dossiers": dossiers, "form": form, "may_create": may_create}
    return render(request, "applications/staff/cohort_form.html", context)


def _tell(request, cohort, joined):
    if joined:
        messages.success(
            request,
            ngettext(
                "%(count)s structure joined the cohort “%(cohort)s”, in sourcing.",
                "%(count)s structures joined the cohort “%(cohort)s”, in sourcing.",
                joined,
            )
            % {"count": joined, "cohort": cohort.name},
        )
    else:
        messages.info(
            request,
            _("Every selected structure was already in the cohort “%(cohort)s”: nothing changed.")
            % {"cohort": cohort.name},
        )


def _appoint(request, call):
    """The page of a call for points d'appui: its selected candidates, whether each one's decision
    is disclosed and the support point it already is, and the one button that appoints them."""
    if not may_appoint(request.user, call):
        raise PermissionDenied
    # No field to fill: the form only carries the domain's refusal to the error summary.
    form = forms.Form(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            appointments = appoint_selected(call, request.user)
        except ValidationError as refusal:
            show_refusal(request, refusal, form)
        else:
            _tell_appointed(request, appointments)
            return redirect("applications:staff_call_cohort", call.pk)
    dossiers = selected_candidates(call)
    hidden = {dossier.pk for dossier in undisclosed(dossiers)}
    points = appointed_points(dossiers)
    for dossier in dossiers:
        dossier.disclosed = dossier.pk not in hidden
        dossier.support_point = points.get(dossier.structure_id)
    context = {
        "call": call,
        "dossiers": dossiers,
        "form": form,
        "undisclosed_count": len(hidden),
        "to_appoint": sum(1 for dossier in dossiers if dossier.support_point is None),
    }
    return render(request, "applications/staff/support_points_form.html", context)


def _tell_appointed(request, appointments):
    opened = sum(1 for appointment in appointments if appointment.created)
    members = sum(len(appointment.new_members) for appointment in appointments)
    if not (opened or members):
        messages.info(
            request,
            _(
                "Every selected candidate was already a point d'appui with its owners: nothing "
                "changed."
            ),
        )
        return
    if opened:
        messages.success(
            request,
            ngettext(
                "%(count)s point d'appui appointed.",
                "%(count)s points d'appui appointed.",
                opened,
            )
            % {"count": opened},
        )
    if members:
        messages.success(
            request,
            ngettext(
                "%(count)s person now acts for a point d'appui and sees its territory.",
                "%(count)s people now act for a point d'appui and see its territory.",
                members,
            )
            % {"count": members},
        )
