"""Publication consent: a structure's editors choose which of its validated figures may be shown
publicly, and `public_figures` is the one query through which any figure leaves the staff
pages: validated, in force (a corrected version never) and consented to."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.impact_reports import current_reports_q
from accelerator.domain.refusals import Refused
from accelerator.models import ReportValue

# Sent once figures became public or stopped being (the public site's cache listens: cms/apps.py).
publication_changed = Signal()


def _in_force():
    """Measured values of validated reports no newer version has replaced."""
    return ReportValue.objects.filter(current_reports_q("report__"), not_measured=False)


def publishable(accompaniment):
    """The figures of `accompaniment` its structure may choose to show: those in force, by
    indicator then period."""
    return (
        _in_force()
        .filter(report__accompaniment=accompaniment)
        .select_related("indicator", "report", "public_changed_by")
        .order_by(
            "indicator__category",
            "indicator__position",
            "indicator__name",
            "report__period_end",
            "pk",
        )  # fmt: skip
    )


def set_publication(accompaniment, actor, value_ids):
    """Make public exactly the figures `value_ids` of `accompaniment` (the others in force stop
    being public), recording who changed each and when. Only the structure's editors decide;
    a figure not in force (a draft, a corrected version, another structure's) is refused and
    nothing changes. Returns the figures that changed."""
    if not actor.has_perm("accelerator.publish_impact", accompaniment):
        raise PermissionDenied
    try:
        wanted = {int(pk) for pk in value_ids}
    except (TypeError, ValueError):
        raise Refused(_("Only validated figures in force can be shown publicly.")) from None
    with transaction.atomic():
        values = list(
            _in_force()
            .filter(report__accompaniment=accompaniment)
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        if wanted - {value.pk for value in values}:
            raise Refused(_("Only validated figures in force can be shown publicly."))
        now, changed = timezone.now(), []
        for value in values:
            public = value.pk in wanted
            if value.public != public:
                value.public, value.public_changed_at, value.public_changed_by = public, now, actor
                changed.append(value)
        ReportValue.objects.bulk_update(
            changed, ["public", "public_changed_at", "public_changed_by"]
        )
        if changed:
            transaction.on_commit(
                lambda: publication_changed.send(sender=ReportValue, accompaniment=accompaniment)
            )
    return changed


def public_figures(structure=None):
    """The figures the public may read, of every structure or of `structure`: validated, in
    force and consented to. The public site asks for figures through this query only."""
    figures = _in_force().filter(public=True)
    if structure is not None:
        figures = figures.filter(report__accompaniment__structure=structure)
    return figures.select_related(
        "indicator", "report__accompaniment__structure", "report__accompaniment__cohort"
    ).order_by(
        "report__accompaniment__structure__name",
        "indicator__category",
        "indicator__position",
        "report__period_end",
        "pk",
    )
