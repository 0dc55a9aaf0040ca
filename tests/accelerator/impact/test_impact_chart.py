"""The geometry of an indicator's chart: points placed in proportion to their day and value, the
baseline and target apart, and no division by zero with one point or equal values."""

import datetime
from decimal import Decimal

from accelerator.domain.impact_chart import (
    CHART_WIDTH,
    INSET,
    PLOT_LEFT,
    PLOT_RIGHT,
    Mark,
    indicator_chart,
    nice_step,
    value_range,
)

D = datetime.date


def mark(day, value, behind=None):
    return Mark(day=day, value=Decimal(value), label=f"{value}", behind=behind)


def test_points_are_placed_in_proportion_to_their_day_and_value():
    chart = indicator_chart(
        [mark(D(2026, 7, 1), "4"), mark(D(2027, 1, 1), "8")],
        baseline=mark(D(2026, 1, 1), "0"),
        target=mark(D(2028, 1, 1), "10"),
    )
    assert [tick.value for tick in chart.ticks] == [0, Decimal("2.5"), 5, Decimal("7.5"), 10]
    # The baseline on the first day at the left, the target on the last at the right.
    left, right = PLOT_LEFT + INSET, CHART_WIDTH - PLOT_RIGHT - INSET
    assert (chart.baseline.x, chart.target.x) == (left, right)
    first, second = chart.points
    assert first.x == round(left + (right - left) * 181 / 730, 2)
    assert second.x == round(left + (right - left) * 365 / 730, 2)
    # Values: zero on the axis, ten at the top, eight four-fifths of the way up.
    height = chart.plot_bottom - chart.plot_top
    assert chart.baseline.y == chart.plot_bottom
    assert chart.target.y == chart.plot_top
    assert second.y == round(chart.plot_bottom - height * 0.8, 2)
    assert first.y == round(chart.plot_bottom - height * 0.4, 2)
    assert chart.line == f"{first.x},{first.y} {second.x},{second.y}"
    assert chart.path == (
        f"{chart.baseline.x},{chart.baseline.y} {chart.target.x},{chart.target.y}"
    )
    # Labels near the edges hang inwards, so that they stay in the chart.
    assert chart.baseline.anchor == "start" and chart.target.anchor == "end"
    assert [date.day for date in chart.dates] == [D(2026, 1, 1), D(2028, 1, 1)]


def test_reported_values_are_joined_in_time_order():
    chart = indicator_chart([mark(D(2027, 1, 1), "3"), mark(D(2026, 1, 1), "1")])
    assert [point.mark.day for point in chart.points] == [D(2026, 1, 1), D(2027, 1, 1)]
    assert chart.points[0].x < chart.points[1].x
    assert chart.baseline is None and chart.target is None and chart.path == ""


def test_one_point_stands_in_the_middle_without_dividing_by_zero():
    chart = indicator_chart([mark(D(2026, 6, 30), "0")])
    point = chart.points[0]
    assert point.x == PLOT_LEFT + (CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT) / 2
    assert point.y == chart.plot_bottom
    assert chart.line == ""
    assert [tick.value for tick in chart.ticks] == [0, 1]
    assert len(chart.dates) == 1


def test_equal_values_on_the_same_day_still_draw():
    chart = indicator_chart(
        [mark(D(2026, 6, 30), "7")],
        baseline=mark(D(2026, 6, 30), "7"),
        target=mark(D(2026, 6, 30), "7"),
    )
    assert chart.baseline.y == chart.target.y == chart.points[0].y
    assert chart.plot_top <= chart.points[0].y < chart.plot_bottom
    assert chart.ticks[-1].value >= 7


def test_negative_values_put_zero_above_the_axis():
    bottom, top, step = value_range([Decimal("-3"), Decimal("5")])
    assert (bottom, top, step) == (-4, 6, 2)
    chart = indicator_chart([mark(D(2026, 1, 1), "-3"), mark(D(2026, 7, 1), "5")])
    zero = next(tick for tick in chart.ticks if tick.value == 0)
    assert chart.plot_top < zero.y < chart.plot_bottom


def test_steps_are_round_numbers():
    assert nice_step(Decimal(0)) == 1
    assert nice_step(Decimal(100)) == 25
    assert nice_step(Decimal("0.3")) == Decimal("0.1")
    assert nice_step(Decimal(125000)) == 50000


def test_nothing_to_draw_is_no_chart():
    assert indicator_chart([]) is None
