"""Builders shared by the jurors' reminder tests (no tests here): a call in review with its
jurors, their assignments and an open phase, written through the real models and the domain at a
time the test travels to; and what the reminders left behind (reminders, e-mails, bell)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from applications.domain.ranking_rows import refresh_dossier_ranking
from applications.models import Assignment, Review, ReviewPhase
from tests.applications.jury.helpers import declare, make_juror
from tests.applications.jury.test_reviews_support import dossier_in_review, reviewed_call
from workers import reminders
from workers.models import Notification, OutboxMessage, Reminder, ReminderStatus

PARIS = ZoneInfo("Europe/Paris")
RULES = ("juror_assignments", "juror_conflicts", "juror_reviews_due", "juror_reviews_overdue")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@dataclass
class Jury:
    call: object
    phase: object
    jurors: list
    dossiers: list
    assignments: dict = field(default_factory=dict)  # (juror pk, dossier pk) -> Assignment


def jury(
    staff,
    *,
    ends_at,
    jurors=1,
    dossiers=2,
    starts_at=None,
    blind=False,
    declared="none",
    notified=True,
    **call_fields,
):
    """A call whose `dossiers` dossiers under review are all assigned to its `jurors` accepted
    jurors (told of them now unless `notified` is False; each declared `declared`, None for not
    yet), with a review phase from yesterday (or `starts_at`) to `ends_at`."""
    now = timezone.now()
    call = reviewed_call(**call_fields)
    phase = ReviewPhase.objects.create(
        call=call,
        name="Première lecture",
        starts_at=starts_at or now - timedelta(days=1),
        ends_at=ends_at,
        blind=blind,
    )
    made = Jury(
        call=call,
        phase=phase,
        jurors=[make_juror(call) for _ in range(jurors)],
        dossiers=[dossier_in_review(call, staff) for _ in range(dossiers)],
    )
    for juror in made.jurors:
        for dossier in made.dossiers:
            made.assignments[juror.pk, dossier.pk] = Assignment.objects.create(
                juror=juror, dossier=dossier, notified_at=now if notified else None
            )
            if declared is not None:
                declare(juror, dossier, declared)
    refresh_dossier_ranking([d.pk for d in made.dossiers])
    return made


def submit(assignment):
    """The juror's review of `assignment`, submitted now (as a row: the form is tested apart)."""
    review = Review.objects.update_or_create(
        assignment=assignment, defaults={"submitted_at": timezone.now(), "recommendation": "yes"}
    )[0]
    refresh_dossier_ranking(assignment.dossier_id)
    return review


def scan(*names):
    """Run the jurors' rules (or `names`) as beat does, now."""
    return reminders.scan(timezone.now(), names=names or RULES)


def sent(rule):
    return list(Reminder.objects.filter(rule=rule, status=ReminderStatus.SENT).order_by("pk"))


def emails(rule):
    return list(OutboxMessage.objects.filter(key__startswith=f"reminder:{rule}:").order_by("pk"))


def bell(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def texts(message):
    """Everything a reader of the e-mail sees."""
    return " ".join((message.subject, message.body_text, message.body_html))
