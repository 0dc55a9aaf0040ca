"""Reviews still owed once the phase closed are recalled every day at 9:00, Paris time, on both
sides of the change to summer time, until they are in (or staff move on)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from applications.models import ReviewPhase
from tests.applications.jury_reminders.support import emails, jury, paris, scan, sent, submit

pytestmark = pytest.mark.django_db

RULE = "juror_reviews_overdue"
# Friday 26 March 2027, 17:00 in Paris; Paris moves to summer time on Sunday 28 March.
ENDS = paris(2027, 3, 26, 17, 0)


def test_once_a_day_at_nine_paris_time_across_the_change_to_summer_time(staff):
    with time_machine.travel(paris(2027, 3, 10, 10, 0), tick=False) as traveller:
        made = jury(staff, ends_at=ENDS, jurors=2, dossiers=2)

        traveller.move_to(ENDS + timedelta(minutes=1))
        scan()
        assert sent(RULE) == []

        # Saturday 27, winter time: 9:00 in Paris is 8:00 UTC.
        traveller.move_to(datetime(2027, 3, 27, 7, 59, tzinfo=UTC))
        scan()
        assert sent(RULE) == []
        traveller.move_to(datetime(2027, 3, 27, 8, 0, tzinfo=UTC))
        scan()
        assert len(sent(RULE)) == 2
        traveller.move_to(datetime(2027, 3, 27, 20, 0, tzinfo=UTC))
        scan()
        assert len(sent(RULE)) == 2

        # Sunday 28, summer time: 9:00 in Paris is 7:00 UTC.
        traveller.move_to(datetime(2027, 3, 28, 6, 59, tzinfo=UTC))
        scan()
        assert len(sent(RULE)) == 2
        traveller.move_to(datetime(2027, 3, 28, 7, 0, tzinfo=UTC))
        scan()
        assert len(sent(RULE)) == 4

        # The first juror finishes: from Monday only the second is reminded.
        for dossier in made.dossiers:
            submit(made.assignments[made.jurors[0].pk, dossier.pk])
        traveller.move_to(datetime(2027, 3, 29, 7, 0, tzinfo=UTC))
        scan()

    reminded = sent(RULE)
    assert [r.occasion for r in reminded] == [
        "overdue:2027-03-27",
        "overdue:2027-03-27",
        "overdue:2027-03-28",
        "overdue:2027-03-28",
        "overdue:2027-03-29",
    ]
    assert [r.due_at for r in reminded[::2]] == [
        datetime(2027, 3, 27, 8, 0, tzinfo=UTC),
        datetime(2027, 3, 28, 7, 0, tzinfo=UTC),
        datetime(2027, 3, 29, 7, 0, tzinfo=UTC),
    ]
    assert reminded[-1].recipient_id == made.jurors[1].user_id
    message = emails(RULE)[-1]
    assert message.subject == f"2 reviews overdue for “{made.call.title}”"
    assert "closed on 26 March 2027 at 17:00 (Paris time)" in message.body_text


def test_overdue_reminders_stop_when_a_later_phase_starts_or_after_two_weeks(staff):
    with time_machine.travel(paris(2027, 3, 10, 10, 0), tick=False) as traveller:
        made = jury(staff, ends_at=ENDS)
        other = jury(staff, ends_at=ENDS)
        ReviewPhase.objects.create(
            call=made.call,
            name="Délibération",
            starts_at=paris(2027, 4, 2, 9, 30),
            ends_at=paris(2027, 4, 20, 17, 0),
        )
        traveller.move_to(paris(2027, 4, 2, 9, 0))
        scan()
        assert sorted(r.object_id for r in sent(RULE)) == sorted(
            [made.jurors[0].pk, other.jurors[0].pk]
        )
        # The call's next phase has started: its own reminders take over.
        traveller.move_to(paris(2027, 4, 3, 9, 0))
        scan()
        assert [r.object_id for r in sent(RULE)][-1] == other.jurors[0].pk
        assert len(sent(RULE)) == 3

        traveller.move_to(paris(2027, 4, 9, 9, 0))
        scan()
        assert len(sent(RULE)) == 4
        # Two weeks after the close, staff decide: the daily reminder stops.
        traveller.move_to(paris(2027, 4, 10, 9, 0))
        scan()
        assert len(sent(RULE)) == 4
