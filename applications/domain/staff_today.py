"""The applications' sections of the staff's "today" page (accelerator.domain.staff_today):
dossiers to check, reviews late, decisions whose letter is not sent; registered from
ApplicationsConfig.ready(). Three queries each, whatever the number of dossiers (late reviews:
two, one when none is late)."""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, pgettext_lazy

from accelerator.domain.reminders_digest import TOP_ITEMS, DigestFigures, DigestItem, DigestSection
from applications.domain.deliberation import DECIDED_STATES
from applications.domain.review_progress import owed_by, owed_reviews, owing_jurors
from applications.domain.staff_digest import owed_review_item
from applications.models import Dossier, DossierState, ReviewPhase


def _figures(queryset, item, order):
    """The count and the first items: the first are found over narrow rows (their ids), then
    read with what they show; sorting the wide rows of every match would grow with the call."""
    first = list(queryset.order_by(*order).values_list("pk", flat=True)[:TOP_ITEMS])
    found = queryset.in_bulk(first)
    return DigestFigures(count=queryset.count(), items=[item(found[pk]) for pk in first])


def dossiers_to_check(now):
    """Submitted dossiers waiting for their eligibility check, the oldest first."""
    dossiers = Dossier.objects.filter(state=DossierState.SUBMITTED).select_related(
        "structure", "call"
    )
    return _figures(
        dossiers,
        lambda dossier: DigestItem(
            f"{dossier.reference} — {dossier.structure.name} ({dossier.call.title})",
            reverse("applications:staff_dossier", args=[dossier.pk]),
            timezone.localdate(dossier.submitted_at) if dossier.submitted_at else None,
        ),
        ("submitted_at", "pk"),
    )


def late_reviews(now):
    """Reviews still owed on a call whose review phases are all over: the jury's time is up.
    Counted from the jurors' stored counts, and listed from the assignments of the late jurors
    who owe some: the page reads neither every call's assignments nor their reviews."""
    call_phases = ReviewPhase.objects.filter(call=OuterRef("call"))
    late_jurors = (
        owing_jurors()
        .filter(Exists(call_phases.filter(ends_at__lte=now)))
        .exclude(Exists(call_phases.filter(ends_at__gt=now)))
    )
    owed = owed_by(late_jurors)
    phases = ReviewPhase.objects.filter(call=OuterRef("dossier__call"))
    late = (
        owed_reviews()
        .filter(juror__in=list(owed))
        .annotate(phase_ended=Subquery(phases.order_by("-ends_at").values("ends_at")[:1]))
        .select_related("juror__user", "dossier__call")
    )
    return DigestFigures(
        count=sum(owed.values()),
        items=[
            owed_review_item(assignment, assignment.phase_ended)
            for assignment in (late.order_by("phase_ended", "pk")[:TOP_ITEMS] if owed else [])
        ],
    )


def decisions_to_send(now):
    """Decided dossiers whose letter is missing, out of date or not released yet."""
    dossiers = (
        Dossier.objects.filter(state__in=DECIDED_STATES)
        .filter(
            Q(decision_letter__isnull=True)
            | Q(decision_letter__release_at__isnull=True)
            | ~Q(decision_letter__outcome=F("state"))
        )
        .select_related("structure", "call")
    )
    return _figures(
        dossiers,
        lambda dossier: DigestItem(
            format_lazy(
                "{} — {} ({}): {}",
                dossier.reference,
                dossier.structure.name,
                dossier.call.title,
                DossierState(dossier.state).label,
            ),
            reverse("applications:staff_letters", args=[dossier.call_id]),
        ),
        ("call__closes_at", "reference", "pk"),
    )


SECTIONS = [
    DigestSection(
        "dossiers_to_check",
        gettext_lazy("Dossiers to check"),
        dossiers_to_check,
        "applications:staff_calls",
        pgettext_lazy("before a date", "submitted on"),
        position=10,
    ),
    DigestSection(
        "late_reviews",
        gettext_lazy("Late reviews"),
        late_reviews,
        "applications:staff_calls",
        pgettext_lazy("before a date", "review phase ended on"),
        position=20,
    ),
    DigestSection(
        "decisions_to_send",
        gettext_lazy("Decisions to send"),
        decisions_to_send,
        "applications:staff_calls",
        position=30,
    ),
]
