"""The staff's reading of every juror's review of a dossier, private notes included."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from applications.domain.reviews import grid_of
from applications.models import Assignment, ConflictDeclaration, Dossier, Recommendation, Review
from applications.views.staff.access import staff_required


@staff_required
@require_safe
def staff_dossier_reviews(request, dossier_id):
    """Every juror's review of a dossier, private notes included, for the programme staff."""
    dossier = get_object_or_404(
        Dossier.objects.select_related("call", "call__programme", "structure"), pk=dossier_id
    )
    if not request.user.has_perm("applications.view_reviews", dossier):
        raise PermissionDenied
    criteria = grid_of(dossier.call_id)
    assignments = list(
        Assignment.objects.filter(dossier=dossier)
        .select_related("juror", "juror__user", "review")
        .order_by("juror__email")
    )
    reviews = Review.objects.filter(assignment__dossier=dossier).prefetch_related("scores")
    scores_by_review = {r.pk: {s.criterion_id: s for s in r.scores.all()} for r in reviews}
    declarations = {d.juror_id: d for d in ConflictDeclaration.objects.filter(dossier=dossier)}
    entries = []
    for assignment in assignments:
        review_obj = getattr(assignment, "review", None)
        scores = scores_by_review.get(review_obj.pk, {}) if review_obj else {}
        entries.append(
            {
                "assignment": assignment,
                "juror": assignment.juror,
                "declaration": declarations.get(assignment.juror_id),
                "review": review_obj,
                "scores": [(criterion, scores.get(criterion.pk)) for criterion in criteria],
            }
        )
    context = {
        "dossier": dossier,
        "call": dossier.call,
        "criteria": criteria,
        "entries": entries,
        "recommendations": dict(Recommendation.choices),
    }
    return render(request, "applications/staff/reviews/dossier_reviews.html", context)
