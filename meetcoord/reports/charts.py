"""Server-drawn SVG charts: horizontal bars and stacked horizontal bars.

Pure (no Flask): the dashboards and their tests call it with plain numbers and text. Drawn
on the server so that a phone on a slow link gets the picture with the page, with no
script (CSP: ``script-src 'self'``) and no chart library to pin.

Readable without colour: every series has a fill pattern as well as a colour (solid,
hatched, dotted, …), each bar says its number in text, and the page always shows the same
numbers as a table beside the chart. Colours are dark enough for 4.5:1 against white. The
width comes from the ``viewBox`` (``width="100%"``, no fixed height), so the chart scales
down to a 390 px phone and up to a projector. Labels sit above their bar, so a long
agency name never squeezes the bar on a narrow screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 600  # viewBox units; the browser scales them to the element's width
LABEL_HEIGHT = 16
BAR_HEIGHT = 18
ROW_GAP = 10
VALUE_ROOM = 56  # right of the longest bar: its number
LEGEND_ROW = 22
INK = "#1a1a1a"

# Dark enough for text-level contrast (≥ 4.5:1) on white; each with its own pattern.
PALETTE = ("#1f4e79", "#b35900", "#2e7d32", "#6a1b9a", "#555555", "#b71c1c")
PATTERNS = ("solid", "hatch", "dots", "cross", "lines", "back")


@dataclass(frozen=True)
class Bar:
    """One row: its label and one value per series (one for a plain bar chart)."""

    label: str
    values: tuple[float, ...]

    @property
    def total(self) -> float:
        return float(sum(self.values))


def _pattern(index: int, chart_id: str) -> str:
    """A ``<pattern>`` in the series' colour: the same shape in grey print stays apart."""
    colour = PALETTE[index % len(PALETTE)]
    kind = PATTERNS[index % len(PATTERNS)]
    pid = f"{chart_id}-p{index}"
    head = f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">'
    if kind == "solid":
        body = f'<rect width="8" height="8" fill="{colour}"/>'
    elif kind == "hatch":
        body = (
            f'<rect width="8" height="8" fill="#ffffff"/>'
            f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{colour}" stroke-width="2.5"/>'
        )
    elif kind == "dots":
        body = (
            f'<rect width="8" height="8" fill="#ffffff"/>'
            f'<circle cx="4" cy="4" r="2.4" fill="{colour}"/>'
        )
    elif kind == "cross":
        body = (
            f'<rect width="8" height="8" fill="#ffffff"/>'
            f'<path d="M0,4 h8 M4,0 v8" stroke="{colour}" stroke-width="2"/>'
        )
    elif kind == "lines":
        body = (
            f'<rect width="8" height="8" fill="#ffffff"/>'
            f'<path d="M0,2 h8 M0,6 h8" stroke="{colour}" stroke-width="2"/>'
        )
    else:
        body = (
            f'<rect width="8" height="8" fill="#ffffff"/>'
            f'<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke="{colour}" stroke-width="2.5"/>'
        )
    return f"{head}{body}</pattern>"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _svg(chart_id: str, title: str, desc: str, height: int, defs: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" class="chart" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
        f"<defs>{defs}</defs>{body}</svg>"
    )


def _legend(series: Sequence[str], chart_id: str, top: int) -> tuple[str, int]:
    """Swatch and name per series, one per line (a phone has no room for a row of them)."""
    parts = []
    for i, name in enumerate(series):
        y = top + i * LEGEND_ROW
        parts.append(
            f'<rect x="0" y="{y}" width="16" height="16" fill="url(#{chart_id}-p{i})" '
            f'stroke="{INK}" stroke-width="0.75"/>'
            f'<text x="24" y="{y + 13}" font-size="14" fill="{INK}">{escape(name)}</text>'
        )
    return "".join(parts), top + len(series) * LEGEND_ROW


def stacked_bars(
    title: str,
    desc: str,
    bars: Sequence[Bar],
    series: Sequence[str],
    *,
    chart_id: str = "chart",
    scale_max: float | None = None,
    suffix: str = "",
) -> str:
    """Each bar split into its series' parts, scaled so the longest total fills the width.

    ``series`` names the parts (the legend); ``chart_id`` keeps the pattern ids of two
    charts on one page apart. A bar's total is written after it.
    """
    safe_id = "".join(ch for ch in chart_id if ch.isalnum() or ch in "-_") or "chart"
    top_value = max([scale_max or 0.0, *(bar.total for bar in bars)]) or 1.0
    room = WIDTH - VALUE_ROOM
    defs = "".join(_pattern(i, safe_id) for i in range(max(len(series), 1)))
    parts: list[str] = []
    y = 0
    for bar in bars:
        parts.append(
            f'<text x="0" y="{y + 12}" font-size="14" fill="{INK}">{escape(bar.label)}</text>'
        )
        y += LABEL_HEIGHT
        x = 0.0
        for i, value in enumerate(bar.values):
            length = room * float(value) / top_value
            if length > 0:
                name = f"{bar.label} — {series[i]}" if i < len(series) else bar.label
                parts.append(
                    f'<rect x="{x:.2f}" y="{y}" width="{length:.2f}" height="{BAR_HEIGHT}" '
                    f'fill="url(#{safe_id}-p{i})" stroke="{INK}" stroke-width="0.75">'
                    f"<title>{escape(f'{name}: {_number(value)}{suffix}')}</title></rect>"
                )
            x += length
        parts.append(
            f'<text x="{x + 6:.2f}" y="{y + 14}" font-size="14" fill="{INK}">'
            f"{escape(_number(bar.total) + suffix)}</text>"
        )
        y += BAR_HEIGHT + ROW_GAP
    if len(series) > 1:
        legend, y = _legend(series, safe_id, y + 4)
        parts.append(legend)
    return _svg(safe_id, title, desc, max(y, 1), defs, "".join(parts))


def bars(
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float]],
    *,
    chart_id: str = "chart",
    scale_max: float | None = None,
    suffix: str = "",
) -> str:
    """A plain horizontal bar per (label, value); ``scale_max`` fixes the full length
    (100 for percentages), otherwise the largest value fills the width; ``suffix`` is the
    unit after each number ("%")."""
    return stacked_bars(
        title,
        desc,
        [Bar(label, (value,)) for label, value in rows],
        [],
        chart_id=chart_id,
        scale_max=scale_max,
        suffix=suffix,
    )


__all__ = ["PALETTE", "Bar", "bars", "stacked_bars"]
