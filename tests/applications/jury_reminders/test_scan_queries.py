"""A scan of the jurors' rules costs the same queries for one juror as for many: plans are
INSERT ... SELECT, reasons are checked per batch."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.applications.jury_reminders.support import RULES, emails, jury, paris, scan
from tests.applications.staff_support import count_queries

pytestmark = pytest.mark.django_db

ENDS = paris(2027, 3, 26, 17, 0)


@pytest.mark.parametrize(
    ("moment", "rule", "fields"),
    [
        (paris(2027, 3, 23, 17, 0), "juror_reviews_due", {}),
        (paris(2027, 3, 27, 9, 0), "juror_reviews_overdue", {}),
        (paris(2027, 3, 12, 10, 0), "juror_conflicts", {"declared": None}),
        (paris(2027, 3, 10, 10, 10), "juror_assignments", {"notified": False}),
    ],
)
def test_each_rule_scans_in_the_same_queries_for_1_and_8_jurors(moment, rule, fields, staff):
    counts = []
    for size in (1, 8):
        with time_machine.travel(paris(2027, 3, 10, 10, 0), tick=False) as traveller:
            jury(staff, ends_at=ENDS, jurors=size, dossiers=3, **fields)
            traveller.move_to(moment)
            before = len(emails(rule))
            _planned, queries = count_queries(lambda: scan(*RULES))
            assert len(emails(rule)) - before == size
            counts.append(queries)
    assert counts[0] == counts[1], counts


def test_a_scan_with_nothing_due_is_a_handful_of_queries(staff):
    with time_machine.travel(paris(2027, 3, 10, 10, 0), tick=False) as traveller:
        jury(staff, ends_at=ENDS, jurors=3)
        traveller.move_to(timezone.now() + timedelta(hours=1))
        planned, queries = count_queries(lambda: scan(*RULES))
    assert planned == dict.fromkeys(RULES, 0)
    assert queries <= 8, queries
