"""URLs of the deliberation part of the jury: decisions, then the letters that announce them."""

from django.urls import path

from applications.views.staff import deliberation, letters

urlpatterns = [
    path(
        "staff/calls/<int:call_id>/deliberation/",
        deliberation.deliberation_page,
        name="staff_deliberation",
    ),
    path(
        "staff/calls/<int:call_id>/deliberation/<int:dossier_id>/",
        deliberation.deliberation_dossier,
        name="staff_decision",
    ),
    path(
        "staff/calls/<int:call_id>/deliberation/<int:dossier_id>/shortlist/",
        deliberation.quick_shortlist,
        name="staff_quick_shortlist",
    ),
    path("staff/calls/<int:call_id>/letters/", letters.letters_page, name="staff_letters"),
    path(
        "staff/calls/<int:call_id>/letters/prepare/",
        letters.prepare,
        name="staff_letters_prepare",
    ),
    path(
        "staff/calls/<int:call_id>/letters/release/",
        letters.release,
        name="staff_letters_release",
    ),
    path(
        "staff/calls/<int:call_id>/letters/cancel-release/",
        letters.cancel,
        name="staff_letters_cancel",
    ),
    path(
        "staff/calls/<int:call_id>/letters/<int:dossier_id>/",
        letters.letter_page,
        name="staff_letter",
    ),
]
