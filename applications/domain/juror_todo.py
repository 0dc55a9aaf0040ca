"""What a juror has left to do, first on their page: per jury seat, the conflict questions to
answer and the reviews to write, with the date the review phase they review in ends."""

from django.utils import timezone

from applications.domain.review_progress import reviews_in_phase
from applications.models import ReviewPhase


def review_deadlines(seats, now=None):
    """{seat pk: the ReviewPhase the juror reviews in now, else the next one}, one query for
    every seat (none when there is no seat)."""
    if not seats:
        return {}
    now = now or timezone.now()
    phases = list(
        ReviewPhase.objects.filter(
            call_id__in={seat.call_id for seat in seats}, ends_at__gt=now
        ).order_by("starts_at", "pk")
    )
    deadlines = {}
    for seat in seats:
        for phase in phases:
            if phase.call_id == seat.call_id and reviews_in_phase(phase, seat):
                deadlines[seat.pk] = phase
                break
    return deadlines


def with_todo(seats, now=None):
    """`seats` (of jury_seats.seats_of) each given `reviews_left`, `todo` (questions to answer
    plus reviews left) and `phase` (see review_deadlines); those with something to do first, the
    nearest deadline first."""
    deadlines = review_deadlines(seats, now)
    for seat in seats:
        seat.reviews_left = max(seat.assigned_count - seat.conflict_count - seat.submitted_count, 0)
        seat.todo = seat.to_declare_count + seat.reviews_left
        seat.phase = deadlines.get(seat.pk)
    return sorted(
        seats,
        key=lambda seat: (
            not seat.todo,
            seat.phase is None,
            seat.phase.ends_at.timestamp() if seat.phase else 0,
        ),
    )
