"""A dossier downloaded as a PDF from its page: by whoever may read that page, nobody else."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from applications.domain.deliberation import state_shown_to_applicant
from applications.domain.dossier_pdf import dossier_pdf, pdf_filename
from applications.views.applicant.access import load_dossier


@never_cache
@login_required
def dossier_pdf_download(request, dossier_id):
    dossier = load_dossier(request, dossier_id)
    # The structure reads the state its page shows: no decision before its letter is released.
    content = dossier_pdf(dossier, get_language(), state=state_shown_to_applicant(dossier))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=pdf_filename(dossier)
    )
    return response
