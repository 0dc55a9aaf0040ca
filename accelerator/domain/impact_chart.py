"""An indicator's chart on a structure's impact page: the geometry of a small inline SVG where the
reported values are points joined by a line, the baseline and the target are marks of their own
shapes joined by the dashed path the plan expects, each with a label beside it, so the chart
reads without colour."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

# The chart's geometry, in SVG user units: small, so that its labels stay readable when the
# chart shrinks to a phone's width.
CHART_WIDTH, CHART_HEIGHT = 480, 240
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 16, 16, 36, 34
# The marks keep this far from the plot's sides, clear of the grid lines' labels on the left.
INSET = 40
# The steps between two grid lines, times a power of ten.
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
# About this many grid lines above zero.
TICKS = 4
# A label this close to an edge (in user units) is anchored on that side to stay in the chart.
EDGE = 90


@dataclass
class Mark:
    """A value on a day, with the words a label shows ("12,5 %"); `behind` when a reported value
    is behind the plan (None: nothing to compare with)."""

    day: datetime.date
    value: Decimal
    label: str
    behind: bool | None = None


@dataclass
class Point:
    mark: Mark
    x: float
    y: float
    # "start", "middle" or "end": where its label hangs, so that it stays inside the chart.
    anchor: str
    label_y: float


@dataclass
class Tick:
    value: Decimal
    label: str
    y: float
    # The value's label sits just above its grid line, inside the plot: no margin for it.
    label_y: float


@dataclass
class DateLabel:
    day: datetime.date
    x: float
    anchor: str


@dataclass
class IndicatorChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    points: list  # the reported values, in time order
    line: str  # the polyline joining them ("x,y x,y"), empty below two points
    baseline: Point | None
    target: Point | None
    path: str  # the dashed line from the baseline to the target, empty without both
    ticks: list = field(default_factory=list)
    dates: list = field(default_factory=list)  # the first and last days, under the axis


def nice_step(span):
    """The step of the grid lines for a span of values: 1, 2, 2.5 or 5 times a power of ten,
    so that about TICKS lines cover it."""
    span = Decimal(span)
    if span <= 0:
        return Decimal(1)
    rough = span / TICKS
    power = Decimal(10) ** math.floor(math.log10(rough))
    for step in NICE_STEPS:
        if rough <= step * power:
            return (step * power).normalize()
    return (10 * power).normalize()


def value_range(values):
    """(bottom, top, step) of the vertical axis: from zero (or below, for negative values) to a
    round value above the largest; never an empty range, even for one value or equal values."""
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    step = nice_step(high - low)
    bottom = step * math.floor(low / step)
    top = step * math.ceil(high / step)
    if top == bottom:
        top = bottom + step
    return bottom, top, step


def _anchor(x):
    if x < PLOT_LEFT + INSET + EDGE / 2:
        return "start"
    if x > CHART_WIDTH - PLOT_RIGHT - INSET - EDGE / 2:
        return "end"
    return "middle"


def indicator_chart(reported, baseline=None, target=None, tick_label=str):
    """The chart of one indicator: `reported` the validated values (Marks, any order),
    `baseline` and `target` the plan's Marks (or None), `tick_label(value)` the words of a grid
    line's value. None when there is nothing to draw."""
    reported = sorted(reported, key=lambda mark: mark.day)
    marks = [*reported, *(mark for mark in (baseline, target) if mark is not None)]
    if not marks:
        return None
    plot_width = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    plot_bottom = PLOT_TOP + plot_height
    first = min(mark.day for mark in marks)
    last = max(mark.day for mark in marks)
    days = (last - first).days
    bottom, top, step = value_range([mark.value for mark in marks])
    scale = plot_height / float(top - bottom)

    def x_of(day):
        # One day only: every mark stands in the middle.
        if days == 0:
            return PLOT_LEFT + plot_width / 2
        return PLOT_LEFT + INSET + (plot_width - 2 * INSET) * (day - first).days / days

    def y_of(value):
        return plot_bottom - float(value - bottom) * scale

    def point(mark, below=False):
        x, y = round(x_of(mark.day), 2), round(y_of(mark.value), 2)
        # Labels stand above their mark; the baseline's below it, apart from the reported ones.
        label_y = y + 18 if below and y + 18 < plot_bottom else y - 10
        return Point(mark=mark, x=x, y=y, anchor=_anchor(x), label_y=round(label_y, 2))

    points = [point(mark) for mark in reported]
    start = point(baseline, below=True) if baseline is not None else None
    end = point(target) if target is not None else None
    ticks = []
    value = bottom
    while value <= top:
        y = round(y_of(value), 2)
        ticks.append(Tick(value=value, label=tick_label(value), y=y, label_y=round(y - 4, 2)))
        value += step
    dates = [DateLabel(day=first, x=round(x_of(first), 2), anchor="start" if days else "middle")]
    if days:
        dates.append(DateLabel(day=last, x=round(x_of(last), 2), anchor="end"))
    return IndicatorChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=CHART_WIDTH - PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=plot_bottom,
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points) if len(points) > 1 else "",
        baseline=start,
        target=end,
        path=f"{start.x},{start.y} {end.x},{end.y}" if start and end else "",
        ticks=ticks,
        dates=dates,
    )
