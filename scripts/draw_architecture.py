"""Draw docs/architecture.svg from the import contracts and the code's real imports.

The rooms and their layers come from `[tool.importlinter]` in pyproject.toml; the arrows and their
numbers from the import graph that import-linter checks (grimp), so the picture shows what the
code does, not what someone remembered. Plain SVG, no layout tool: rooms are stacked from top
(imports most) to bottom, a room's layers run from left (highest) to right, every arrow points
down or right, an arrow's number counts the module-to-module imports it stands for. A dashed arrow
goes the other way: an import a contract ignores, with its reason written in pyproject.toml.

    .venv/bin/python scripts/draw_architecture.py          # writes docs/architecture.svg
    .venv/bin/python scripts/draw_architecture.py --check  # exit 1 when the file is stale
"""

import sys
import tomllib
from collections import Counter
from html import escape
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "architecture.svg"

MARGIN = 20
GUTTER = 150  # left of the rooms: the arrows between rooms
BOX_WIDTH = 110
BOX_GAP = 40
LINE = 15  # height of a line of text in a box
CHAR = 7  # estimated width of a character at 12 px, for the width of a box
PAD = 14  # inside a room's frame
TITLE = 26  # a room's name above its layers
SPREAD = 8  # between the ends of arrows that meet on the same side of a box
TRACK = 16  # between two routes that run side by side
GUTTER_TRACK = 20  # the same between rooms, where numbers run to two digits


def _contracts():
    with open(ROOT / "pyproject.toml", "rb") as file:
        config = tomllib.load(file)["tool"]["importlinter"]
    return config["root_packages"], config["contracts"]


def _tails(layer):
    """The module names of one contract layer ("a | b", "a : b", "(optional)")."""
    for delimiter in ("|", ":"):
        if delimiter in layer:
            return [part.strip().strip("()") for part in layer.split(delimiter)]
    return [layer.strip().strip("()")]


def rooms_and_layers(graph):
    """[(room, [[module, ...] per layer, highest first])], rooms in the contract's order.

    A room with no layers contract of its own (the wiring) is one layer of its child modules."""
    root_packages, contracts = _contracts()
    order = next(c["layers"] for c in contracts if c["type"] == "layers" and "containers" not in c)
    layers_of = {}
    for contract in contracts:
        if contract["type"] != "layers":
            continue
        for container in contract.get("containers", []):
            rows = []
            for layer in contract["layers"]:
                row = [f"{container}.{tail}" for tail in _tails(layer)]
                row = [module for module in row if module in graph.modules]
                if row:
                    rows.append(row)
            layers_of[container] = rows
    rooms = []
    for room in order:
        if room not in root_packages:
            continue
        rows = layers_of.get(room) or [sorted(graph.find_children(room))]
        rooms.append((room, rows))
    return rooms


def _owner(module, owners):
    """The layer module that `module` is, or is inside of."""
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        owner = ".".join(parts[:length])
        if owner in owners:
            return owner
    return None


def edges(graph, rooms):
    """Counts of module-to-module imports between layers of one room, and between rooms.

    Returns ({(room, from_layer_index, to_layer_index): count}, {(from_room, to_room): count})."""
    layer_of = {}
    for room, rows in rooms:
        for index, row in enumerate(rows):
            for module in row:
                layer_of[module] = (room, index)
    names = {room for room, _rows in rooms}
    inside, between = Counter(), Counter()
    for importer in sorted(graph.modules):
        source = layer_of.get(_owner(importer, layer_of))
        for imported in graph.find_modules_directly_imported_by(importer):
            rooms_of = importer.split(".")[0], imported.split(".")[0]
            if rooms_of[0] != rooms_of[1]:
                if set(rooms_of) <= names:
                    between[rooms_of] += 1
                continue
            target = layer_of.get(_owner(imported, layer_of))
            if source and target and source[1] != target[1]:
                inside[(source[0], source[1], target[1])] += 1
    return dict(inside), dict(between)


def _label(row):
    """A layer's lines of text: its modules without the room, the wiring's three to a line."""
    names = [module.split(".", 1)[1] for module in row]
    if len(names) > 5:
        return [" · ".join(names[i : i + 3]) for i in range(0, len(names), 3)]
    return names


def _spread(center, count, direction):
    """`count` points from `center` outwards in `direction` (+1 or -1), SPREAD apart."""
    return [center + direction * (4 + SPREAD * i) for i in range(count)]


def _tracks(spans):
    """A track (0, 1, ...) for each (start, end) interval: the lowest track that no overlapping
    interval holds, shortest first, so that no two routes run along the same line."""
    taken, tracks = [], {}
    for key, (low, high) in sorted(spans.items(), key=lambda item: (item[1][1] - item[1][0], item)):
        track = 0
        while any(t == track and lo < high and low < hi for t, lo, hi in taken):
            track += 1
        taken.append((track, low, high))
        tracks[key] = track
    return tracks


