"""Attendance lists as documents: CSV and XLSX for the spreadsheet, PDF for signing.

The documents are Indonesian whoever downloads them: a daftar hadir is a formal form.
CSV is UTF-8 with a BOM and ``;`` between fields, which is what Excel set to Indonesian
expects (its list separator is ``;`` because ``,`` is the decimal mark). XLSX has one
sheet per site, the combined list and the totals. The PDF (reportlab) follows the printed
form: letterhead, title, meeting, site, day and date in Indonesian with the time and zone
label, the table with an empty signature column, totals at the end and "Halaman x dari y".

Font: a Unicode TrueType font is embedded so accented names and apostrophes render
("Théo Rumbekwan", "Ni Luh Putu Ayu D'Souza"). DejaVu Sans is used when the system has it
(Debian's ``fonts-dejavu-core``, present on the servers and in CI); otherwise Bitstream
Vera, which ships inside the reportlab wheel itself (DejaVu is derived from it; it covers
Latin-1 and typographic quotes), so a PDF can always be produced without extra packages.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from meetcoord.checkin.lists import CATEGORY_ID, GENDER_ID, AttendanceList, Lists, Row, Totals
from meetcoord.directory.models import StakeholderCategory

PDF_HEADER = ["No", "Nama", "Instansi", "Jabatan", "Kategori", "L/P", "Jam masuk", "Jam keluar"]
EXTRA = ["Cara hadir", "Diwakili oleh", "Tanpa undangan", "Disabilitas"]
CSV_HEADER = [*PDF_HEADER[:6], "Lokasi", *PDF_HEADER[6:], *EXTRA]
SIGNATURE = "Tanda tangan"

FONT = "MeetcoordSans"
FONT_BOLD = "MeetcoordSans-Bold"
_FONT_CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
]


# --- CSV --------------------------------------------------------------------------------


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """Text for a spreadsheet cell; a leading = + - @ tab or CR cannot start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _safe(values: Iterable[Any]) -> list[Any]:
    """A row for CSV or XLSX: every text cell neutralised, numbers kept as numbers.

    Every row goes through here, headings included: the meeting's title and the venues'
    names are typed by people too, and openpyxl stores a text starting with "=" as a
    formula.
    """
    return [_cell(v) if isinstance(v, str) else v for v in values]


def _record(row: Row) -> list[Any]:
    return [
        row.number,
        row.name,
        row.organization or "",
        row.position or "",
        row.category_label,
        row.gender_short,
        row.site_name,
        row.time_in,
        row.time_out or "",
        row.method_label,
        row.stand_in or "",
        "Ya" if row.is_walk_in else "",
        "Ya" if row.has_disability else "",
    ]


