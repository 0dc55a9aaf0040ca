"""The support point's own page: the structures accompanied in the territory of the support
points a person belongs to, as a list that pages (a constant number of queries per page)."""

from django.db.models import Count
from django.utils import timezone

from accelerator.domain.support_points import followed_q
from accelerator.models import Accompaniment, Department, Milestone


def territory_of(user):
    """The départements of the support points `user` belongs to (a queryset, not run)."""
    return Department.objects.filter(support_points__members=user).distinct()


def territory_list(user, today=None):
    """The accompaniments a support point `user` follows (see support_points.followed_q), by
    département and name, each with its overdue milestones counted: a queryset to page."""
    today = today or timezone.localdate()
    return (
        Accompaniment.objects.filter(followed_q(territory_of(user)))
        .select_related("cohort", "structure__department")
        .annotate(
            overdue_count=Count("milestones", filter=Milestone.overdue_q(today, "milestones__"))
        )
        .order_by("structure__department__code", "structure__name", "-cohort__year", "pk")
    )
