"""The applications' sections of the staff's weekly digest (accelerator.domain.reminders_digest):
dossiers submitted in the last seven days and reviews still owed; registered from
ApplicationsConfig.ready(). Two queries each, whatever the number of dossiers."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, pgettext_lazy

from accelerator.domain.reminders_digest import TOP_ITEMS, DigestFigures, DigestItem, DigestSection
from applications.domain.review_progress import owed_by, owed_reviews, owing_jurors
from applications.models import Dossier

NEW_FOR = timedelta(days=7)


def new_dossiers(now):
    dossiers = Dossier.objects.filter(
        submitted_at__gt=now - NEW_FOR, submitted_at__lte=now
    ).select_related("structure", "call")
    newest = dossiers.order_by("-submitted_at", "-pk")[:TOP_ITEMS]
    return DigestFigures(
        count=dossiers.count(),
        items=[
            DigestItem(
                f"{dossier.reference} — {dossier.structure.name} ({dossier.call.title})",
                reverse("applications:staff_dossier", args=[dossier.pk]),
                timezone.localdate(dossier.submitted_at),
            )
            for dossier in newest
        ],
    )


def owed_review_item(assignment, moment):
    """A review owed, as the digest and the "today" page list it: the juror, the dossier and the
    call, linked to the call's review progress, dated by `moment`."""
    return DigestItem(
        format_lazy(
            gettext_lazy("{juror}: dossier {reference} ({call})"),
            juror=assignment.juror.user.display_name,
            reference=assignment.dossier.reference,
            call=assignment.dossier.call.title,
        ),
        reverse("applications:staff_review_progress", args=[assignment.dossier.call_id]),
        timezone.localdate(moment),
    )


def pending_reviews(now):
    """Reviews owed by seated jurors, the oldest assignments first: counted from the jurors'
    stored counts, listed from the assignments of the jurors who owe some."""
    owing = owed_by(owing_jurors())
    owed = (
        owed_reviews().filter(juror__in=list(owing)).select_related("juror__user", "dossier__call")
    )
    oldest = owed.order_by("assigned_at", "pk")[:TOP_ITEMS] if owing else []
    return DigestFigures(
        count=sum(owing.values()),
        items=[owed_review_item(assignment, assignment.assigned_at) for assignment in oldest],
    )


SECTIONS = [
    DigestSection(
        "new_dossiers",
        gettext_lazy("Dossiers submitted in the last seven days"),
        new_dossiers,
        "applications:staff_calls",
        pgettext_lazy("before a date", "submitted on"),
        position=10,
    ),
    DigestSection(
        "pending_reviews",
        gettext_lazy("Reviews still owed by jurors"),
        pending_reviews,
        "applications:staff_calls",
        pgettext_lazy("before a date", "assigned on"),
        position=20,
    ),
]
