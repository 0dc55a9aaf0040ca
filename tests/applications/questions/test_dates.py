"""Dates: read in both ways people write them, checked, shown in French order, carried over."""

import datetime

from tests.applications.questions.helpers import question

START = question("date")


def test_a_date_is_stored_iso_and_text_that_is_no_date_stays_as_typed():
    assert START.kind.normalise(START, "31/12/2026") == "2026-12-31"
    assert START.kind.normalise(START, "2026-12-31") == "2026-12-31"
    assert START.kind.normalise(START, " next spring ") == "next spring"


def test_a_date_is_checked_and_shown_day_first():
    assert START.kind.problems(START, "next spring") == ["Enter a date, for example 31/12/2026."]
    assert START.kind.problems(START, None) == ["This answer is required."]
    assert START.kind.display(START, "2026-09-01", []) == (datetime.date(2026, 9, 1), "01/09/2026")
    assert START.kind.field(START, {}).widget.input_type == "date"


def test_a_date_carries_over_from_text_and_a_list_does_not():
    assert START.kind.carry(START, "01/09/2026") == "2026-09-01"
    assert START.kind.carry(START, datetime.date(2026, 9, 1)) == "2026-09-01"
    assert START.kind.carry(START, ["2026-09-01"]) is None
