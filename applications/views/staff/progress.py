"""The staff's view of a call's review progress: per juror and per dossier, counted by the
database in a fixed number of queries."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from applications.domain.review_phases import active_phase
from applications.domain.review_progress import dossiers_progress, jurors_progress
from applications.models import Call
from applications.views.staff.access import staff_required

PAGE_SIZE = 100


@staff_required
@require_safe
def review_progress(request, call_id):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_id)
    target = call.jurors_per_dossier
    jurors = list(jurors_progress(call))
    dossiers = dossiers_progress(call)
    only_missing = request.GET.get("missing") == "1"
    if only_missing:
        dossiers = dossiers.filter(reviews_in__lt=target)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    for dossier in page.object_list:
        dossier.below_target = dossier.reviews_in < target
        dossier.percent = min(100, round(100 * dossier.reviews_in / target)) if target else 100
    for juror in jurors:
        juror.not_started = juror.assigned - juror.started - juror.submitted
    totals = {
        key: sum(getattr(juror, key) for juror in jurors)
        for key in ("assigned", "started", "submitted", "not_started")
    }
    context = {
        "call": call,
        "phase": active_phase(call, timezone.now()),
        "target": target,
        "jurors": jurors,
        "totals": totals,
        "page": page,
        "only_missing": only_missing,
    }
    return render(request, "applications/staff/reviews/progress.html", context)
