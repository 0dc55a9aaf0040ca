"""The impact dashboards' chart: the geometry of an inline SVG with a horizontal stacked bar per
indicator, of the structures whose latest figure is on track, behind, or has nothing to compare
with. Each part has its own fill pattern (plain, hatched, dotted) and its count written on it,
and the legend repeats the patterns, so the chart reads without colour."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# The chart's geometry, in SVG user units: narrow, so that its 12-unit words stay readable when
# the chart shrinks to a phone's width.
CHART_WIDTH = 360
PLOT_LEFT, PLOT_RIGHT = 2, 34  # room on the right for the number of structures reporting
NAME_HEIGHT = 18  # the indicator's name, above its bar
BAR_HEIGHT = 22
ROW_GAP = 12
# A count is written on a white tag this much wider than its digits (about 7 units a digit); a
# part too narrow for its tag shows no count (the table beside the chart gives every count).
TAG_PADDING, DIGIT_WIDTH, TAG_HEIGHT = 8, 7, 16
# The legend: a swatch then its words (about 7 units a letter), on as many lines as it needs.
SWATCH_WIDTH, SWATCH_HEIGHT, LETTER_WIDTH, LEGEND_LINE, LEGEND_GAP = 16, 14, 7, 20, 14

# The parts of a bar, in their order: (key, label, fill pattern). The patterns are defined in
# impact/_status_chart.html and fill the legend's swatches too.
PARTS = [
    ("on_track", _("On track"), "solid"),
    ("behind", _("Behind"), "hatched"),
    ("not_comparable", _("Nothing to compare with"), "dotted"),
]


@dataclass
class Part:
    key: str
    label: str
    pattern: str
    count: int
    count_label: str  # the count as written, in the active language's form ("1 250")
    x: float
    width: float
    label_x: float  # the middle of the part, where its count is written on its tag
    tag_x: float
    tag_width: float
    show_count: bool


@dataclass
class Row:
    figure: object  # accelerator.domain.impact_dashboards.Figure
    name_y: float
    bar_y: float
    text_y: float  # the middle line of the counts written on the bar
    tag_y: float  # the top of their white tags
    parts: list
    end_x: float  # where the number of structures reporting is written
    total_label: str  # that number, in the active language's form
    empty: bool  # nobody reports it yet


@dataclass
class LegendItem:
    key: str
    label: str
    pattern: str
    x: float  # its swatch
    y: float
    text_x: float
    text_y: float


@dataclass
class StatusChart:
    width: int
    height: int
    plot_left: int
    bar_height: int
    tag_height: int
    swatch_width: int
    swatch_height: int
    legend: list
    rows: list


def _count(number):
    """A count written in the chart: grouped by thousands as the language writes them (the
    SVG is rendered with localisation off, for its coordinates)."""
    return number_format(number, use_l10n=True, force_grouping=True)


def _legend():
    """The legend's items, side by side, on a new line when the chart's width is full; and the
    height they take."""
    items, x, y = [], PLOT_LEFT, 4
    for key, label, pattern in PARTS:
        label = str(label)
        width = SWATCH_WIDTH + 5 + LETTER_WIDTH * len(label)
        if x > PLOT_LEFT and x + width > CHART_WIDTH:
            x, y = PLOT_LEFT, y + LEGEND_LINE
        items.append(
            LegendItem(
                key=key,
                label=label,
                pattern=pattern,
                x=x,
                y=y,
                text_x=x + SWATCH_WIDTH + 5,
                text_y=y + SWATCH_HEIGHT / 2,
            )
        )
        x += width + LEGEND_GAP
    return items, y + LEGEND_LINE + 6


def _parts(figure, scale):
    parts, x = [], PLOT_LEFT
    for key, label, pattern in PARTS:
        count = getattr(figure.tally, key)
        if not count:
            continue
        width = count * scale
        count_label = _count(count)
        tag_width = TAG_PADDING + DIGIT_WIDTH * len(count_label)
        parts.append(
            Part(
                key=key,
                label=str(label),
                pattern=pattern,
                count=count,
                count_label=count_label,
                x=round(x, 2),
                width=round(width, 2),
                label_x=round(x + width / 2, 2),
                tag_x=round(x + (width - tag_width) / 2, 2),
                tag_width=tag_width,
                show_count=width >= tag_width + 4,
            )
        )
        x += width
    return parts, x


def status_chart(figures):
    """A row per figure (Figure of impact_dashboards): its name, then a bar whose length is the
    number of structures reporting, on the same scale for every indicator."""
    top = max([figure.tally.reporting for figure in figures] + [1])
    scale = (CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT) / top
    legend, y = _legend()
    rows = []
    for figure in figures:
        parts, end = _parts(figure, scale)
        bar_y = y + NAME_HEIGHT
        rows.append(
            Row(
                figure=figure,
                name_y=y + NAME_HEIGHT - 5,
                bar_y=bar_y,
                text_y=bar_y + BAR_HEIGHT / 2,
                tag_y=bar_y + (BAR_HEIGHT - TAG_HEIGHT) / 2,
                parts=parts,
                end_x=round(end + 6, 2),
                total_label=_count(figure.tally.reporting),
                empty=not parts,
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return StatusChart(
        width=CHART_WIDTH,
        height=round(y),
        plot_left=PLOT_LEFT,
        bar_height=BAR_HEIGHT,
        tag_height=TAG_HEIGHT,
        swatch_width=SWATCH_WIDTH,
        swatch_height=SWATCH_HEIGHT,
        legend=legend,
        rows=rows,
    )
