"""Charts drawn on the server as inline SVG: no script, no ``style`` attributes, so they work
in the static copy, without JavaScript and under the portal's content security policy.

Colours come from the theme's stylesheet through classes (``chart-line chart-series-0``,
``chart-bar chart-series-1``, ``chart-band``...); the presentation attributes the elements
carry are only a plain fallback. Output is deterministic: the same data gives the same bytes.
Templates show the same data as a table (``chart_table_rows``), for readers of every kind.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FONT_SIZE = 12
CHAR_WIDTH = 7  # a generous average width of a character at FONT_SIZE
LEGEND_ROW = 18
POINTS_SHOWN = 60  # longer lines show only their marked and lone points
SHORT_RANGE_DAYS = 92  # up to this span the x-axis names days ("3 Mar"), beyond it months


@dataclass(frozen=True)
class LineSeries:
    label: str
    values: Sequence[float | None]  # one per x; None leaves a gap
    low: Sequence[float | None] | None = None  # optional band, e.g. a low/high range
    high: Sequence[float | None] | None = None
    marked: Sequence[bool] | None = None  # points drawn hollow (carried forward, estimated)


@dataclass(frozen=True)
class BarSeries:
    label: str
    values: Sequence[float]


@dataclass(frozen=True)
class _Plot:
    """The plotting area inside the chart's margins."""

    left: float
    top: float
    right: float
    bottom: float


def nice_ticks(low: float, high: float, count: int = 5, integers: bool = False) -> list[float]:
    """Round axis ticks covering ``low``–``high``: about ``count`` steps of 1, 2 or 5 times a
    power of ten (whole steps when ``integers``)."""
    low, high = min(low, high), max(low, high)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = (0.0, 1.0) if low == 0 else (low - pad, high + pad)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    residual = raw / magnitude
    step = magnitude * next((m for limit, m in ((1.5, 1), (3, 2), (7, 5)) if residual < limit), 10)
    if integers:
        step = max(step, 1)
    start = math.floor(low / step + 1e-9)
    stop = math.ceil(high / step - 1e-9)
    return [_clean(i * step) for i in range(start, stop + 1)]


def chart_table_rows(
    x: Sequence[date], series: Sequence[LineSeries | BarSeries]
) -> list[tuple[date, list[float | None]]]:
    """The chart's data as table rows: each date with the value of every series."""
    return [(day, [_value(s.values, i) for s in series]) for i, day in enumerate(x)]