def _number(x, y, count):
    return f'<text class="n" x="{x:g}" y="{y:g}" text-anchor="middle" dy="4">{count}</text>'


def _ends(arcs, centers, forwards):
    """Where each arc leaves and reaches its boxes: it leaves on the side it travels to and
    arrives on the side it comes from, the longest nearest the middle so that routes nest."""
    starts, ends = {}, {}
    outwards = 1 if forwards else -1
    for box, center in enumerate(centers):
        leaving = sorted((p for p in arcs if p[0] == box), key=lambda p: -abs(p[1] - p[0]))
        arriving = sorted((p for p in arcs if p[1] == box), key=lambda p: -abs(p[1] - p[0]))
        for pair, x in zip(leaving, _spread(center, len(leaving), outwards), strict=True):
            starts[pair] = x
        for pair, x in zip(arriving, _spread(center, len(arriving), -outwards), strict=True):
            ends[pair] = x
    return starts, ends


def _label_spot(low, high, crossings):
    """The middle of the widest stretch between `low` and `high` that no other line crosses."""
    cuts = sorted({low, high, *(c for c in crossings if low < c < high)})
    start, end = max(pairwise(cuts), key=lambda gap: (gap[1] - gap[0], -gap[0]))
    return (start + end) / 2


def _routes(arcs, starts, ends, edge, side, css):
    """Routes above (side -1) or below (side 1) the boxes: out, along their track, back in."""
    tracks = _tracks({p: tuple(sorted((starts[p], ends[p]))) for p in arcs})
    parts = []
    for pair in sorted(arcs):
        x1, x2 = starts[pair], ends[pair]
        level = edge + side * (14 + TRACK * tracks[pair])
        parts.append(
            f'<path class="{css}" d="M{x1:g},{edge} V{level:g} H{x2:g} V{edge + side * 2}"/>'
        )
        # The lines that rise through this track: those of the routes on higher tracks.
        crossings = [x for p in arcs if tracks[p] > tracks[pair] for x in (starts[p], ends[p])]
        low, high = sorted((x1, x2))
        parts.append(_number(_label_spot(low, high, crossings), level, arcs[pair]))
    return parts, (14 + TRACK * max(tracks.values()) if tracks else 0)


def _room(room, rows, inside, top):
    """The SVG of one room whose frame starts at `top`; returns (parts, height, right edge)."""
    labels = [_label(row) for row in rows]
    widths = [max(BOX_WIDTH, max(len(line) for line in lines) * CHAR + 16) for lines in labels]
    box_height = max(len(lines) for lines in labels) * LINE + 12
    down = {(a, b): n for (r, a, b), n in inside.items() if r == room and b - a > 1}
    up = {(a, b): n for (r, a, b), n in inside.items() if r == room and b < a}
    lefts, x = [], MARGIN + GUTTER + PAD
    for width in widths:
        lefts.append(x)
        x += width + BOX_GAP
    right = x - BOX_GAP + PAD
    centers = [left + width / 2 for left, width in zip(lefts, widths, strict=True)]
    down_starts, down_ends = _ends(down, centers, True)
    up_starts, up_ends = _ends(up, centers, False)
    # Lay the routes out once at 0 to learn how much room they need above and below.
    above = _routes(down, down_starts, down_ends, 0, -1, "imports")[1]
    box_top = top + TITLE + above + (10 if above else 0)
    box_bottom = box_top + box_height
    down_parts, _above = _routes(down, down_starts, down_ends, box_top, -1, "imports")
    up_parts, below = _routes(up, up_starts, up_ends, box_bottom, 1, "ignored")
    height = box_bottom - top + below + (10 if below else 0) + PAD
    parts = [
        f'<rect class="room" x="{MARGIN + GUTTER}" y="{top}" width="{right - MARGIN - GUTTER}" '
        f'height="{height}" rx="8"/>',
        f'<text class="room-name" x="{MARGIN + GUTTER + PAD}" y="{top + 18}">{escape(room)}</text>',
    ]
    for index, lines in enumerate(labels):
        left, width = lefts[index], widths[index]
        parts.append(
            f'<rect class="layer" x="{left}" y="{box_top}" width="{width}" '
            f'height="{box_height}" rx="4"/>'
        )
        first = box_top + box_height / 2 - (len(lines) - 1) * LINE / 2
        for number, line in enumerate(lines):
            parts.append(
                f'<text x="{left + width / 2:g}" y="{first + number * LINE:g}" '
                f'text-anchor="middle" dy="4">{escape(line)}</text>'
            )
    # Next-door layers: a straight arrow across the gap.
    for (r, a, b), count in sorted(inside.items()):
        if r == room and b - a == 1:
            y = box_top + box_height / 2
            start, end = lefts[a] + widths[a], lefts[b]
            parts.append(f'<path class="imports" d="M{start},{y:g} H{end - 2}"/>')
            parts.append(_number((start + end) / 2, y - 10, count))
    return parts + down_parts + up_parts, height, right


