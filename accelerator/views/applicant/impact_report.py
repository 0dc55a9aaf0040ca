"""One impact report's page: the structure's editors fill it (a value per indicator of the plan,
a narrative, evidence files), save drafts and submit it, and correct it once validated; the
programme staff and the support point read it and comment; the référent and the programme's
managers validate it or send it back (`accelerator.views.staff.impact_review`). The page itself
is rendered by `accelerator.views.impact_report_page`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accelerator.domain.files import rename_notice
from accelerator.domain.impact_records import add_evidence, remove_evidence, report_rows
from accelerator.domain.impact_reports import change_report_state, save_report, start_correction
from accelerator.domain.refusals import Refused
from accelerator.forms.impact_report import CorrectionForm, EvidenceForm, ReportForm
from accelerator.models import ReportEvidence
from accelerator.views.files import private_file
from accelerator.views.impact_report_page import REPORT, render_report, report_for, report_url
from accelerator.views.refusals import show_refusal

# --- the page, and the structure's draft


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    report = report_for(request, pk)
    if request.method == "POST":
        return _save(request, report)
    return render_report(request, report)


def _save(request, report):
    """Save the draft ("save") or save and submit it ("submit"). What was typed stays in the
    form whatever the refusal: a value the domain cannot read, a report no longer editable, or
    the reasons the machine gives not to submit it."""
    if not request.user.has_perm(REPORT, report.accompaniment):
        raise PermissionDenied
    action = request.POST.get("action")
    form = ReportForm(request.POST, rows=report_rows(report))
    if action not in ("save", "submit"):
        form.is_valid()
        form.add_error(None, _("Choose “Save draft” or “Submit”."))
        return render_report(request, report, {"report": form}, status=400)
    if not form.is_valid():
        return render_report(request, report, {"report": form})
    try:
        saved = save_report(report, request.user, form.entries(), form.cleaned_data["narrative"])
    except Refused as refusal:
        show_refusal(request, refusal, form)
        return render_report(request, report, {"report": form})
    if action == "save":
        messages.success(request, _("Your draft is saved."))
        return redirect(report_url(report))
    try:
        change_report_state(saved, "submit", request.user)
    except Refused as refusal:
        show_refusal(request, refusal, form)
        messages.warning(
            request, _("Your draft is saved, but it is not submitted yet: see why below.")
        )
        return render_report(request, report_for(request, report.pk), {"report": form})
    messages.success(
        request, _("Your report is submitted: the programme team will read it and answer you.")
    )
    return redirect(report_url(report))


# --- evidence


@login_required
@require_POST
def evidence_add(request, pk):
    report = report_for(request, pk, REPORT)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            evidence = add_evidence(report, request.user, uploaded)
        except Refused as refusal:
            show_refusal(request, refusal, form, "file")
        else:
            messages.success(
                request,
                _("“%(name)s” is added to the evidence.") % {"name": evidence.original_name},
            )
            notice = rename_notice(uploaded.name)
            if notice:
                messages.info(request, notice)
            return redirect(report_url(report, "evidence"))
    return render_report(request, report, {"evidence": form})


@login_required
def evidence_download(request, pk, evidence_pk):
    """The file, served after the check of who sees the report; a 404 to everyone else."""
    report = report_for(request, pk)
    evidence = get_object_or_404(ReportEvidence, pk=evidence_pk, report=report)
    return private_file(evidence)


@login_required
@require_POST
def evidence_remove(request, pk, evidence_pk):
    report = report_for(request, pk)
    evidence = get_object_or_404(ReportEvidence, pk=evidence_pk, report=report)
    # The person who uploaded it or the staff, while the report may change: the domain decides.
    try:
        remove_evidence(evidence, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": evidence.original_name})
    return redirect(report_url(report, "evidence"))


# --- a correction of a validated report


@login_required
@require_POST
def correct(request, pk):
    report = report_for(request, pk, REPORT)
    form = CorrectionForm(request.POST, prefix="correction")
    if form.is_valid():
        try:
            correction = start_correction(report, request.user, form.cleaned_data["reason"])
        except Refused as refusal:
            show_refusal(request, refusal, form, "reason")
        else:
            messages.success(
                request,
                _(
                    "Version %(version)s is open: correct the figures, then submit it. The "
                    "validated version stays in force until then."
                )
                % {"version": correction.version},
            )
            return redirect(report_url(correction))
    return render_report(request, report, {"correction": form})
