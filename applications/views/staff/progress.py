"""The staff's view of a call's review progress: per juror and per dossier, read from the figures
stored at each change in a fixed number of queries; and reminding late jurors now."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain.jury_remind_now import remind_late_jurors
from applications.domain.review_progress import (
    is_late,
    reminding_phase,
    stored_dossiers,
    stored_dossiers_count,
    stored_jurors,
)
from applications.models import Call, DossierState
from applications.views.staff.access import staff_required

# Rendering the rows is most of the page's time: 50 a page, as on the other staff lists.
PAGE_SIZE = 50


@staff_required
@require_safe
def review_progress(request, call_id):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_id)
    now = timezone.now()
    target = call.jurors_per_dossier
    late_phase = reminding_phase(call, now)
    # Nobody is late before a phase starts: the reviews owed then do not show.
    jurors = stored_jurors(call, owed=late_phase is not None)
    only_missing = request.GET.get("missing") == "1"
    below = target if only_missing else None
    # The figures are stored per dossier and juror, kept up to date at each change: a page
    # reads its own rows, and the count reads the stored rows' index only.
    paginator = Paginator(stored_dossiers(call, below=below), PAGE_SIZE)
    paginator.count = stored_dossiers_count(call, below=below)
    page = paginator.get_page(request.GET.get("page"))
    # get_FOO_display hashes the whole list of (lazy) choices at every call: label rows once.
    labels = dict(DossierState.choices)
    for dossier in page.object_list:
        dossier.state_label = labels[dossier.state]
        dossier.below_target = dossier.reviews_in < target
        dossier.percent = min(100, round(100 * dossier.reviews_in / target)) if target else 100
    for juror in jurors:
        juror.not_started = juror.assigned - juror.started - juror.submitted
        juror.late = is_late(juror, late_phase)
    totals = {
        key: sum(getattr(juror, key) for juror in jurors)
        for key in ("assigned", "started", "submitted", "not_started")
    }
    context = {
        "call": call,
        # Phases never overlap: the last one started is the open one, unless it has closed.
        "phase": late_phase if late_phase and late_phase.ends_at > now else None,
        "target": target,
        "jurors": jurors,
        "late_count": sum(1 for juror in jurors if juror.late),
        "totals": totals,
        "page": page,
        "only_missing": only_missing,
    }
    return render(request, "applications/staff/reviews/progress.html", context)


@staff_required
@require_POST
def remind_jurors(request, call_id):
    """Remind one late juror (`juror`: their id) or every late juror (`juror`: "all") now."""
    call = get_object_or_404(Call, pk=call_id)
    # Back to the list as it was shown (its filter and page).
    url = reverse("applications:staff_review_progress", kwargs={"call_id": call.pk})
    kept = {key: request.GET[key] for key in ("missing", "page") if request.GET.get(key)}
    back = redirect(f"{url}?{urlencode(kept)}" if kept else url)
    target = request.POST.get("juror", "")
    if target != "all" and not target.isdigit():
        messages.error(request, _("Choose the juror to remind, or every late juror."))
        return back
    try:
        count = remind_late_jurors(call, request.user, None if target == "all" else [int(target)])
    except Refused as refusal:
        show_refusal(request, refusal)
        return back
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s juror was reminded of their reviews by e-mail.",
                "%(count)s jurors were reminded of their reviews by e-mail.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(
            request,
            _(
                "No reminder was sent: no review is owed, or the reminder already went out "
                "within this hour."
            ),
        )
    return back
