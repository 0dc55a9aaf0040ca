"""A cohort's progress over time: the weekly series by stage, its stacked chart, and the chart
and its table on the board."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from accelerator.domain import board_chart, board_progress, board_stages
from accelerator.models import Accompaniment
from tests import factories
from tests.accelerator.cohorts import S, accompany, advance, board_url

PARIS = ZoneInfo("Europe/Paris")


# --- progress over time


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def test_progress_series_from_a_hand_made_history():
    # Two structures join on Monday 5 January; A goes to labelling in week 2 and is paused in
    # week 3; B stays in sourcing.
    starts = {1: paris(2026, 1, 5, 9), 2: paris(2026, 1, 5, 10)}
    moves = [
        (1, paris(2026, 1, 21, 15), "labelling", "paused"),
        (1, paris(2026, 1, 14, 11), "sourcing", "labelling"),
    ]
    weeks = board_progress.progress_series(
        starts, moves, datetime.date(2026, 1, 5), now=paris(2026, 1, 28, 12)
    )
    assert [week.starts_on for week in weeks] == [
        datetime.date(2026, 1, 5),
        datetime.date(2026, 1, 12),
        datetime.date(2026, 1, 19),
        datetime.date(2026, 1, 26),
    ]
    shown = [{stage: n for stage, n in week.counts.items() if n} for week in weeks]
    assert shown == [
        {"sourcing": 2},
        {"sourcing": 1, "labelling": 1},
        {"sourcing": 1, "paused": 1},
        {"sourcing": 1, "paused": 1},
    ]
    assert [week.total for week in weeks] == [2, 2, 2, 2]
    assert weeks[1].in_order == [1, 1, 0, 0, 0, 0, 0, 0]


def test_progress_series_counts_structures_from_their_arrival_and_weeks_end_at_midnight_paris():
    starts = {1: paris(2026, 1, 5, 9), 2: paris(2026, 1, 14, 9), 3: paris(2026, 1, 30, 9)}
    moves = [
        # Sunday 11 January 23:59 Paris: still in week 1.
        (1, paris(2026, 1, 11, 23, 59), "sourcing", "labelling"),
        # Monday 19 January 00:00 Paris: belongs to week 3, not week 2.
        (2, paris(2026, 1, 19, 0, 0), "sourcing", "exited"),
        # A log of a structure outside the series (another filter) is left out.
        (99, paris(2026, 1, 6), "sourcing", "alumni"),
    ]
    # The cohort starts on a Wednesday: the first week is that week, from its Monday.
    weeks = board_progress.progress_series(
        starts, moves, datetime.date(2026, 1, 7), now=paris(2026, 1, 20, 8)
    )
    shown = [{stage: n for stage, n in week.counts.items() if n} for week in weeks]
    assert [week.starts_on.day for week in weeks] == [5, 12, 19]
    assert shown == [
        {"labelling": 1},
        {"labelling": 1, "sourcing": 1},
        {"labelling": 1, "exited": 1},
    ]


def test_progress_series_when_nothing_happened_yet():
    now = paris(2026, 3, 4, 10)
    weeks = board_progress.progress_series({}, [], datetime.date(2026, 9, 1), now=now)
    assert len(weeks) == 1
    assert weeks[0].starts_on == datetime.date(2026, 3, 2)
    assert weeks[0].total == 0


def test_progress_chart_stacks_stages_in_journey_order():
    starts = {1: paris(2026, 1, 5, 9), 2: paris(2026, 1, 5, 10)}
    moves = [(1, paris(2026, 1, 14, 11), "sourcing", "labelling")]
    weeks = board_progress.progress_series(
        starts, moves, datetime.date(2026, 1, 5), paris(2026, 1, 15)
    )
    chart = board_chart.progress_chart(weeks, board_stages.stage_labels())
    first, second = chart.bars
    assert [s.stage for s in first.segments] == ["sourcing"]
    assert [s.stage for s in second.segments] == ["sourcing", "labelling"]
    sourcing, labelling = second.segments
    # Stacked: labelling sits right on top of sourcing, both of the same height (one each).
    assert labelling.y + labelling.height == pytest.approx(sourcing.y)
    assert labelling.height == pytest.approx(sourcing.height)
    assert first.segments[0].height == pytest.approx(2 * sourcing.height)
    assert [stage for stage, _label, _colour in chart.legend] == ["sourcing", "labelling"]
    assert chart.ticks[0][0] == 0 and chart.ticks[-1][0] >= 2


def test_board_draws_the_chart_with_its_table(cohort, structure, staff, client_for):
    mover = factories.ManagerFactory()
    advance(Accompaniment.objects.get(cohort=cohort, structure=structure), S.LABELLING, mover)
    accompany(cohort)
    html = client_for(staff).get(board_url(cohort)).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and '<title id="progress-svg-title">' in svg
    assert 'aria-labelledby="progress-svg-title progress-svg-desc"' in svg
    assert 'data-chart-stage="labelling"' in svg and 'data-chart-stage="sourcing"' in svg
    assert "," not in re.sub(r"<title.*?</title>|<desc.*?</desc>", "", svg, flags=re.S)
    legend = re.search(r'<ul class="progress-legend".*?</ul>', html, re.S).group(0)
    assert "Labelling" in legend and "Sourcing" in legend
    table = re.search(r"<details>.*?</details>", html, re.S).group(0)
    # This week's row: one in sourcing, one in labelling, none elsewhere, two in all.
    last_row = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", table, re.S)[-1]
    assert re.findall(r'<td class="number">(\d+)</td>', last_row) == [
        "1",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "2",
    ]


def test_board_in_french_keeps_the_svg_numbers_with_dots(cohort, staff, client_for):
    accompany(cohort)
    accompany(cohort)
    client = client_for(staff)
    response = client.get(board_url(cohort), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    # Money reads the French way outside the chart...
    assert re.search(r'data-total="grant_awarded">0,00\s€', html)  # \s: maybe a no-break space
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    # ...but the SVG's coordinates keep their dots (a comma would break the drawing).
    numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|width|height)="([^"]+)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in numbers)
