"""A juror's pack downloaded as one PDF: the call's dossiers assigned to them and readable by them.
Anyone who does not sit on the call's jury gets 404, as on the juror's other pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from applications.domain import jury_seats
from applications.domain.juror_pack import juror_pack_pdf, pack_filename
from applications.models import Call


@never_cache
@login_required
def juror_pack(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    seat = jury_seats.seat_of(request.user, call)
    if seat is None:
        raise Http404
    response = HttpResponse(juror_pack_pdf(seat, get_language()), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=pack_filename(seat)
    )
    return response
