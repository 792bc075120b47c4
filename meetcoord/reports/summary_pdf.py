"""A forum's or a series' key figures on one A4 page, for the quarterly evaluation.

In the owning institution's letterhead (``core.pdf.letterhead``), so it is filed with the
office's other paperwork. Three tables: actions by status (with overdue), overdue actions
by agency, and attendance rate by agency (lowest first). Each table is cut to the rows a
single page holds, and says how many more the dashboard has: the evaluation reads one
sheet. Written in the reader's language (Indonesian, English when they read English);
dates in the given zone with its label.
"""

from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from meetcoord.actions.labels import STATUS_LABELS
from meetcoord.core.db import utcnow
from meetcoord.core.pdf import GRID, letterhead, paragraph, register_fonts, text_style
from meetcoord.core.timezones import format_long_date, format_time_in_zone, zone_label
from meetcoord.reports.figures import STATUSES, Dashboard

MAX_AGENCY_ROWS = 10  # overdue by agency
MAX_ATTENDANCE_ROWS = 12  # attendance rate by agency
NAME_CHARS = 40


def _styles() -> dict[str, Any]:
    return {
        "title": text_style("summary-title", 13, bold=True, align=1),
        "subtitle": text_style("summary-subtitle", 10.5, align=1),
        "heading": text_style("summary-heading", 10.5, bold=True),
        "meta": text_style("summary-meta", 8.5),
        "cell": text_style("summary-cell", 8.5),
    }


def _table(header: list[str], rows: list[list[Any]], widths: list[float], st: dict) -> Table:
    body = [[paragraph(str(cell), st["cell"]) for cell in header]]
    body += [[paragraph(str(cell), st["cell"]) for cell in row] for row in rows]
    table = Table(body, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle([*GRID, ("TOPPADDING", (0, 0), (-1, -1), 1.5)]))
    return table


def _short(name: str) -> str:
    """A name cut to one line of its column, so every table still fits the page."""
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def _more(left: int, st: dict) -> list[Any]:
    if left <= 0:
        return []
    return [paragraph(_("… dan %(n)d lainnya di dasbor.", n=left), st["meta"])]


def _period(board: Dashboard, zone: str, locale: str) -> str:
    if board.first_at is None or board.last_at is None:
        return _("Belum ada rapat.")
    first = format_long_date(board.first_at, zone, locale)
    last = format_long_date(board.last_at, zone, locale)
    return _(
        "%(n)d rapat, %(first)s – %(last)s (%(zone)s); %(held)d sudah berlangsung.",
        n=board.meetings,
        first=first,
        last=last,
        zone=zone_label(zone, board.last_at),
        held=board.held,
    )


def render(board: Dashboard, header: dict[str, Any], *, zone: str, locale: str) -> bytes:
    """The summary as PDF bytes; ``header``: the letterhead's values (``Letterhead.header``)."""
    register_fonts()
    st = _styles()
    now = utcnow()
    kind = _("Forum") if board.kind == "forum" else _("Seri rapat")
    story: list[Any] = [
        *letterhead(header["institution"], header.get("address"), header.get("logo")),
        paragraph(_("Ringkasan evaluasi triwulan"), st["title"]),
        paragraph(f"{kind}: {board.title}", st["subtitle"]),
        Spacer(1, 2 * mm),
        paragraph(_period(board, zone, locale), st["meta"]),
        paragraph(
            _(
                "Dibuat %(day)s pukul %(time)s.",
                day=format_long_date(now, zone, locale),
                time=format_time_in_zone(now, zone, locale),
            ),
            st["meta"],
        ),
        Spacer(1, 4 * mm),
        paragraph(_("Tindak lanjut menurut status"), st["heading"]),
        Spacer(1, 1.5 * mm),
    ]
    actions = board.actions
    story.append(
        _table(
            [*(str(STATUS_LABELS[s]) for s in STATUSES), _("Jumlah"), _("Lewat tenggat")],
            [[*(actions.by_status[s] for s in STATUSES), actions.total, actions.overdue]],
            [25 * mm] * 7,
            st,
        )
    )
    overdue = [row for row in board.by_agency if row.overdue]
    story += [
        Spacer(1, 4 * mm),
        paragraph(_("Tindak lanjut lewat tenggat per instansi"), st["heading"]),
        Spacer(1, 1.5 * mm),
    ]
    if overdue:
        story.append(
            _table(
                [_("Instansi"), _("Lewat tenggat"), _("Belum selesai"), _("Jumlah")],
                [
                    [
                        _short(row.name),
                        row.overdue,
                        row.by_status["open"] + row.by_status["in_progress"],
                        row.total,
                    ]
                    for row in overdue[:MAX_AGENCY_ROWS]
                ],
                [100 * mm, 25 * mm, 25 * mm, 25 * mm],
                st,
            )
        )
        story += _more(len(overdue) - MAX_AGENCY_ROWS, st)
    else:
        story.append(paragraph(_("Tidak ada tindak lanjut yang lewat tenggat."), st["meta"]))
    story += [
        Spacer(1, 4 * mm),
        paragraph(_("Tingkat kehadiran per instansi"), st["heading"]),
        Spacer(1, 1.5 * mm),
    ]
    if board.attendance:
        story.append(
            _table(
                [_("Instansi"), _("Diundang"), _("Hadir"), _("Diwakili"), _("Absen"), "%"],
                [
                    [
                        _short(row.name) or _("Tanpa instansi"),
                        row.invited,
                        row.attended,
                        row.stand_in,
                        row.absent,
                        "—" if row.rate is None else f"{row.rate:g}%",
                    ]
                    for row in board.attendance[:MAX_ATTENDANCE_ROWS]
                ],
                [84 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm, 16 * mm],
                st,
            )
        )
        story += _more(len(board.attendance) - MAX_ATTENDANCE_ROWS, st)
        story.append(
            paragraph(
                _("Dihitung per rapat yang sudah berlangsung; yang paling jarang hadir di atas."),
                st["meta"],
            )
        )
    else:
        story.append(paragraph(_("Belum ada rapat yang berlangsung."), st["meta"]))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{_('Ringkasan evaluasi triwulan')} — {board.title}",
        author=header["institution"],
    )
    doc.build(story)
    return out.getvalue()