def _between(between, anchors):
    """Routes in the left gutter from room to room: leaving below a room's middle, arriving
    above it, each on its own track."""
    order = list(anchors)
    index = {(order.index(a), order.index(b)): n for (a, b), n in between.items()}
    starts, ends = _ends(index, [anchors[room] for room in order], True)
    tracks = _tracks({p: tuple(sorted((starts[p], ends[p]))) for p in index})
    parts, edge = [], MARGIN + GUTTER
    for pair in sorted(index):
        y1, y2 = starts[pair], ends[pair]
        level = edge - 16 - GUTTER_TRACK * tracks[pair]
        css = "ignored" if pair[1] < pair[0] else "imports"
        parts.append(f'<path class="{css}" d="M{edge},{y1:g} H{level:g} V{y2:g} H{edge - 2}"/>')
        crossings = [y for p in index if tracks[p] > tracks[pair] for y in (starts[p], ends[p])]
        parts.append(_number(level, _label_spot(y1, y2, crossings), index[pair]))
    return parts


STYLE = """
text { font: 12px sans-serif; fill: #1e2a36; }
.room { fill: #f7f8fa; stroke: #8a96a3; }
.room-name { font-weight: bold; font-size: 14px; }
.layer { fill: #ffffff; stroke: #3d5a73; }
.imports, .ignored { fill: none; stroke: #3d5a73; marker-end: url(#head); }
.ignored { stroke: #b03a2e; stroke-dasharray: 5 3; marker-end: url(#head-ignored); }
.n { font-size: 11px; paint-order: stroke; stroke: #ffffff; stroke-width: 4px; }
.legend { font-size: 11px; fill: #44515e; }
"""

LEGEND = [
    "Rooms from top to bottom, a room's layers from left to right, as the import contracts in "
    "pyproject.toml declare them:",
    "each may import only what lies below or to its right. A number counts the module-to-module "
    "imports an arrow stands for.",
    "Dashed: an import a contract ignores (its reason is written beside it). Drawn by "
    "scripts/draw_architecture.py from the code's imports.",
]


def draw(graph):
    """The SVG text of the picture for `graph` (a grimp import graph)."""
    rooms = rooms_and_layers(graph)
    inside, between = edges(graph, rooms)
    parts, anchors, top, width = [], {}, MARGIN, 0
    for room, rows in rooms:
        room_parts, height, right = _room(room, rows, inside, top)
        parts += room_parts
        anchors[room] = top + height / 2
        top += height + 16
        width = max(width, right)
    parts += _between(between, anchors)
    for number, line in enumerate(LEGEND):
        parts.append(f'<text class="legend" x="{MARGIN}" y="{top + 8 + number * 16}">{line}</text>')
    width = max(width, MARGIN + len(LEGEND[1]) * 6) + MARGIN
    height = top + 8 + len(LEGEND) * 16
    head = '<path d="M0,0 L8,4 L0,8 z" fill="{}"/>'
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:g}" '
            f'width="{width}" height="{height:g}" role="img" aria-labelledby="title">',
            '<title id="title">Essor: the rooms, their layers and the imports between them</title>',
            f"<style>{STYLE}</style>",
            "<defs>",
            '<marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" '
            'orient="auto">' + head.format("#3d5a73") + "</marker>",
            '<marker id="head-ignored" markerWidth="8" markerHeight="8" refX="7" refY="4" '
            'orient="auto">' + head.format("#b03a2e") + "</marker>",
            "</defs>",
            *parts,
            "</svg>",
            "",
        ]
    )


def build_graph():
    """The import graph import-linter checks: the root packages of pyproject.toml, no cache."""
    import grimp

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    root_packages, _contracts_list = _contracts()
    return grimp.build_graph(*root_packages, cache_dir=None)


def main(argv):
    picture = draw(build_graph())
    if "--check" in argv:
        if PICTURE.read_text(encoding="utf-8") != picture:
            print(f"{PICTURE.relative_to(ROOT)} is stale: run scripts/draw_architecture.py")
            return 1
        return 0
    PICTURE.write_text(picture, encoding="utf-8")
    print(f"Wrote {PICTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
