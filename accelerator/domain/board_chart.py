"""The cohort's progress chart: the geometry of an inline SVG of stacked weekly bars, one colour
per stage, with its axis ticks and legend."""

import math
from dataclasses import dataclass

from accelerator.domain.board_progress import Week
from accelerator.domain.board_stages import BOARD_STAGES, STAGE_COLOURS

# The chart's geometry, in SVG user units.
CHART_WIDTH, CHART_HEIGHT = 720, 260
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 40, 10, 10, 40


@dataclass
class Segment:
    stage: str
    label: str
    count: int
    y: float
    height: float
    colour: str


@dataclass
class Bar:
    week: Week
    x: float
    width: float
    segments: list
    label_x: float
    show_label: bool


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list
    ticks: list  # (value, y)
    legend: list  # (stage, label, colour), stages that appear at least once


def progress_chart(weeks, labels):
    """A stacked bar per week, stages stacked in the journey's order, for an inline SVG."""
    plot_width = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    top = max([week.total for week in weeks] + [1])
    step = max(1, math.ceil(top / 4))
    top = step * math.ceil(top / step)
    scale = plot_height / top
    slot = plot_width / max(len(weeks), 1)
    # At most about eight dates under the axis, whatever the number of weeks.
    label_every = max(1, math.ceil(len(weeks) / 8))
    bars = []
    for index, week in enumerate(weeks):
        base = PLOT_TOP + plot_height
        segments = []
        for stage in BOARD_STAGES:
            count = week.counts[stage]
            if not count:
                continue
            height = count * scale
            base -= height
            segments.append(
                Segment(
                    stage=stage.value,
                    label=labels[stage],
                    count=count,
                    y=round(base, 2),
                    height=round(height, 2),
                    colour=STAGE_COLOURS[stage],
                )
            )
        x = PLOT_LEFT + index * slot
        bars.append(
            Bar(
                week=week,
                x=round(x + slot * 0.1, 2),
                width=round(max(slot * 0.8, 1), 2),
                segments=segments,
                label_x=round(x + slot / 2, 2),
                show_label=index % label_every == 0,
            )
        )
    used = {stage for week in weeks for stage, count in week.counts.items() if count}
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=CHART_WIDTH - PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=PLOT_TOP + plot_height,
        bars=bars,
        ticks=[
            (value, round(PLOT_TOP + plot_height - value * scale, 2))
            for value in range(0, top + 1, step)
        ],
        legend=[
            (stage.value, labels[stage], STAGE_COLOURS[stage])
            for stage in BOARD_STAGES
            if stage in used
        ],
    )
