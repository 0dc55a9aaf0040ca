"""URLs of the reviews part of the jury: review phases, a juror's review, progress."""

from django.urls import path

from applications.views.jury import reviews
from applications.views.staff import phases, progress
from applications.views.staff import reviews as staff_reviews

urlpatterns = [
    path("jury/dossiers/<int:dossier_id>/review/", reviews.review, name="review"),
    path(
        "staff/dossiers/<int:dossier_id>/reviews/",
        staff_reviews.staff_dossier_reviews,
        name="staff_dossier_reviews",
    ),
    path(
        "staff/calls/<int:call_id>/review-phases/",
        phases.phase_list,
        name="staff_review_phases",
    ),
    path(
        "staff/calls/<int:call_id>/review-phases/<int:phase_id>/",
        phases.phase_edit,
        name="staff_review_phase",
    ),
    path(
        "staff/calls/<int:call_id>/review-phases/<int:phase_id>/delete/",
        phases.phase_delete,
        name="staff_review_phase_delete",
    ),
    path(
        "staff/calls/<int:call_id>/review-progress/",
        progress.review_progress,
        name="staff_review_progress",
    ),
    path(
        "staff/calls/<int:call_id>/review-progress/remind/",
        progress.remind_jurors,
        name="staff_remind_jurors",
    ),
]
