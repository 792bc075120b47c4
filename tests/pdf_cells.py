"""Table cells that do not hold their text, measured on the flowables reportlab laid out.

A plain string in a cell is drawn on one line whatever the column's width, so a date
wider than its column runs over the rule into the next cell ("Tenggat", "Jam hadir"); a
Paragraph wraps at spaces but splits a single word wider than the column mid-word
("Jum-lah"). Both are found here from the laid-out tables (``Table._argW``, the cell
styles' padding, the font): a string must fit its column, and a paragraph's longest word
(``Paragraph.minWidth``) must fit it too. :func:`captured_stories` records what a
renderer hands ``SimpleDocTemplate.build``, so any PDF function can be checked as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Table
from reportlab.platypus.doctemplate import BaseDocTemplate


@contextmanager
def captured_stories() -> Iterator[list[list[Any]]]:
    """Each story built while the block runs (a copy: building consumes the list)."""
    stories: list[list[Any]] = []
    original = BaseDocTemplate.build

    def build(self: BaseDocTemplate, flowables: list[Any], *args: Any, **kwargs: Any) -> Any:
        stories.append(list(flowables))
        return original(self, flowables, *args, **kwargs)

    BaseDocTemplate.build = build  # type: ignore[method-assign]
    try:
        yield stories
    finally:
        BaseDocTemplate.build = original  # type: ignore[method-assign]


def _flowables(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return [f for item in value for f in _flowables(item)]
    if isinstance(value, KeepTogether):
        return _flowables(value._content)
    return [value]


def _text_of(value: Any) -> str:
    return value.getPlainText() if isinstance(value, Paragraph) else str(value)


def overflowing_cells(story: list[Any]) -> list[str]:
    """ "'30 September 2026' needs 29.9 mm, the column holds 19.8 mm", for each cell whose
    text does not fit (laid-out tables only: the document has been built)."""
    found: list[str] = []
    for flowable in _flowables(story):
        if not isinstance(flowable, Table):
            continue
        if not all(isinstance(w, int | float) for w in flowable._argW):
            continue  # not laid out ("100%", None): a rule line, or a table never drawn
        spanned = {
            cell
            for cell, span in getattr(flowable, "_spanRanges", {}).items()
            if span is None or span[0] != span[2]
        }
        for r, row in enumerate(flowable._cellvalues):
            for c, value in enumerate(row):
                if (c, r) in spanned:
                    continue
                style = flowable._cellStyles[r][c]
                width = flowable._argW[c]
                room = width - style.leftPadding - style.rightPadding  # what a paragraph wraps to
                # A string is drawn from its padding on the side it is aligned to and may
                # use the padding on the other side, but not cross the cell's rule.
                inset = {"LEFT": style.leftPadding, "RIGHT": style.rightPadding}.get(
                    str(style.alignment).upper(), 0
                )
                for part in _flowables(value):
                    if isinstance(part, Table):
                        found += overflowing_cells([part])
                        continue
                    if isinstance(part, Paragraph):
                        need, holds = part.minWidth(), room
                    elif isinstance(part, str | int | float):
                        need = max(
                            stringWidth(line, style.fontname, style.fontsize)
                            for line in str(part).split("\n")
                        )
                        holds = width - inset
                    else:
                        continue
                    if need > holds + 0.5:
                        found.append(
                            f"{_text_of(part)!r} needs {need / 2.835:.1f} mm, "
                            f"the column holds {holds / 2.835:.1f} mm"
                        )
    return found
