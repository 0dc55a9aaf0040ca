"""The project's URLs plus a stand-in for the applicant's “start a dossier” page when it is missing.

The call page links its Apply button to `applications:start_dossier`; a real route, once it exists,
wins over the stand-in (the first pattern of a name is the one `reverse` returns).
"""

from django.http import HttpResponse
from django.urls import include, path

from applications import urls as application_urls
from essor import urls as root


def _start_dossier_stand_in(request, call_id):
    return HttpResponse(f"start a dossier on call {call_id}")


urlpatterns = [
    path(
        "",
        include(
            (
                [
                    *application_urls.urlpatterns,
                    path(
                        "calls/<int:call_id>/apply/", _start_dossier_stand_in, name="start_dossier"
                    ),
                ],
                "applications",
            )
        ),
    ),
    *root.urlpatterns,
]
