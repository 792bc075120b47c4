"""Spreadsheets people download: one formula-safe way to write CSV and XLSX.

Every export (attendance lists, the action tracker, attendance across a series) writes
its cells through :func:`safe_row`, so a participant who types ``=HYPERLINK(...)`` as
their position, or a title that starts with ``-``, never becomes a formula in the
secretariat's Excel: text starting with ``=`` ``+`` ``-`` ``@`` tab or CR gets a leading
``'``. Numbers and dates stay numbers and dates.

CSV is UTF-8 with a BOM and ``;`` between fields: Excel set to Indonesian reads the BOM to
show "Pembangunan Desa Wee Rame" right, and its list separator is ``;`` because ``,`` is
the decimal mark. :func:`csv_chunks` yields bytes a few hundred rows at a time, so a
response can stream ten thousand rows without holding them. XLSX uses openpyxl's
write-only mode into a temporary file on disk, for the same reason.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from flask import Flask, Response, current_app
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from meetcoord.core.timezones import format_time_in_zone, to_zone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
DELIMITER = ";"
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOWNLOAD_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Rows written between two yields of a streamed CSV.
CSV_BATCH = 500
_KEPT = (int, float, date, datetime)


def chunked(
    app: Flask, keys: Sequence[Any], size: int, load: Callable[[Sequence[Any]], list[Any]]
) -> Iterator[Any]:
    """The rows ``load`` makes of ``keys``, ``size`` keys at a time, each batch read in an
    application context of its own that is closed before its rows are yielded.

    A streamed body is read after the view has returned, so it cannot lean on the
    request's context; nor may it hold one open across a yield, since a client that goes
    away leaves the generator to be closed whenever, popping that context out of turn.
    Whatever needs the request (the reader's language, their reach) is worked out by the
    caller before; ``load`` only reads the database.
    """
    for start in range(0, len(keys), size):
        with app.app_context():
            batch = load(keys[start : start + size])
        yield from batch


def safe_cell(value: Any) -> Any:
    """A cell's value: None → "", numbers and dates as they are, anything else as text
    that cannot start a formula (a lazy translation is text too)."""
    if value is None:
        return ""
    if isinstance(value, _KEPT) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through :func:`safe_cell`, headings included: titles and venue
    names are typed by people too, and openpyxl stores a text starting with "=" as a formula."""
    return [safe_cell(v) for v in values]


def csv_chunks(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The BOM and the header, then the rows ``CSV_BATCH`` at a time, as UTF-8 bytes."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER)
    out.write(BOM)
    writer.writerow(safe_row(header))
    for count, row in enumerate(rows, 1):
        writer.writerow(safe_row(row))
        if count % CSV_BATCH == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def xlsx_file(header: Sequence[Any], rows: Iterable[Sequence[Any]], title: str) -> IO[bytes]:
    """One sheet, bold header, frozen under it; written row by row (openpyxl's write-only
    mode) into a temporary file that is deleted once closed. Returned rewound."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(title))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for value in safe_row(header):
        cell = WriteOnlyCell(ws, value=value)
        cell.font = bold
        heading.append(cell)
    ws.append(heading)
    for row in rows:
        ws.append(safe_row(row))
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (handed to the caller, who closes it)
    wb.save(spool)
    spool.seek(0)
    return spool


def sheet_title(name: str) -> str:
    """A sheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Data"


def filename(stem: str, fmt: str) -> str:
    """ "tindak-lanjut-2026-03-15.csv": ASCII letters, digits and dashes only, so the
    name is safe in a ``Content-Disposition`` header whatever the stem held."""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:80] or "ekspor"
    return f"{slug}.{fmt}"


def download(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], fmt: str, name: str, title: str
) -> Response:
    """A CSV (streamed) or XLSX attachment of ``rows``, private and never cached.

    The CSV streams its rows as they come (:func:`chunked` reads them a batch at a time);
    the XLSX is written to a temporary file first and sent from it in blocks.
    """
    if fmt == "csv":
        body: Any = csv_chunks(header, rows)
    else:
        body = _file_blocks(xlsx_file(header, rows, title))
    response = current_app.response_class(body, mimetype=MIMETYPES[fmt].split(";")[0])
    response.headers["Content-Type"] = MIMETYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(name, fmt)}"'
    response.headers.update(DOWNLOAD_HEADERS)
    return response


def _file_blocks(spool: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while block := spool.read(size):
            yield block
    finally:
        spool.close()


def moment_text(moment: datetime | None, zone: str, locale: str = "id") -> str:
    """ "2026-03-15 09.05 WITA": a sortable day and the time in ``zone``, with its label."""
    if moment is None:
        return ""
    return f"{to_zone(moment, zone):%Y-%m-%d} {format_time_in_zone(moment, zone, locale)}"