def format_number(value: float | None, decimals: int | None = None) -> str:
    """A value as the charts print it: thousands separated, no needless decimals."""
    if value is None:
        return "–"
    text = f"{float(value):,.{2 if decimals is None else decimals}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "-0.0") else text


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x: Sequence[date],
    series: Sequence[LineSeries],
    y_label: str = "",
    width: int = 720,
    height: int = 280,
    marked_label: str = "",
) -> Markup:
    """Lines over dates, each with an optional band (``low``/``high``), gaps where a value is
    None and hollow points where ``marked``; ``marked_label`` names them in the legend."""
    _check_lengths(
        x, [(s.label, seq) for s in series for seq in (s.values, s.low, s.high, s.marked)]
    )
    values = [v for s in series for seq in (s.values, s.low, s.high) for v in _numbers(seq)]
    if not x or not values:
        return _empty(chart_id, title, description, width, height)
    legend: list[tuple[str, str, str]] = []
    for i, s in enumerate(series):
        legend.append(("line", f"chart-series-{i}", s.label))
        if s.low is not None and s.high is not None:
            legend.append(("band", f"chart-series-{i}", f"{s.label} (range)"))
    if marked_label and any(any(s.marked or ()) for s in series):
        legend.append(("marked", "chart-series-marked", marked_label))
    ticks = nice_ticks(min(values), max(values), integers=_whole(values))
    plot, body = _frame(width, height, legend, ticks, y_label)
    scale_y = _scale(ticks[0], ticks[-1], plot.bottom, plot.top)
    xs = _date_positions(x, plot)
    body += _x_axis(x, xs, plot, width)
    for i, s in enumerate(series):
        body += _band(s, xs, scale_y, i)
    for i, s in enumerate(series):
        body += _line(s, x, xs, scale_y, i)
    return _svg(chart_id, title, description, width, height, body)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x: Sequence[date],
    series: Sequence[BarSeries],
    line: LineSeries | None = None,
    line_label: str = "",
    y_label: str = "",
    width: int = 720,
    height: int = 280,
) -> Markup:
    """Grouped bars per x; ``line`` optional, drawn on a secondary axis (e.g. a ratio)
    labelled ``line_label``."""
    checked = [(s.label, s.values) for s in series]
    if line is not None:
        checked += [(line.label, seq) for seq in (line.values, line.low, line.high, line.marked)]
    _check_lengths(x, checked)
    values = [v for s in series for v in _numbers(s.values)]
    line_values = [
        v for seq in ((line.values, line.low, line.high) if line else ()) for v in _numbers(seq)
    ]
    if not x or not series or not (values or line_values):
        return _empty(chart_id, title, description, width, height)
    legend = [("bar", f"chart-series-{i}", s.label) for i, s in enumerate(series)]
    line_index = len(series)
    if line is not None:
        legend.append(("line", f"chart-series-{line_index}", line.label))
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]), integers=_whole(values))
    right_ticks = nice_ticks(min([0.0, *line_values]), max(line_values)) if line_values else None
    plot, body = _frame(width, height, legend, ticks, y_label, right_ticks, line_label)
    scale_y = _scale(ticks[0], ticks[-1], plot.bottom, plot.top)
    group = (plot.right - plot.left) / len(x)
    xs = [plot.left + group * (i + 0.5) for i in range(len(x))]
    body += _x_axis(x, xs, plot, width)
    bar = group * 0.8 / len(series)
    zero = scale_y(0.0)
    for i, s in enumerate(series):
        for j, day in enumerate(x):
            value = _value(s.values, j)
            if value is None:
                continue
            left = xs[j] - group * 0.4 + bar * i
            top = min(zero, scale_y(value))
            body.append(
                f'<rect class="chart-bar chart-series-{i}" x="{_n(left)}" y="{_n(top)}" '
                f'width="{_n(max(bar - 1, 1))}" height="{_n(abs(scale_y(value) - zero))}" '
                f'fill="currentColor"><title>{escape(s.label)}, {_day_label(day)}: '
                f"{format_number(value)}</title></rect>"
            )
    if line is not None and right_ticks is not None:
        scale_right = _scale(right_ticks[0], right_ticks[-1], plot.bottom, plot.top)
        body += _line(line, x, xs, scale_right, line_index)
    return _svg(chart_id, title, description, width, height, body)


# Drawing


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: list[str]):
    base = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{base}" role="img" '
        f'aria-labelledby="{base}-title {base}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" font-size="{FONT_SIZE}">'
        f'<title id="{base}-title">{escape(title)}</title>'
        f'<desc id="{base}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _empty(chart_id: str, title: str, description: str, width: int, height: int) -> Markup:
    body = [
        f'<text class="chart-empty" x="{_n(width / 2)}" y="{_n(height / 2)}" '
        f'text-anchor="middle" dominant-baseline="middle">No data yet</text>'
    ]
    return _svg(chart_id, title, description, width, height, body)


def _frame(
    width: int,
    height: int,
    legend: list[tuple[str, str, str]],
    ticks: list[float],
    y_label: str,
    right_ticks: list[float] | None = None,
    right_label: str = "",
) -> tuple[_Plot, list[str]]:
    """The legend, the plotting area, its grid and the y-axes (left, and right if asked)."""
    labels = _tick_labels(ticks)
    right_labels = _tick_labels(right_ticks) if right_ticks else []
    left = 10 + (18 if y_label else 0) + max(len(t) for t in labels) * CHAR_WIDTH
    right = width - 12
    if right_labels:
        right -= 8 + (18 if right_label else 0) + max(len(t) for t in right_labels) * CHAR_WIDTH
    body, rows = _legend(legend, left, right)
    plot = _Plot(left=left, top=8 + rows * LEGEND_ROW + 8, right=right, bottom=height - 26)
    scale = _scale(ticks[0], ticks[-1], plot.bottom, plot.top)
    for tick, label in zip(ticks, labels, strict=True):
        y = _n(scale(tick))
        body.append(
            f'<line class="chart-grid" x1="{_n(plot.left)}" x2="{_n(plot.right)}" '
            f'y1="{y}" y2="{y}" stroke="#d9dde3"/>'
            f'<text class="chart-tick-label" x="{_n(plot.left - 6)}" y="{y}" '
            f'text-anchor="end" dominant-baseline="middle">{label}</text>'
        )
    if right_ticks:
        scale_right = _scale(right_ticks[0], right_ticks[-1], plot.bottom, plot.top)
        for tick, label in zip(right_ticks, right_labels, strict=True):
            body.append(
                f'<text class="chart-tick-label chart-tick-label--right" '
                f'x="{_n(plot.right + 6)}" y="{_n(scale_right(tick))}" '
                f'dominant-baseline="middle">{label}</text>'
            )
    middle = _n((plot.top + plot.bottom) / 2)
    if y_label:
        body.append(
            f'<text class="chart-axis-label" x="12" y="{middle}" text-anchor="middle" '
            f'transform="rotate(-90 12 {middle})">{escape(_fit(y_label, plot.bottom - plot.top))}'
            "</text>"
        )
    if right_ticks and right_label:
        at = _n(width - 12)
        body.append(
            f'<text class="chart-axis-label" x="{at}" y="{middle}" text-anchor="middle" '
            f'transform="rotate(90 {at} {middle})">'
            f"{escape(_fit(right_label, plot.bottom - plot.top))}</text>"
        )
    body.append(
        f'<line class="chart-axis" x1="{_n(plot.left)}" x2="{_n(plot.right)}" '
        f'y1="{_n(plot.bottom)}" y2="{_n(plot.bottom)}" stroke="currentColor"/>'
    )
    return plot, body


