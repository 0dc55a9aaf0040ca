"""The dossiers of one call for the staff: filters, search, counts per state, pages, CSV export."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from accelerator.models import LegalForm
from accelerator.views.listing import query_string
from applications.domain.exports import dossier_csv_lines
from applications.domain.queries import (
    STATES,
    filter_dossiers,
    staff_dossier_list,
    state_counts,
)
from applications.forms.staff import DossierFilterForm
from applications.models import Call, Dossier, DossierState
from applications.views.staff.access import staff_required

PAGE_SIZE = 50


@staff_required
def dossier_list(request, call_id):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_id)
    form = DossierFilterForm(request.GET, call=call)
    filters = form.filters()
    # The state chips count what the other filters leave, so each chip says what a click shows.
    without_state = filter_dossiers(Dossier.objects.filter(call=call), **{**filters, "state": None})
    counts = state_counts(without_state)
    labels = dict(DossierState.choices)
    chips = [
        {
            "state": state,
            "label": labels[state],
            "count": counts[state],
            "active": filters.get("state") == state,
            "query": query_string(request.GET, state=state),
        }
        for state in STATES
    ]
    dossiers = filter_dossiers(staff_dossier_list(call), **filters)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    # Labels looked up once: `get_FOO_display` rebuilds its choices on each of the 50 rows.
    legal_forms = dict(LegalForm.choices)
    page.object_list = list(page.object_list)
    for dossier in page.object_list:
        dossier.state_label = labels[dossier.state]
        dossier.legal_form_label = legal_forms.get(dossier.structure.legal_form, "")
    context = {
        "call": call,
        "form": form,
        "page": page,
        "chips": chips,
        "total": sum(counts.values()),
        "current_state": filters.get("state"),
        "all_states_query": query_string(request.GET, state=None),
        "page_query": query_string(request.GET),
        "filtered": any(filters.values()),
    }
    return render(request, "applications/staff/dossier_list.html", context)


@staff_required
def dossier_export(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    filters = DossierFilterForm(request.GET, call=call).filters()
    dossiers = filter_dossiers(Dossier.objects.filter(call=call), **filters).order_by("reference")
    response = StreamingHttpResponse(
        dossier_csv_lines(call, dossiers), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{call.slug}-dossiers-{stamp}.csv"
    )
    return response
