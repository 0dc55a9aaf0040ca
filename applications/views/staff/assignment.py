"""Staff pages that give dossiers to jurors: the overview with the automatic assignment, and the
pages of one juror and of one dossier where assignments are added and removed by hand."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain import conflicts
from applications.domain.assignment import (
    ASSIGNABLE_STATES,
    accepted_jurors,
    assign,
    assignable_dossiers,
    dossiers_in_review,
    juror_cap,
    juror_name,
    review_figures,
    unassign,
)
from applications.domain.auto_assignment import auto_assign
from applications.forms.assignment import AutoAssignForm, PickForm
from applications.models import Assignment, Call, ConflictDeclaration, ConflictKind, Dossier, Juror
from applications.models.ranking import JurorProgress
from applications.views.staff.access import staff_required

DOSSIERS_PER_PAGE = 100
# The overview draws each dossier's jurors with their links: half a page renders in half the time.
OVERVIEW_DOSSIERS_PER_PAGE = 50


def _manage(request, call_id):
    """The call, once the user is known to manage its assignments."""
    call = get_object_or_404(Call, pk=call_id)
    if not request.user.has_perm("applications.manage_assignments", call):
        raise PermissionDenied
    return call


def _add_all(request, form, items, make_pair):
    """Assign every picked item, all or nothing. True when done; otherwise False, with the
    reasons of every refusal on `form`."""
    reasons = []
    with transaction.atomic():
        for item in items:
            juror, dossier = make_pair(item)
            try:
                assign(juror, dossier, request.user)
            except Refused as refusal:
                reasons.extend(refusal.messages)
        if reasons:
            transaction.set_rollback(True)
    if reasons:
        show_refusal(request, Refused(reasons), form)
    return not reasons


def _picked(request, form):
    """The lines ticked in a refused form, ticked again when it is shown back."""
    if not form.is_bound:
        return set()
    return {int(value) for value in request.POST.getlist("picked") if value.isdigit()}


def _remove(request, juror, dossier):
    try:
        draft_deleted = unassign(juror, dossier, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
        return
    done = _("%(name)s no longer has the dossier %(reference)s.") % {
        "name": juror_name(juror),
        "reference": dossier.reference,
    }
    if draft_deleted:
        done += " " + _("Their draft review was deleted.")
    messages.success(request, done)


def _form_errors(form):
    return [*form.non_field_errors(), *form.errors.get("picked", [])] if form.is_bound else []


def _added_message(request, count, whom):
    messages.success(
        request,
        ngettext(
            "%(count)s assignment added for %(whom)s. The juror is told by e-mail.",
            "%(count)s assignments added for %(whom)s. Each juror gets one e-mail.",
            count,
        )
        % {"count": count, "whom": whom},
    )


# --- the overview ----------------------------------------------------------------------------


@staff_required
def overview(request, call_id):
    call = _manage(request, call_id)
    form = AutoAssignForm(
        request.POST if request.method == "POST" else None,
        initial={"per_dossier": call.jurors_per_dossier, "cap": call.max_dossiers_per_juror},
    )
    if request.method == "POST" and form.is_valid():
        report = auto_assign(
            call,
            request.user,
            per_dossier=form.cleaned_data["per_dossier"],
            cap=form.cleaned_data["cap"],
        )
        messages.success(request, report.summary())
        for line in report.problems():
            messages.warning(request, line)
        # Back to the list as it was shown (its filter and page).
        url = reverse("applications:staff_assignments", kwargs={"call_id": call.pk})
        kept = {key: request.GET[key] for key in ("missing", "page") if request.GET.get(key)}
        return redirect(f"{url}?{urlencode(kept)}" if kept else url)

    per_dossier = call.jurors_per_dossier
    # Each juror's load is their stored count (`JurorProgress`, recounted by every assignment
    # made or removed): the page neither lists nor counts a juror's whole set of dossiers.
    jurors = list(
        Juror.objects.filter(call=call)
        .select_related("user", "department", "progress")
        .order_by(F("accepted_at").asc(nulls_last=True), "email")
    )
    by_pk = {j.pk: j for j in jurors}
    juror_rows = [
        {
            "juror": juror,
            "name": juror_name(juror),
            "accepted": bool(juror.user_id and juror.accepted_at),
            "load": JurorProgress.of(juror).assigned,
            "cap": juror_cap(juror, call),
        }
        for juror in jurors
    ]

    listed = dossiers_in_review(call)
    only_missing = request.GET.get("missing") == "1"
    if only_missing:
        listed = listed.filter(dossier__state__in=ASSIGNABLE_STATES, assigned__lt=per_dossier)
    stats = review_figures(call, per_dossier)
    # The page is found over the stored rows, fewest jurors first (their index), then its
    # dossiers are read.
    paginator = Paginator(
        listed.order_by("assigned", "reference").values_list("dossier_id", "assigned"),
        OVERVIEW_DOSSIERS_PER_PAGE,
    )
    # The count is one of the figures: counting again would read the call's rows twice.
    paginator.count = stats["short"] if only_missing else stats["listed"]
    page = paginator.get_page(request.GET.get("page"))
    counts = dict(page.object_list)
    found = Dossier.objects.select_related("structure__department").in_bulk(list(counts))
    page.object_list = [found[pk] for pk in counts]
    for dossier in page.object_list:
        dossier.juror_count = counts[dossier.pk]
    names = defaultdict(list)
    for dossier_id, juror_id in (
        Assignment.objects.filter(dossier__in=[d.pk for d in page.object_list])
        .order_by("juror__email")
        .values_list("dossier_id", "juror_id")
    ):
        names[dossier_id].append(juror_id)
    dossier_rows = [
        {
            "dossier": dossier,
            "jurors": [(juror_id, juror_name(by_pk[juror_id])) for juror_id in names[dossier.pk]],
            "missing": dossier.state in ASSIGNABLE_STATES and dossier.juror_count < per_dossier,
        }
        for dossier in page.object_list
    ]
    context = {
        "call": call,
        "form": form,
        "juror_rows": juror_rows,
        "accepted_count": sum(1 for row in juror_rows if row["accepted"]),
        "page": page,
        # The refusals of the picking form, listed by the error summary (the boxes are drawn by
        # hand, so the summary links to the list of reasons above them).
        "error_items": [("pick-errors", str(error)) for error in _form_errors(form)],
        "dossier_rows": dossier_rows,
        "only_missing": only_missing,
        "per_dossier": per_dossier,
        "assignable_count": stats["assignable"],
        "short_count": stats["short"],
        "assignment_count": sum(row["load"] for row in juror_rows),
    }
    return render(request, "applications/staff/assignments/overview.html", context)


# --- one juror's dossiers --------------------------------------------------------------------


def _suggested_for(call, *, juror=None, dossier=None):
    """Suggested conflicts touching one juror (by dossier id) or one dossier (by juror id)."""
    found = defaultdict(list)
    for s_juror, s_dossier, reason in conflicts.suggested_conflicts(call):
        if juror is not None and s_juror.pk == juror.pk:
            found[s_dossier.pk].append(getattr(reason, "label", reason))
        elif dossier is not None and s_dossier.pk == dossier.pk:
            found[s_juror.pk].append(getattr(reason, "label", reason))
    return found


@staff_required
def juror_assignments(request, call_id, juror_id):
    call = _manage(request, call_id)
    juror = get_object_or_404(
        Juror.objects.select_related("user", "department"), pk=juror_id, call=call
    )
    accepted = bool(juror.user_id and juror.accepted_at)
    current = list(
        Assignment.objects.filter(juror=juror)
        .select_related("dossier__structure__department", "review")
        .order_by("dossier__reference")
    )
    declared = dict(
        ConflictDeclaration.objects.filter(juror=juror).values_list("dossier_id", "kind")
    )
    candidates = (
        assignable_dossiers(call)
        .exclude(assignments__juror=juror)
        .select_related("structure__department")
        .annotate(juror_count=Count("assignments"))
        .order_by("juror_count", "reference")
    )
    suggested = _suggested_for(call, juror=juror)
    # Every candidate may be picked (ids only: a national call's thousands of dossiers are
    # listed a page at a time, never read whole).
    ordered = list(candidates.values_list("pk", flat=True))
    choices = [pk for pk in ordered if declared.get(pk, ConflictKind.NONE) == "none"]
    action = request.POST.get("action")

    form = PickForm(request.POST if action == "add" else None, choices=choices)
    if action == "add" and form.is_valid():
        by_pk = candidates.in_bulk(form.cleaned_data["picked"])
        picked = [by_pk[pk] for pk in form.cleaned_data["picked"]]
        if _add_all(request, form, picked, lambda dossier: (juror, dossier)):
            _added_message(request, len(picked), juror_name(juror))
            return redirect(
                "applications:staff_assignments_juror", call_id=call.pk, juror_id=juror.pk
            )
    elif action == "remove":
        dossier = get_object_or_404(Dossier, pk=request.POST.get("dossier"), call=call)
        _remove(request, juror, dossier)
        return redirect("applications:staff_assignments_juror", call_id=call.pk, juror_id=juror.pk)

    picked = _picked(request, form)
    conflict_labels = dict(ConflictKind.choices)
    # The ids already read give the pages; the page's dossiers come in one query (even when
    # there are none, so the page's query count never depends on the data).
    page = Paginator(ordered, DOSSIERS_PER_PAGE).get_page(request.GET.get("page"))
    offset = (page.number - 1) * DOSSIERS_PER_PAGE
    page.object_list = list(candidates[offset : offset + DOSSIERS_PER_PAGE])
    rows = [
        {
            "dossier": dossier,
            "declared": conflict_labels.get(declared.get(dossier.pk)),
            "blocked": declared.get(dossier.pk, "none") != "none",
            "suggested": suggested.get(dossier.pk, []),
            "same_department": juror.department_id is not None
            and dossier.structure.department_id == juror.department_id,
            "picked": dossier.pk in picked,
        }
        for dossier in page.object_list
    ]
    context = {
        "call": call,
        "juror": juror,
        "page": page,
        "name": juror_name(juror),
        "accepted": accepted,
        "cap": juror_cap(juror, call),
        "current": current,
        "rows": rows,
        "form": form,
    }
    return render(request, "applications/staff/assignments/juror.html", context)


# --- one dossier's jurors --------------------------------------------------------------------


@staff_required
def dossier_assignments(request, call_id, dossier_id):
    call = _manage(request, call_id)
    dossier = get_object_or_404(
        Dossier.objects.select_related("structure__department"), pk=dossier_id, call=call
    )
    current = list(
        Assignment.objects.filter(dossier=dossier)
        .select_related("juror__user", "juror__department", "review")
        .order_by("juror__email")
    )
    declared = dict(
        ConflictDeclaration.objects.filter(dossier=dossier).values_list("juror_id", "kind")
    )
    candidates = list(
        accepted_jurors(call)
        .exclude(assignments__dossier=dossier)
        .select_related("user", "department")
        .annotate(load=Count("assignments"))
        .order_by("load", "email")
    )
    pending_count = Juror.objects.filter(call=call, accepted_at__isnull=True).count()
    suggested = _suggested_for(call, dossier=dossier)
    open_to_jurors = dossier.state in ASSIGNABLE_STATES
    choices = (
        [j.pk for j in candidates if declared.get(j.pk, ConflictKind.NONE) == "none"]
        if open_to_jurors
        else []
    )
    action = request.POST.get("action")

    form = PickForm(request.POST if action == "add" else None, choices=choices)
    if action == "add" and form.is_valid():
        by_pk = {j.pk: j for j in candidates}
        picked = [by_pk[pk] for pk in form.cleaned_data["picked"]]
        if _add_all(request, form, picked, lambda juror: (juror, dossier)):
            _added_message(request, len(picked), dossier.reference)
            return redirect(
                "applications:staff_assignments_dossier", call_id=call.pk, dossier_id=dossier.pk
            )
    elif action == "remove":
        juror = get_object_or_404(
            Juror.objects.select_related("user"), pk=request.POST.get("juror"), call=call
        )
        _remove(request, juror, dossier)
        return redirect(
            "applications:staff_assignments_dossier", call_id=call.pk, dossier_id=dossier.pk
        )

    picked = _picked(request, form)
    conflict_labels = dict(ConflictKind.choices)
    department_id = dossier.structure.department_id
    rows = [
        {
            "juror": juror,
            "name": juror_name(juror),
            "cap": juror_cap(juror, call),
            "declared": conflict_labels.get(declared.get(juror.pk)),
            "blocked": declared.get(juror.pk, "none") != "none",
            "suggested": suggested.get(juror.pk, []),
            "same_department": department_id is not None and juror.department_id == department_id,
            "picked": juror.pk in picked,
        }
        for juror in candidates
        if open_to_jurors
    ]
    context = {
        "call": call,
        "dossier": dossier,
        "current": current,
        "rows": rows,
        "form": form,
        "open_to_jurors": open_to_jurors,
        "pending_count": pending_count,
    }
    return render(request, "applications/staff/assignments/dossier.html", context)
