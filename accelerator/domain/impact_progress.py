"""Whether a structure is on track: where the straight path from an indicator's baseline to its
target expects the value on a given day, and whether a reported value has got there (in the
indicator's direction)."""

import datetime
from decimal import Decimal

from accelerator.models import Direction


def expected_at(line, day):
    """The value the plan's line expects on `day`: the baseline before the baseline date, the
    target after the target date, the straight line between; None without a target. With no
    baseline, only the target is known, so nothing is expected before the target date."""
    if line.target_value is None or line.target_on is None:
        return None
    if line.baseline_value is None or line.baseline_on is None:
        return line.target_value if day >= line.target_on else None
    if day <= line.baseline_on or line.target_on <= line.baseline_on:
        return line.baseline_value if day <= line.baseline_on else line.target_value
    if day >= line.target_on:
        return line.target_value
    elapsed = Decimal((day - line.baseline_on).days)
    span = Decimal((line.target_on - line.baseline_on).days)
    return line.baseline_value + (line.target_value - line.baseline_value) * elapsed / span


def on_track(line, value, day):
    """Whether `value`, reported for the period ending `day`, is where the plan expects it:
    True, False, or None when there is nothing to compare (no target yet, no value)."""
    if value is None or line is None or not isinstance(day, datetime.date):
        return None
    expected = expected_at(line, day)
    if expected is None:
        return None
    if line.indicator.direction == Direction.LOWER:
        return value <= expected
    return value >= expected