def _legend(items: list[tuple[str, str, str]], left: float, right: float) -> tuple[list[str], int]:
    """Legend entries in rows above the plot; returns the drawing and the number of rows."""
    body = ['<g class="chart-legend">']
    x, row = left, 0
    for kind, series_class, label in items:
        text = _fit(label, right - left - 22)
        size = 22 + len(text) * CHAR_WIDTH + 14
        if x > left and x + size > right:
            x, row = left, row + 1
        y = 8 + row * LEGEND_ROW + LEGEND_ROW / 2
        if kind == "bar":
            swatch = (
                f'<rect class="chart-bar {series_class}" x="{_n(x)}" y="{_n(y - 5)}" '
                'width="14" height="10" fill="currentColor"/>'
            )
        elif kind == "band":
            swatch = (
                f'<rect class="chart-band {series_class}" x="{_n(x)}" y="{_n(y - 5)}" '
                'width="14" height="10" fill="currentColor" fill-opacity="0.15"/>'
            )
        elif kind == "marked":
            swatch = (
                f'<circle class="chart-point chart-point--marked" cx="{_n(x + 7)}" cy="{_n(y)}" '
                'r="3.5" fill="#fff" stroke="currentColor" stroke-width="1.5"/>'
            )
        else:
            swatch = (
                f'<line class="chart-line {series_class}" x1="{_n(x)}" x2="{_n(x + 14)}" '
                f'y1="{_n(y)}" y2="{_n(y)}" stroke="currentColor" stroke-width="2"/>'
            )
        body.append(
            swatch + f'<text class="chart-legend-label" x="{_n(x + 20)}" y="{_n(y)}" '
            f'dominant-baseline="middle">{escape(text)}</text>'
        )
        x += size
    body.append("</g>")
    return body, row + 1


def _x_axis(x: Sequence[date], xs: list[float], plot: _Plot, width: int) -> list[str]:
    """Date labels under the plot, thinned so none overlaps the one before, and kept inside
    the chart at its edges."""
    long_range = (max(x) - min(x)).days > SHORT_RANGE_DAYS
    body, last_end, last_month = [], -math.inf, None
    for i, (day, at) in enumerate(zip(x, xs, strict=True)):
        month = (day.year, day.month)
        if long_range:
            if month == last_month:
                continue
            last_month = month
            year_shown = i == 0 or day.month == 1
            label = f"{MONTHS[day.month - 1]} {day.year}" if year_shown else MONTHS[day.month - 1]
        else:
            label = _day_label(day)
        half = len(label) * CHAR_WIDTH / 2
        centre = min(max(at, half + 2), width - half - 2)
        if centre - half < last_end + 6:
            continue
        last_end = centre + half
        body.append(
            f'<line class="chart-axis" x1="{_n(at)}" x2="{_n(at)}" y1="{_n(plot.bottom)}" '
            f'y2="{_n(plot.bottom + 4)}" stroke="currentColor"/>'
            f'<text class="chart-tick-label" x="{_n(centre)}" y="{_n(plot.bottom + 17)}" '
            f'text-anchor="middle">{label}</text>'
        )
    return body


