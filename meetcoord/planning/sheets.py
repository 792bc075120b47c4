"""An uploaded CSV or XLSX of proposals, read in the sandbox into plain rows.

A spreadsheet from outside is untrusted: an XLSX is a zip whose 100 KB may unpack to
gigabytes. So :func:`read_table` runs as a :mod:`meetcoord.core.sandbox` task (a child
process with CPU, memory and time limits, off the server's green threads), after its
bounds: the zip's members and unpacked size, then at most ``max_rows`` rows,
``MAX_COLUMNS`` columns and ``max_cell`` characters a cell. What comes back is plain data
— the header and the rows of text and numbers — or a ``refused`` reason the caller turns
into a message. Nothing here touches the database.

The XLSX is read by a small streaming reader on the standard library, not openpyxl:
openpyxl spent ~2.2 s of the 3 s budget on 5,000 × 14 cells, building styles and cell
objects a proposal never needs. The reader walks the first worksheet's XML once with
``iterparse``, dropping each row as soon as it is yielded, and refuses a bound at the cell
that breaks it. Values are what the sheet shows as stored: text, numbers (``int`` when
integral), booleans, the cached result of a formula, an error's text (``#N/A``). Dates are
not converted — a proposal has no date column, so a date cell stays the serial number
Excel stores, and the year column is typed as a number anyway. openpyxl is not needed on
this path. XML declarations (``<!DOCTYPE``, ``<!ENTITY``) are refused outright, so
entity tricks are off the table; the sandbox bounds the rest.
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element, iterparse

from meetcoord.core import sandbox

MAX_COLUMNS = 60
MAX_MEMBERS = 200
MAX_UNPACKED = 80 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
SHEET_ROWS = 1_048_576  # Excel's own limits: a reference beyond them is a forged file
SHEET_COLUMNS = 16_384


class Refused(Exception):
    """A bound broken while streaming: the reason and facts :func:`read_table` returns."""

    def __init__(self, reason: str, **facts: Any) -> None:
        super().__init__(reason)
        self.plain = {"refused": reason, **facts}


def _refused(reason: str, **facts: Any) -> dict[str, Any]:
    return {"refused": reason, **facts}


def _local(tag: str) -> str:
    """A tag without its namespace: transitional and strict OOXML use different ones."""
    return tag.rpartition("}")[2]


def _column(ref: str) -> int:
    """``"AB12"`` → 27 (0-based); the digits are the row."""
    index = 0
    for char in ref:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            index = index * 26 + ord(char) - 96
        else:
            break
    if index == 0:
        raise ValueError("cell reference")
    return index - 1


def _text_of(element: Element) -> str:
    """A string item's text: plain ``<t>`` or rich-text runs joined; phonetic hints
    (``<rPh>``, furigana) are not part of the value."""
    parts: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


class _NoDeclarations:
    """A member's bytes, refused at the first ``<!DOCTYPE``/``<!ENTITY``: OOXML never
    declares any, and without them XML has no entity tricks left (defusedxml's rule,
    without the dependency). Text content cannot hold a raw ``<``, so a hit is markup."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.tail = stream, b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        seen = self.tail + chunk
        if b"<!DOCTYPE" in seen or b"<!ENTITY" in seen:
            raise ValueError("XML declarations")
        self.tail = seen[-8:]
        return chunk


def _parse(stream: IO[bytes], events: tuple[str, ...] = ("end",)) -> Iterator[Any]:
    return iterparse(_NoDeclarations(stream), events=events)  # noqa: S314 (see above)


