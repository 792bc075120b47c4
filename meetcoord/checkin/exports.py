"""Attendance lists as spreadsheets: CSV and XLSX (the PDF for signing: ``list_pdf``).

The documents are Indonesian whoever downloads them: a daftar hadir is a formal form.
CSV is UTF-8 with a BOM and ``;`` between fields, which is what Excel set to Indonesian
expects (its list separator is ``;`` because ``,`` is the decimal mark). XLSX has one
sheet per site, the combined list and the totals. No text cell can start a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from meetcoord.checkin.lists import CATEGORY_ID, GENDER_ID, AttendanceList, Lists, Row, Totals
from meetcoord.core.tabular import BOM, DELIMITER, FORMULA_STARTS, safe_row
from meetcoord.directory.models import StakeholderCategory

PDF_HEADER = ["No", "Nama", "Instansi", "Jabatan", "Kategori", "L/P", "Jam masuk", "Jam keluar"]
EXTRA = ["Cara hadir", "Diwakili oleh", "Tanpa undangan", "Disabilitas"]
CSV_HEADER = [*PDF_HEADER[:6], "Lokasi", *PDF_HEADER[6:], *EXTRA]
SIGNATURE = "Tanda tangan"
__all__ = [  # FORMULA_STARTS stays importable from here (core.tabular owns it)
    "CSV_HEADER",
    "FORMULA_STARTS",
    "PDF_HEADER",
    "SIGNATURE",
    "filename",
    "to_csv",
    "to_xlsx",
    "to_xlsx_one",
    "totals_rows",
]


# --- CSV --------------------------------------------------------------------------------


def _safe(values: Iterable[Any]) -> list[Any]:
    """A row for CSV or XLSX: every text cell neutralised (``core.tabular``)."""
    return safe_row(values)


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
    writer = csv.writer(out, delimiter=DELIMITER)
    writer.writerow(_safe(CSV_HEADER))
    for row in attendance.rows:
        writer.writerow(_safe(_record(row)))
    return (BOM + out.getvalue()).encode("utf-8")


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


def totals_rows(t: Totals, like: Totals | None = None) -> list[tuple[str, int]]:
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
    columns = [totals_rows(a.totals, whole) for a in parts]
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
