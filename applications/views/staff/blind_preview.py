"""Staff check blind review on one dossier: what a juror reads of it (the juror's own page part,
so it cannot drift), the jurors' leak reports, and the extra terms to hide."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain import blind, blind_reports
from applications.forms.blind import BlindTermsForm
from applications.models import BlindLeakReport, Dossier
from applications.views.jury.juror import dossier_page_context
from applications.views.staff.access import staff_required


def _dossier(dossier_id):
    return get_object_or_404(
        Dossier.objects.select_related("call", "structure", "structure__department"),
        pk=dossier_id,
    )


def _render(request, dossier, terms_form=None, status=200):
    live = blind.is_blind(dossier.call)
    # Staff may look at the blind reading before the blind phase opens: ?mode=blind.
    blind_mode = live or request.GET.get("mode") == "blind"
    context = dossier_page_context(dossier, blind_mode)
    context.update(
        {
            "live_blind": live,
            "reports": list(blind_reports.reports_of(dossier)),
            "terms_form": terms_form
            or BlindTermsForm(initial={"terms": "\n".join(dossier.blind_terms or [])}),
        }
    )
    return render(request, "applications/staff/jury/blind_preview.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def blind_preview(request, dossier_id):
    """What a juror reads of the dossier now; a POST saves the dossier's extra blind terms."""
    dossier = _dossier(dossier_id)
    if request.method != "POST":
        return _render(request, dossier)
    form = BlindTermsForm(request.POST)
    if form.is_valid():
        try:
            blind_reports.set_blind_terms(dossier, form.lines(), request.user)
        except Refused as refusal:
            show_refusal(request, refusal, form, field="terms")
        else:
            messages.success(request, _("Saved: jurors now read these terms hidden."))
            return redirect("applications:staff_blind_preview", dossier.pk)
    return _render(request, dossier, terms_form=form, status=400)


@staff_required
@require_POST
def resolve_leak_report(request, dossier_id, report_id):
    report = get_object_or_404(BlindLeakReport, pk=report_id, dossier_id=dossier_id)
    blind_reports.resolve_report(report, request.user)
    messages.success(request, _("The report is marked resolved."))
    return redirect("applications:staff_blind_preview", dossier_id)
