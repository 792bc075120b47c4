"""The daftar hadir as a PDF for signing (reportlab), in the printed form's layout.

Letterhead, title, meeting, site, day and date in Indonesian with the time and zone label,
the table with an empty signature column, totals at the end and "Halaman x dari y"
(``core.pdf.PagedCanvas``). Indonesian whoever downloads it: it is a formal form. The
letterhead is the documents' own (``core.pdf.letterhead``), at the same sizes, since the
list is filed with the minutes it belongs to.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from meetcoord.checkin.exports import PDF_HEADER, SIGNATURE, totals_rows
from meetcoord.checkin.lists import AttendanceList, Row, Totals
from meetcoord.core.pdf import (
    FONT,
    FONT_BOLD,
    GRID,
    PagedCanvas,
    letterhead,
    paragraph,
    register_fonts,
)


def _style(name: str, size: float = 8.5, *, bold: bool = False, center: bool = False) -> Any:
    font = FONT_BOLD if bold else FONT
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25, alignment=center)


def _styles() -> dict[str, ParagraphStyle]:
    small = _style("small", 7.5)
    small.textColor = colors.HexColor("#333333")
    return {
        "cell": _style("cell"),
        "small": small,
        "head": _style("head", bold=True, center=True),
        "title": _style("title", 13, bold=True, center=True),
        "subtitle": _style("subtitle", 10.5, bold=True, center=True),
        "meta": _style("meta", 9.5),
        "recap": _style("recap", 10.5, bold=True),
    }


def _heading(attendance: AttendanceList, st: dict) -> list:
    meta = [
        ["Lokasi", ":", paragraph(attendance.site_name, st["meta"])],
        ["Hari/tanggal", ":", paragraph(attendance.day, st["meta"])],
        ["Waktu", ":", paragraph(attendance.time, st["meta"])],
    ]
    table = Table(meta, colWidths=[28 * mm, 4 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return [
        paragraph("DAFTAR HADIR", st["title"]),
        paragraph(attendance.meeting_title, st["subtitle"]),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 3 * mm),
    ]


def _name_cell(row: Row, st: dict) -> list[Paragraph]:
    cell = [paragraph(row.name, st["cell"])]
    if row.stand_in:
        cell.append(paragraph(row.stand_in, st["small"]))
    if row.is_walk_in:
        cell.append(paragraph("(tanpa undangan)", st["small"]))
    return cell


def _signature(number: int) -> Paragraph:
    """Numbered lines alternating left and right, as on printed Indonesian forms."""
    text = f"{number}. ..............."
    style = _style("sig", 8)
    style.alignment = 0 if number % 2 else 2
    return Paragraph(escape(text), style)


def _table(attendance: AttendanceList, st: dict, show_site: bool) -> Table:
    header = [*PDF_HEADER, SIGNATURE]
    if show_site:
        header.insert(3, "Lokasi")
    data: list[list[Any]] = [[paragraph(h, st["head"]) for h in header]]
    for row in attendance.rows:
        cells: list[Any] = [
            str(row.number),
            _name_cell(row, st),
            paragraph(row.organization, st["cell"]),
            paragraph(row.position, st["cell"]),
            paragraph(row.category_label, st["cell"]),
            row.gender_short,
            row.time_in,
            row.time_out or "",
            _signature(row.number),
        ]
        if show_site:
            cells.insert(3, paragraph(row.site_name, st["cell"]))
        data.append(cells)
    if not attendance.rows:
        data.append(
            ["", paragraph("Belum ada peserta yang tercatat hadir.", st["cell"])] + [""] * 7
        )
    # The time columns hold "09.05 WITA" on one line (24 mm with the cell's padding).
    widths = [9, 46, 46, 38, 27, 11, 24, 24, 42]
    if show_site:
        widths = [9, 40, 37, 25, 32, 24, 11, 24, 24, 41]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *GRID,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
                ("ALIGN", (-4, 1), (-2, -1), "CENTER"),
                ("TOPPADDING", (0, 1), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
            ]
        )
    )
    return table


def _totals(title: str, t: Totals, st: dict) -> KeepTogether:
    rows = [[paragraph("Uraian", st["head"]), paragraph("Jumlah", st["head"])]]
    rows += [[label, str(n)] for label, n in totals_rows(t) if label]
    table = Table(rows, colWidths=[70 * mm, 20 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                *GRID,
                ("ALIGN", (1, 1), (1, -1), "RIGHT"),
                ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
            ]
        )
    )
    return KeepTogether(
        [Spacer(1, 5 * mm), paragraph(title, st["recap"]), Spacer(1, 2 * mm), table]
    )


def to_pdf(
    parts: Iterable[AttendanceList],
    *,
    institution: str,
    address: str | None = None,
    logo: str | None = None,
    combined: AttendanceList | None = None,
) -> bytes:
    """One daftar hadir per part (a site, online, or the combined list), each on new pages;
    with ``combined`` a last recapitulation of the whole meeting's totals."""
    register_fonts()
    st = _styles()
    parts = list(parts)
    story: list[Any] = []
    for i, attendance in enumerate(parts):
        if i:
            story.append(PageBreak())
        story += letterhead(institution, address, logo)
        story += _heading(attendance, st)
        story.append(_table(attendance, st, show_site=attendance.combined))
        story.append(_totals("Rekapitulasi", attendance.totals, st))
    if combined is not None:
        story.append(_totals("Rekapitulasi seluruh lokasi", combined.totals, st))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=15 * mm,
        title=f"Daftar hadir — {parts[0].meeting_title}" if parts else "Daftar hadir",
        author=institution,
    )
    doc.build(story, canvasmaker=PagedCanvas)
    return out.getvalue()
