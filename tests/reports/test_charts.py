"""The SVG charts: well-formed XML, accessible, bars proportional to their numbers, names
escaped, readable without colour (a pattern per series and the number in text)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from meetcoord.reports import charts

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, the thing under test)


def bar_widths(root: ET.Element) -> list[float]:
    return [
        float(r.get("width"))
        for r in root.findall("s:rect", NS)
        if r.find("s:title", NS) is not None
    ]


def test_plain_bars_are_well_formed_accessible_and_scale_with_the_viewbox() -> None:
    root = parse(charts.bars("Kehadiran", "Per instansi", [("A", 10), ("B", 5)], chart_id="x"))
    assert root.get("role") == "img"
    assert root.find("s:title", NS).text == "Kehadiran"
    assert root.find("s:desc", NS).text == "Per instansi"
    assert root.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.get("style") is None  # CSP: no inline style


def test_bar_lengths_are_proportional_to_the_values() -> None:
    root = parse(charts.bars("t", "d", [("A", 40), ("B", 10), ("C", 0), ("D", 20)]))
    widths = bar_widths(root)
    assert len(widths) == 3  # a zero draws no bar, but keeps its label and number
    assert widths[0] == charts.WIDTH - charts.VALUE_ROOM
    assert abs(widths[1] / widths[0] - 0.25) < 1e-3
    assert abs(widths[2] / widths[0] - 0.5) < 1e-3
    texts = [t.text for t in root.findall("s:text", NS)]
    assert texts == ["A", "40", "B", "10", "C", "0", "D", "20"]


def test_a_fixed_scale_draws_percentages_against_100() -> None:
    root = parse(charts.bars("t", "d", [("A", 50)], scale_max=100, suffix="%"))
    assert bar_widths(root) == [(charts.WIDTH - charts.VALUE_ROOM) / 2]
    assert "50%" in [t.text for t in root.findall("s:text", NS)]


def test_names_with_markup_characters_are_escaped() -> None:
    name = 'Dinas <PU> & "Tata" Ruang'
    svg = charts.stacked_bars(
        'Judul <x> & "y"', "d & <e>", [charts.Bar(name, (1, 2))], ["<a>", "b&c"], chart_id="z"
    )
    root = parse(svg)  # would raise on an unescaped < or &
    assert root.find("s:title", NS).text == 'Judul <x> & "y"'
    assert name in [t.text for t in root.findall("s:text", NS)]
    assert "<a>" in [t.text for t in root.findall("s:text", NS)]
    assert "<PU>" not in svg


def test_stacked_bars_use_a_pattern_per_series_and_a_legend() -> None:
    root = parse(
        charts.stacked_bars(
            "t", "d", [charts.Bar("A", (1, 3)), charts.Bar("B", (2, 0))], ["L", "P"], chart_id="s"
        )
    )
    patterns = root.findall("s:defs/s:pattern", NS)
    assert [p.get("id") for p in patterns] == ["s-p0", "s-p1"]
    # Each pattern draws a different shape, not only a different colour.
    assert len({ET.tostring(p[-1]).split(b" ")[0] for p in patterns}) == 2
    segments = [r for r in root.findall("s:rect", NS) if r.find("s:title", NS) is not None]
    assert [r.get("fill") for r in segments] == ["url(#s-p0)", "url(#s-p1)", "url(#s-p0)"]
    first, second, third = (float(r.get("width")) for r in segments)
    assert abs(second - 3 * first) < 1e-2
    assert abs(third - 2 * first) < 1e-2
    assert float(segments[1].get("x")) == first  # stacked after the first part
    texts = [t.text for t in root.findall("s:text", NS)]
    assert "L" in texts
    assert "P" in texts
    assert "4" in texts


def test_no_rows_still_makes_a_valid_chart() -> None:
    root = parse(charts.bars("t", "d", []))
    assert root.find("s:title", NS).text == "t"


def test_chart_ids_are_reduced_to_safe_characters() -> None:
    svg = charts.bars("t", "d", [("A", 1)], chart_id='a"><script>')
    root = parse(svg)
    assert "script" in root.get("aria-labelledby")
    assert "<" not in root.get("aria-labelledby")
