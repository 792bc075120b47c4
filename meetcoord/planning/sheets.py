"""An uploaded CSV or XLSX of proposals, read in the sandbox into plain rows.

A spreadsheet from outside is untrusted: an XLSX is a zip whose 100 KB may unpack to
gigabytes, and its XML is parsed by openpyxl. So :func:`read_table` runs as a
:mod:`meetcoord.core.sandbox` task (a child process with CPU, memory and time limits,
off the server's green threads), after its bounds: the zip's members and unpacked size,
then at most ``max_rows`` rows, ``MAX_COLUMNS`` columns and ``max_cell`` characters a cell.
What comes back is plain data — the header and the rows of text and numbers — or a
``refused`` reason the caller turns into a message. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

from meetcoord.core import sandbox

MAX_COLUMNS = 60
MAX_MEMBERS = 200
MAX_UNPACKED = 80 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


def _refused(reason: str, **facts: Any) -> dict[str, Any]:
    return {"refused": reason, **facts}


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _guess_delimiter(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _xlsx_rows(payload: bytes) -> Any:
    from openpyxl import load_workbook  # only the child pays for it

    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
            raise ValueError("unpacked")
    book = load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    yield from sheet.iter_rows(values_only=True)


def _csv_rows(payload: bytes) -> Any:
    text = payload.decode("utf-8-sig")
    if "\x00" in text:
        raise UnicodeDecodeError("utf-8", payload[:1], 0, 1, "NUL")
    delimiter = _guess_delimiter(text.split("\n", 1)[0])
    csv.field_size_limit(1024 * 1024)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


@sandbox.task
def read_table(payload: bytes, params: dict[str, Any]) -> dict[str, Any]:
    """In the child: the sheet's header and rows, or ``{"refused": reason, ...}``."""
    max_rows, max_cell = int(params["max_rows"]), int(params["max_cell"])
    is_xlsx = payload.startswith(ZIP_MAGIC)
    try:
        source = _xlsx_rows(payload) if is_xlsx else _csv_rows(payload)
        header: list[str] | None = None
        rows: list[list[Any]] = []
        for number, raw in enumerate(source, start=1):
            cells = [_cell(v) for v in raw]
            while cells and cells[-1] in (None, ""):
                cells.pop()
            if not cells:
                continue  # blank lines between blocks are common in exports
            if len(cells) > MAX_COLUMNS:
                return _refused("columns", line=number, limit=MAX_COLUMNS)
            for column, value in enumerate(cells):
                if isinstance(value, str) and len(value) > max_cell:
                    return _refused("cell", line=number, column=column, limit=max_cell)
            if header is None:
                header = ["" if v is None else str(v).strip() for v in cells]
                continue
            if len(rows) >= max_rows:
                return _refused("rows", limit=max_rows)
            rows.append(cells)
    except UnicodeDecodeError:
        return _refused("encoding")
    except (ValueError, KeyError, zipfile.BadZipFile, csv.Error, OSError):
        return _refused("unreadable", kind="xlsx" if is_xlsx else "csv")
    if header is None:
        return _refused("empty")
    return {"headers": header, "rows": rows, "kind": "xlsx" if is_xlsx else "csv"}
