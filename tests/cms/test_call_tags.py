"""How calls read: Paris times with their zone, time left across daylight-saving changes, euros."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from accelerator.models import LegalForm
from applications.templatetags.call_tags import (
    call_eligibility,
    closing_text,
    euros,
    opening_text,
    paris_datetime,
    plain_number,
)
from tests import factories

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("now", "closes_at", "expected"),
    [
        # Spring forward (29 March 2026, 02:00 → 03:00): 70 hours, but three calendar days.
        (paris(2026, 3, 28, 12, 0), paris(2026, 3, 31, 11, 0), "Closes in 3 days"),
        # Just before the change, a deadline later that same day reads in summer time.
        (
            paris(2026, 3, 29, 0, 30),
            paris(2026, 3, 29, 17, 0),
            "Closes today at 17:00 (Paris time)",
        ),
        # Fall back (25 October 2026, 03:00 → 02:00): 25 hours away, and still tomorrow.
        (
            paris(2026, 10, 24, 23, 30),
            paris(2026, 10, 25, 23, 30),
            "Closes tomorrow at 23:30 (Paris time)",
        ),
        # The long day of the change: more than 24 hours away, yet today.
        (
            paris(2026, 10, 25, 0, 10),
            paris(2026, 10, 25, 23, 50),
            "Closes today at 23:50 (Paris time)",
        ),
        (paris(2026, 11, 30, 16, 40), paris(2026, 11, 30, 17, 0), "Closes in 20 minutes"),
        (paris(2026, 11, 30, 16, 59, 30), paris(2026, 11, 30, 17, 0), "Closes in 1 minute"),
        (
            paris(2026, 11, 1, 9, 0),
            paris(2026, 11, 2, 9, 0),
            "Closes tomorrow at 09:00 (Paris time)",
        ),
        (paris(2026, 11, 1, 9, 0), paris(2026, 11, 3, 9, 0), "Closes in 2 days"),
        (paris(2026, 11, 30, 17, 0), paris(2026, 11, 30, 17, 0), "Closed"),
    ],
)
def test_time_left_counts_calendar_days_in_paris(now, closes_at, expected):
    with time_machine.travel(now, tick=False):
        assert closing_text(closes_at) == expected


def test_time_left_is_computed_in_paris_whatever_the_active_time_zone(settings):
    # 23:30 in Paris on 1 November is already 2 November in UTC: the day is Paris's.
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(datetime(2026, 11, 1, 8, 0, tzinfo=UTC), tick=False):
        assert closing_text(datetime(2026, 11, 1, 22, 30, tzinfo=UTC)) == (
            "Closes today at 23:30 (Paris time)"
        )


def test_opening_text_says_when_a_call_opens(db):
    call = factories.make_call(
        opens_at=paris(2027, 1, 12, 9, 0), closes_at=paris(2027, 3, 1, 12, 0)
    )

    with time_machine.travel(paris(2026, 12, 1, 10, 0), tick=False):
        assert opening_text(call) == "Opens on 12 January 2027 at 09:00 (Paris time)"
    with time_machine.travel(paris(2027, 1, 11, 10, 0), tick=False):
        assert opening_text(call) == "Opens tomorrow at 09:00 (Paris time)"
    with time_machine.travel(paris(2027, 1, 12, 7, 0), tick=False):
        assert opening_text(call) == "Opens today at 09:00 (Paris time)"


def test_a_moment_is_shown_in_paris_time_with_its_zone_summer_and_winter():
    assert paris_datetime(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)) == (
        "1 July 2026 at 12:00 (Paris time)"
    )
    assert paris_datetime(datetime(2026, 12, 1, 11, 0, tzinfo=UTC)) == (
        "1 December 2026 at 12:00 (Paris time)"
    )


def test_dates_use_french_month_names_in_french():
    with translation.override("fr"):
        assert paris_datetime(datetime(2026, 11, 30, 11, 0, tzinfo=UTC)).startswith(
            "30 novembre 2026"
        )


def test_euros_are_grouped_in_the_reader_s_language():
    assert euros(Decimal("120000.00")) == "120,000\u00a0€"
    assert euros(Decimal("1234.5")) == "1,234.50\u00a0€"
    assert euros(None) == ""
    with translation.override("fr"):
        assert euros(Decimal("120000.00")) == "120\u00a0000\u00a0€"
        assert euros(Decimal("1234.5")) == "1\u00a0234,50\u00a0€"


def test_weights_lose_their_useless_zeros():
    assert plain_number(Decimal("1.00")) == "1"
    assert plain_number(Decimal("10.00")) == "10"
    assert plain_number(Decimal("1.50")) == "1.5"


def test_eligibility_reads_as_plain_sentences(db):
    call = factories.make_call(
        eligible_legal_forms=[LegalForm.ASSOCIATION, LegalForm.SCIC],
        esus_required=True,
        min_age_years=2,
        budget_min=Decimal("10000"),
        budget_max=Decimal("500000"),
    )
    call.eligible_departments.set(
        [factories.department("18", "Cher"), factories.department("45", "Loiret")]
    )
    call.save()

    assert call_eligibility(call) == [
        "The structure is based in one of these départements: Cher (18) or Loiret (45).",
        "Its legal form is one of: Association (loi 1901) or SCIC.",
        "It holds the ESUS agrément (entreprise solidaire d'utilité sociale).",
        "It was created at least 2 years ago.",
        "Its annual budget is between 10,000\u00a0€ and 500,000\u00a0€.",
    ]


def test_a_call_with_no_criteria_says_everyone_may_apply(db):
    call = factories.make_call(kind="coalitions", budget_max=Decimal("50000"))

    assert call_eligibility(call) == [
        "Open to territorial coalitions: a lead structure applies with its partners.",
        "Structures from every département may apply.",
        "Every legal form may apply.",
        "Its annual budget is at most 50,000\u00a0€.",
    ]