def to_csv(attendance: AttendanceList) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_safe(CSV_HEADER))
    for row in attendance.rows:
        writer.writerow(_safe(_record(row)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------


def _sheet_title(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:28] or "Lokasi"
    title, n = base, 2
    while title.lower() in taken:
        title, n = f"{base[:25]} ({n})", n + 1
    taken.add(title.lower())
    return title


def _fill_sheet(ws: Any, attendance: AttendanceList) -> None:
    bold = Font(bold=True)
    for line in (
        ["DAFTAR HADIR"],
        [attendance.meeting_title],
        ["Lokasi", attendance.site_name],
        ["Hari/tanggal", attendance.day],
        ["Waktu", attendance.time],
        [],
        CSV_HEADER,
        *(_record(row) for row in attendance.rows),
    ):
        ws.append(_safe(line))
    for cell in (*ws[1], *ws[7]):
        cell.font = bold
    for letter, width in zip(
        "ABCDEFGHIJKLM", (5, 30, 30, 24, 18, 5, 22, 12, 12, 20, 30, 8, 8), strict=True
    ):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A8"


def _totals_rows(t: Totals, like: Totals | None = None) -> list[tuple[str, int]]:
    """Recap lines of ``t``; with ``like``, the categories and genders ``like`` shows."""
    shown = like or t
    categories = [key for key, n in shown.by_category.items() if n]
    genders = [key for key, n in shown.by_gender.items() if n or key != "unknown"]
    return [
        *[(CATEGORY_ID[StakeholderCategory(key)], t.by_category[key]) for key in categories],
        ("", 0),
        *[(GENDER_ID[key], t.by_gender[key]) for key in genders],
        ("", 0),
        ("Penyandang disabilitas", t.disability),
        ("Tanpa undangan (walk-in)", t.walk_ins),
        ("Diwakili", t.stand_ins),
        ("Jumlah hadir", t.total),
    ]


def to_xlsx(lists: Lists) -> bytes:
    """Every site, the combined list and a recap sheet with a column per site."""
    return _workbook([*lists.sites, lists.combined])


def to_xlsx_one(attendance: AttendanceList) -> bytes:
    return _workbook([attendance])


def _workbook(parts: list[AttendanceList]) -> bytes:
    wb = Workbook()
    taken: set[str] = set()
    for i, attendance in enumerate(parts):
        ws = wb.active if i == 0 else wb.create_sheet()
        name = "Gabungan" if attendance.combined else attendance.site_name
        ws.title = _sheet_title(name, taken)
        _fill_sheet(ws, attendance)
    ws = wb.create_sheet(_sheet_title("Rekap", taken))
    ws.append(_safe(["REKAPITULASI KEHADIRAN", parts[-1].meeting_title]))
    ws["A1"].font = Font(bold=True)
    ws.append([])
    ws.append(_safe(["Uraian", *["Jumlah" if a.combined else a.site_name for a in parts]]))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    whole = parts[-1].totals
    columns = [_totals_rows(a.totals, whole) for a in parts]
    for i, (label, _n) in enumerate(columns[-1]):
        ws.append(_safe([label, *[col[i][1] for col in columns]]) if label else [])
    ws.column_dimensions["A"].width = 30
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(meeting_id: int, attendance: AttendanceList, fmt: str) -> str:
    """ "daftar-hadir-12-aula-bappeda-sbd.pdf": ASCII, safe in a header."""
    slug = "semua-lokasi" if attendance.combined else attendance.site_name
    slug = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")[:50] or "lokasi"
    return f"daftar-hadir-{meeting_id}-{slug}.{fmt}"


# --- PDF --------------------------------------------------------------------------------


def register_fonts() -> None:
    """Embed the Unicode font once per process; the minutes and other PDFs reuse it."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = next(
        ((r, b) for r, b in _FONT_CANDIDATES if r.is_file() and b.is_file()),
        (None, None),
    )
    if regular is None or bold is None:  # reportlab's own Bitstream Vera
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
    else:
        pdfmetrics.registerFont(TTFont(FONT, str(regular)))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


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
        "letter": _style("letter", 14, bold=True, center=True),
        "address": _style("address", 9, center=True),
        "title": _style("title", 13, bold=True, center=True),
        "subtitle": _style("subtitle", 10.5, bold=True, center=True),
        "meta": _style("meta", 9.5),
        "recap": _style("recap", 10.5, bold=True),
    }


class PagedCanvas(Canvas):
    """Holds the pages back until their count is known, then stamps each (:meth:`stamp`):
    reportlab draws a page before it knows how many follow, and "Halaman x dari y" needs
    both. Documents that stamp more (the minutes' QR) override :meth:`stamp`."""

    footer_y = 8 * mm
    footer_right = 15 * mm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self.stamp(total)
            super().showPage()
        super().save()

    def stamp(self, total: int) -> None:
        width, _height = self._pagesize
        self.setFont(FONT, 8)
        self.drawRightString(
            width - self.footer_right, self.footer_y, f"Halaman {self._pageNumber} dari {total}"
        )


GRID = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
]


def _p(text: str | None, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or ""), style)


def _letterhead(institution: str, address: str | None, logo: str | None, st: dict) -> list:
    lines: list[Any] = [_p(institution.upper(), st["letter"])]
    if address:
        lines.append(_p(address, st["address"]))
    if logo and Path(logo).is_file():
        head = Table(
            [[Image(logo, width=18 * mm, height=18 * mm), lines]],
            colWidths=[22 * mm, None],
        )
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        lines = [head]
    rule = Table([[""]], colWidths=["100%"], rowHeights=[1.5 * mm])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.5, colors.black)]))
    return [*lines, rule, Spacer(1, 4 * mm)]


def _heading(attendance: AttendanceList, st: dict) -> list:
    meta = [
        ["Lokasi", ":", _p(attendance.site_name, st["meta"])],
        ["Hari/tanggal", ":", _p(attendance.day, st["meta"])],
        ["Waktu", ":", _p(attendance.time, st["meta"])],
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
        _p("DAFTAR HADIR", st["title"]),
        _p(attendance.meeting_title, st["subtitle"]),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 3 * mm),
    ]


def _name_cell(row: Row, st: dict) -> list[Paragraph]:
    cell = [_p(row.name, st["cell"])]
    if row.stand_in:
        cell.append(_p(row.stand_in, st["small"]))
    if row.is_walk_in:
        cell.append(_p("(tanpa undangan)", st["small"]))
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
    data: list[list[Any]] = [[_p(h, st["head"]) for h in header]]
    for row in attendance.rows:
        cells: list[Any] = [
            str(row.number),
            _name_cell(row, st),
            _p(row.organization, st["cell"]),
            _p(row.position, st["cell"]),
            _p(row.category_label, st["cell"]),
            row.gender_short,
            row.time_in,
            row.time_out or "",
            _signature(row.number),
        ]
        if show_site:
            cells.insert(3, _p(row.site_name, st["cell"]))
        data.append(cells)
    if not attendance.rows:
        data.append(["", _p("Belum ada peserta yang tercatat hadir.", st["cell"])] + [""] * 7)
    widths = [9, 48, 48, 40, 27, 11, 20, 20, 44]
    if show_site:
        widths = [9, 43, 40, 26, 34, 24, 11, 19, 19, 42]
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
    rows = [[_p("Uraian", st["head"]), _p("Jumlah", st["head"])]]
    rows += [[label, str(n)] for label, n in _totals_rows(t) if label]
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
    return KeepTogether([Spacer(1, 5 * mm), _p(title, st["recap"]), Spacer(1, 2 * mm), table])


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
        story += _letterhead(institution, address, logo, st)
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