def _band(s: LineSeries, xs: list[float], scale_y, index: int) -> list[str]:
    if s.low is None or s.high is None:
        return []
    body = []
    for run in _runs(
        [_value(s.low, i) is not None and _value(s.high, i) is not None for i in range(len(xs))]
    ):
        top = [f"{_n(xs[i])} {_n(scale_y(_value(s.high, i)))}" for i in run]
        bottom = [f"{_n(xs[i])} {_n(scale_y(_value(s.low, i)))}" for i in reversed(run)]
        body.append(
            f'<path class="chart-band chart-series-{index}" d="M{" L".join(top + bottom)} Z" '
            'fill="currentColor" fill-opacity="0.15"/>'
        )
    return body


def _line(s: LineSeries, x: Sequence[date], xs: list[float], scale_y, index: int) -> list[str]:
    """The line's segments between gaps, then its points (all of them on short lines; on long
    ones the marked and the lone ones, which no segment shows)."""
    present = [_value(s.values, i) is not None for i in range(len(xs))]
    runs = _runs(present)
    body = []
    for run in runs:
        if len(run) > 1:
            d = " L".join(f"{_n(xs[i])} {_n(scale_y(_value(s.values, i)))}" for i in run)
            body.append(
                f'<path class="chart-line chart-series-{index}" d="M{d}" fill="none" '
                'stroke="currentColor" stroke-width="2"/>'
            )
    lone = {run[0] for run in runs if len(run) == 1}
    marked = [bool(_value(s.marked, i)) if s.marked is not None else False for i in range(len(xs))]
    for i in range(len(xs)):
        value = _value(s.values, i)
        if value is None or not (len(xs) <= POINTS_SHOWN or marked[i] or i in lone):
            continue
        classes = f"chart-point chart-series-{index}" + (
            " chart-point--marked" if marked[i] else ""
        )
        fill = "#fff" if marked[i] else "currentColor"
        body.append(
            f'<circle class="{classes}" cx="{_n(xs[i])}" cy="{_n(scale_y(value))}" r="3.5" '
            f'fill="{fill}" stroke="currentColor" stroke-width="1.5">'
            f"<title>{escape(s.label)}, {_day_label(x[i])}: {format_number(value)}</title></circle>"
        )
    return body


# Helpers


def _date_positions(x: Sequence[date], plot: _Plot) -> list[float]:
    """Where each date falls across the plot, by its distance in days."""
    first, span = min(x), (max(x) - min(x)).days
    if span == 0:
        return [(plot.left + plot.right) / 2] * len(x)
    inset = 6  # points at the edges stay clear of the axis
    usable = plot.right - plot.left - 2 * inset
    return [plot.left + inset + usable * (day - first).days / span for day in x]


def _scale(low: float, high: float, bottom: float, top: float):
    def scale(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    return scale


def _runs(present: list[bool]) -> list[list[int]]:
    """Indexes of consecutive present values."""
    runs: list[list[int]] = []
    for i, is_present in enumerate(present):
        if not is_present:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _tick_labels(ticks: list[float]) -> list[str]:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return [format_number(t, decimals) for t in ticks]


def _day_label(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def _fit(text: str, room: float) -> str:
    """``text`` shortened with an ellipsis to fit ``room`` pixels."""
    most = max(int(room // CHAR_WIDTH), 2)
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _value(values: Sequence | None, i: int):
    """The ``i``-th value as a float (or a flag), None when missing or not a number."""
    if values is None:
        return None
    value = values[i]
    if value is None or isinstance(value, bool):
        return value
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _numbers(values: Sequence | None) -> list[float]:
    if values is None:
        return []
    return [v for i in range(len(values)) if (v := _value(values, i)) is not None]


def _check_lengths(x: Sequence[date], sequences: list[tuple[str, Sequence | None]]) -> None:
    for label, values in sequences:
        if values is not None and len(values) != len(x):
            raise ValueError(f"Series {label!r} has {len(values)} values for {len(x)} dates.")


def _whole(values: list[float]) -> bool:
    return all(v.is_integer() for v in values)


def _clean(value: float) -> float:
    """A tick without floating-point dust (0.30000000000000004 → 0.3)."""
    value = round(value, 10)
    return 0.0 if value == 0 else value


def _n(value: float) -> str:
    """A coordinate, to a tenth of a pixel."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
