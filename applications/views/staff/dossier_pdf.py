"""A dossier downloaded as a PDF by the programme staff, with its real state."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from applications.domain.dossier_pdf import dossier_pdf, pdf_filename
from applications.models import Dossier
from applications.views.staff.access import staff_required


@never_cache
@staff_required
def staff_dossier_pdf(request, dossier_id):
    dossier = get_object_or_404(
        Dossier.objects.select_related("call", "call__programme", "structure"), pk=dossier_id
    )
    response = HttpResponse(dossier_pdf(dossier, get_language()), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=pdf_filename(dossier)
    )
    return response