def _relations(archive: zipfile.ZipFile, path: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, member path)."""
    folder = posixpath.dirname(posixpath.dirname(path))  # xl/_rels/x.rels → xl
    found: dict[str, tuple[str, str]] = {}
    if path not in archive.NameToInfo:
        return found
    with archive.open(path) as stream:
        for _event, element in _parse(stream):
            if _local(element.tag) == "Relationship":
                target = element.get("Target", "")
                if target.startswith("/"):
                    member = target.lstrip("/")
                else:
                    member = posixpath.normpath(posixpath.join(folder, target))
                found[element.get("Id", "")] = (element.get("Type", ""), member)
    return found


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    """The first worksheet's member and the shared strings' member (if any)."""
    relations = _relations(archive, "xl/_rels/workbook.xml.rels")
    first: str | None = None
    with archive.open("xl/workbook.xml") as stream:  # KeyError: no workbook, no XLSX
        for _event, element in _parse(stream):
            if _local(element.tag) == "sheet" and first is None:
                for key, value in element.attrib.items():
                    if _local(key) == "id":
                        first = value
    if first is None or first not in relations:
        raise ValueError("no worksheet")
    strings = [m for t, m in relations.values() if t.endswith("/sharedStrings")]
    default = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in archive.NameToInfo else None
    return relations[first][1], strings[0] if strings else default


def _shared_strings(archive: zipfile.ZipFile, member: str | None, limit: int) -> list[str]:
    strings: list[str] = []
    if member is None:
        return strings
    with archive.open(member) as stream:
        for _event, element in _parse(stream):
            if _local(element.tag) == "si":
                strings.append(_text_of(element))
                element.clear()
                if len(strings) > limit:
                    raise ValueError("shared strings")
    return strings


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _value(cell: Element, kind: str, strings: list[str]) -> Any:
    """A cell's value by its type; a formula's cached ``<v>`` is its value."""
    if kind == "inlineStr":
        for child in cell:
            if _local(child.tag) == "is":
                return _text_of(child)
        return None
    raw: str | None = None
    for child in cell:
        if child.tag[-1] == "v" and _local(child.tag) == "v":
            raw = child.text
            break
    if raw is None:
        return None
    if kind == "s":
        return strings[int(raw)]  # IndexError: a forged index
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind in ("str", "e", "d"):
        return raw  # formula text result; an error's text (#N/A); an ISO date
    return _number(raw) if raw.strip() else None


def _xlsx_rows(payload: bytes, max_rows: int, max_cell: int) -> Iterator[list[Any]]:
    """The first worksheet row by row (gaps filled: a missing row is ``[]``, a missing
    cell ``None``), each bound checked at the cell that breaks it."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        members = archive.infolist()
        # A member's declared size also caps what zipfile will inflate (then the CRC
        # check fails), so a lying header cannot unpack more than this.
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
            raise ValueError("unpacked")
        sheet, strings_member = _first_sheet(archive)
        strings = _shared_strings(archive, strings_member, (max_rows + 1) * MAX_COLUMNS)
        with archive.open(sheet) as stream:
            yield from _sheet_rows(stream, strings, max_cell)


def _sheet_rows(stream: IO[bytes], strings: list[str], max_cell: int) -> Iterator[list[Any]]:
    number = current = 0  # the sheet row last yielded, the one being read
    cells: list[Any] = []
    column = -1
    sheet_data: Element | None = None
    for event, element in _parse(stream, ("start", "end")):
        if event == "start":
            tag = element.tag
            if tag[-3:] == "row" and _local(tag) == "row":
                given = element.get("r")
                current = max(int(given) if given and given.isdigit() else 0, number + 1)
                if current > SHEET_ROWS:
                    raise ValueError("row reference")
            elif sheet_data is None and _local(tag) == "sheetData":
                sheet_data = element
            continue
        tag = element.tag
        if tag[-1] == "c" and _local(tag) == "c":
            ref = element.get("r")
            column = _column(ref) if ref else column + 1
            if column >= SHEET_COLUMNS:
                raise ValueError("column reference")
            value = _value(element, element.get("t", "n"), strings)
            element.clear()
            if value is None or value == "":
                continue
            if column >= MAX_COLUMNS:
                raise Refused("columns", line=current, limit=MAX_COLUMNS)
            if isinstance(value, str) and len(value) > max_cell:
                raise Refused("cell", line=current, column=column, limit=max_cell)
            if column >= len(cells):
                cells.extend([None] * (column - len(cells) + 1))
            cells[column] = value
        elif tag[-3:] == "row" and _local(tag) == "row":
            for _gap in range(number + 1, current):
                yield []  # blank rows keep the line numbers the sheet shows
            number = current
            yield cells
            cells, column = [], -1
            element.clear()
            if sheet_data is not None:
                sheet_data.remove(element)


def _guess_delimiter(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_rows(payload: bytes) -> Iterator[list[str]]:
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
        source = _xlsx_rows(payload, max_rows, max_cell) if is_xlsx else _csv_rows(payload)
        header: list[str] | None = None
        rows: list[list[Any]] = []
        for number, cells in enumerate(source, start=1):
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
    except Refused as refusal:
        return refusal.plain
    except UnicodeDecodeError:
        return _refused("encoding")
    except (ValueError, KeyError, IndexError, SyntaxError, zipfile.BadZipFile, csv.Error, OSError):
        # SyntaxError: ElementTree's ParseError, malformed XML
        return _refused("unreadable", kind="xlsx" if is_xlsx else "csv")
    if header is None:
        return _refused("empty")
    return {"headers": header, "rows": rows, "kind": "xlsx" if is_xlsx else "csv"}
