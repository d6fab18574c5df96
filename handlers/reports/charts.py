"""Charts as inline SVG, drawn from a table of the report: no script, no network, and they
print as sharply as the text around them.

A bar chart has one horizontal bar per row and series (the label on the left, the figure at
the bar's end), so long names (providers, priorities) stay readable; a line chart one point
per row along the bottom. Each chart carries a `<title>` (its name, read by screen readers
and shown on hover), each bar or point its own; a withheld or missing figure draws no bar
and prints its mark instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from handlers.reports.cells import magnitude, shown
from workflow.reports import Cell, Chart, Column, Table

WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 90
BAR_HEIGHT = 14
ROW_GAP = 8
TOP = 8
LEGEND_HEIGHT = 20
LINE_HEIGHT = 220
# Distinct in print and for the colour-blind (Okabe and Ito's palette).
COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")


def svg(chart: Chart, table: Table) -> str:
    """The chart's `<svg>` element; `table` is the one `chart.table` names."""
    columns = {c.name: c for c in table.columns}
    label_at = [c.name for c in table.columns].index(chart.label_column)
    series = [
        ([c.name for c in table.columns].index(name), columns[name]) for name in chart.value_columns
    ]
    if chart.kind == "line":
        return _line(chart, table, label_at, series)
    return _bars(chart, table, label_at, series)


def _bars(chart: Chart, table: Table, label_at: int, series: list[tuple[int, Column]]) -> str:
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    row_height = BAR_HEIGHT * len(series) + ROW_GAP
    height = TOP + legend + row_height * max(len(table.rows), 1) + TOP
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = _largest(table.rows, series)
    parts = [_open(chart, height), _legend(series) if legend else ""]
    for r, row in enumerate(table.rows):
        y = TOP + legend + r * row_height
        label = _text(row[label_at], table.columns[label_at])
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 6}" y="{y + row_height / 2:.1f}"'
            f' text-anchor="end" dominant-baseline="middle">{escape(label)}</text>'
        )
        for s, (index, column) in enumerate(series):
            top = y + s * BAR_HEIGHT
            figure = _text(row[index], column)
            length = _length(row[index], largest, room)
            if length is not None:
                parts.append(
                    f'<rect class="bar" x="{LABEL_WIDTH}" y="{top}" width="{length:.1f}"'
                    f' height="{BAR_HEIGHT - 2}" fill="{COLOURS[s % len(COLOURS)]}">'
                    f"<title>{escape(f'{label}, {column.title}: {figure}')}</title></rect>"
                )
            parts.append(
                f'<text class="value" x="{LABEL_WIDTH + (length or 0) + 4:.1f}"'
                f' y="{top + BAR_HEIGHT / 2:.1f}" dominant-baseline="middle">'
                f"{escape(figure)}</text>"
            )
    if not table.rows:
        parts.append(f'<text class="label" x="{LABEL_WIDTH}" y="{TOP + 12}">No figures</text>')
    parts.append("</svg>")
    return "".join(parts)


def _line(chart: Chart, table: Table, label_at: int, series: list[tuple[int, Column]]) -> str:
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    left, right, bottom = 60, 20, 40
    plot_top, plot_bottom = TOP + legend, LINE_HEIGHT - bottom
    count = max(len(table.rows), 1)
    step = (WIDTH - left - right) / max(count - 1, 1)
    largest = _largest(table.rows, series)
    parts = [_open(chart, LINE_HEIGHT), _legend(series) if legend else ""]
    parts.append(
        f'<line class="axis" x1="{left}" y1="{plot_bottom}" x2="{WIDTH - right}"'
        f' y2="{plot_bottom}" stroke="#555"/>'
    )
    for r, row in enumerate(table.rows):
        x = left + r * step
        label = _text(row[label_at], table.columns[label_at])
        parts.append(
            f'<text class="label" x="{x:.1f}" y="{plot_bottom + 16}"'
            f' text-anchor="middle">{escape(label)}</text>'
        )
    for s, (index, column) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        points: list[str] = []
        for r, row in enumerate(table.rows):
            length = _length(row[index], largest, plot_bottom - plot_top)
            if length is None:
                continue
            x, y = left + r * step, plot_bottom - length
            points.append(f"{x:.1f},{y:.1f}")
            label = _text(row[label_at], table.columns[label_at])
            figure = _text(row[index], column)
            parts.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(f'{label}, {column.title}: {figure}')}</title></circle>"
                f'<text class="value" x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle">'
                f"{escape(figure)}</text>"
            )
        if len(points) > 1:
            parts.append(
                f'<polyline class="line" fill="none" stroke="{colour}" stroke-width="2"'
                f' points="{" ".join(points)}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _open(chart: Chart, height: float) -> str:
    return (
        f'<svg class="chart chart-{chart.kind}" xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="0 0 {WIDTH} {height:.0f}" width="100%" role="img">'
        f"<title>{escape(chart.title)}</title>"
    )


def _legend(series: list[tuple[int, Column]]) -> str:
    parts, x = [], float(LABEL_WIDTH)
    for s, (_, column) in enumerate(series):
        parts.append(
            f'<rect class="key" x="{x:.1f}" y="{TOP}" width="10" height="10"'
            f' fill="{COLOURS[s % len(COLOURS)]}"/>'
            f'<text class="legend" x="{x + 14:.1f}" y="{TOP + 9}">{escape(column.title)}</text>'
        )
        x += 24 + 7 * len(column.title)
    return "".join(parts)


def _largest(rows: Sequence[Sequence[Cell]], series: list[tuple[int, Column]]) -> float:
    sizes = [m for row in rows for i, _ in series if (m := magnitude(row[i])) is not None]
    return max([s for s in sizes if s > 0], default=1.0)


def _length(cell: Cell, largest: float, room: float) -> float | None:
    size = magnitude(cell)
    return None if size is None else max(size, 0.0) / largest * room


def _text(cell: Cell, column: Column) -> str:
    return shown(cell, column.unit) or "none"
