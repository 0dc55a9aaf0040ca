"""The juror's space: their juries, a call's assigned dossiers, the conflict declaration, reading
a dossier and its files (blind when the review phase says so).

A dossier the juror may not read answers 404, never 403: they do not learn what they may not see.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain import blind, blind_reports, jury_seats
from applications.domain import conflicts as conflict_domain
from applications.domain.juror_access import awaiting_declaration
from applications.domain.juror_todo import with_todo
from applications.forms.blind import BlindLeakForm
from applications.forms.jury import DeclarationForm
from applications.models import Call, ConflictKind, Dossier


@login_required
def juror_home(request):
    """The calls where the user sits on the jury, what is left to do first (conflict questions,
    reviews, with the end of the review phase), then every seat: two queries."""
    seats = with_todo(list(jury_seats.seats_of(request.user)))
    return render(
        request,
        "applications/jury/juror/home.html",
        {"seats": seats, "todo_seats": [seat for seat in seats if seat.todo]},
    )


@login_required
def juror_call(request, call_id):
    """The dossiers assigned to the juror on one call and the next step on each."""
    call = get_object_or_404(Call, pk=call_id)
    seat = jury_seats.seat_of(request.user, call)
    if seat is None:
        raise Http404
    blind_mode = blind.is_blind(call)
    assignments = jury_seats.assignments_of(seat)
    for assignment in assignments:
        assignment.label = blind.dossier_label(assignment.dossier, blind_mode)
    counts = dict.fromkeys(jury_seats.Step.ALL, 0)
    for assignment in assignments:
        counts[assignment.step] += 1
    context = {
        "call": call,
        "seat": seat,
        "blind": blind_mode,
        "assignments": assignments,
        "counts": counts,
        "Step": jury_seats.Step,
    }
    return render(request, "applications/jury/juror/call.html", context)


def _dossier(dossier_id):
    return get_object_or_404(
        Dossier.objects.select_related("call", "structure", "structure__department"),
        pk=dossier_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def declare(request, dossier_id):
    """The conflict question for one assigned dossier, asked once, before its content."""
    dossier = _dossier(dossier_id)
    assignment = awaiting_declaration(request.user, dossier)
    if assignment is None:
        if request.user.has_perm("applications.read_dossier_as_juror", dossier):
            return redirect("applications:juror_dossier", dossier.pk)
        raise Http404
    blind_mode = blind.is_blind(dossier.call)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            conflict_domain.declare_conflict(
                assignment.juror, dossier, kind, form.cleaned_data["details"], request.user
            )
        except Refused as refusal:
            show_refusal(request, refusal)
            return redirect("applications:juror_call", dossier.call_id)
        if kind == ConflictKind.NONE:
            messages.success(request, _("Thank you. You can now read the dossier."))
            return redirect("applications:juror_dossier", dossier.pk)
        messages.success(
            request,
            _(
                "Thank you. Your conflict is recorded: this dossier is withdrawn from your list "
                "and your opinion will not count in its ranking."
            ),
        )
        return redirect("applications:juror_call", dossier.call_id)
    context = {
        "dossier": dossier,
        "call": dossier.call,
        "blind": blind_mode,
        "label": blind.dossier_label(dossier, blind_mode),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/jury/juror/declare.html", context, status=status)


def _readable_dossier(request, dossier_id):
    """The dossier if the user reads it as a juror; a redirect to the declaration when it is
    assigned to them and not declared yet; else 404."""
    dossier = _dossier(dossier_id)
    if request.user.has_perm("applications.read_dossier_as_juror", dossier):
        return dossier, None
    if awaiting_declaration(request.user, dossier) is not None:
        return dossier, redirect("applications:juror_declare", dossier.pk)
    raise Http404


def dossier_page_context(dossier, blind_mode):
    """What the juror's dossier page shows of `dossier`. The staff's blind preview renders the
    same context with the same template part, so what staff check is what jurors read."""
    return {
        "dossier": dossier,
        "call": dossier.call,
        "structure": dossier.structure,
        "view": blind.juror_view(dossier, blind_mode),
        "blind": blind_mode,
    }


def _render_dossier(request, dossier, leak_form=None, status=200):
    blind_mode = blind.is_blind(dossier.call)
    context = dossier_page_context(dossier, blind_mode)
    # The leak report is offered while the review is blind; a refused one is shown regardless.
    context["leak_form"] = leak_form or (BlindLeakForm() if blind_mode else None)
    return render(request, "applications/jury/juror/dossier.html", context, status=status)


@login_required
def juror_dossier(request, dossier_id):
    dossier, elsewhere = _readable_dossier(request, dossier_id)
    if elsewhere:
        return elsewhere
    return _render_dossier(request, dossier)


@login_required
@require_POST
def report_leak(request, dossier_id):
    """A juror tells staff that the blind dossier still gives the applicant away."""
    dossier = _dossier(dossier_id)
    if not request.user.has_perm("applications.report_blind_leak", dossier):
        raise Http404
    form = BlindLeakForm(request.POST)
    if form.is_valid():
        try:
            blind_reports.report_leak(dossier, request.user, form.cleaned_data["text"])
        except Refused as refusal:
            show_refusal(request, refusal, form, field="text")
        else:
            messages.success(
                request,
                _("Thank you. The programme team is told and will hide what you pointed out."),
            )
            return redirect("applications:juror_dossier", dossier.pk)
    return _render_dossier(request, dossier, leak_form=form, status=400)


@login_required
def juror_file(request, dossier_id, number):
    """One file of the dossier, by its number; named "Attachment n.ext" in blind mode."""
    dossier, elsewhere = _readable_dossier(request, dossier_id)
    if elsewhere:
        raise Http404
    files = blind.juror_files(dossier)
    if not 1 <= number <= len(files):
        raise Http404
    attachment = files[number - 1]
    blind_mode = blind.is_blind(dossier.call)
    name = blind.neutral_file_name(attachment, number) if blind_mode else attachment.original_name
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=attachment.content_type
    )
