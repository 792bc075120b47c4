"""Importing people from a CSV file: every row checked, all or nothing.

A secretariat typically exports the participant list from a spreadsheet (Excel in Indonesia
writes ``;``-separated files, LibreOffice ``,``), so the delimiter is detected and the
headers may be Indonesian or English. Any bad row stops the whole import and the report
lists every row with its problems; nothing is written until the whole file is clean.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.cleaning import name_key
from meetcoord.core.errors import Conflict, ValidationError
from meetcoord.directory.cleaning import clean_person
from meetcoord.directory.models import Organization, Person
from meetcoord.directory.services import require_editor
from meetcoord.extensions import db

# Accepted header names (lower case) → field. The first of each group is what the template uses.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("nama", "name"),
    "position": ("jabatan", "position"),
    "organization": ("organisasi", "instansi", "organization", "agency"),
    "email": ("email", "e-mail", "surel"),
    "phone": ("telepon", "hp", "no_hp", "phone"),
    "gender": ("jenis_kelamin", "jk", "gender"),
    "category": ("kategori", "category"),
    "has_disability": ("disabilitas", "disability", "has_disability"),
    "timezone": ("zona", "zona_waktu", "timezone"),
    # Optional like the others; headers are compared with spaces as "_" ("asal daerah").
    "region": ("asal_daerah", "daerah", "region"),
}
REQUIRED_HEADERS = ("name", "category")
MAX_UNKNOWN_SHOWN = 10  # a header of 100,000 unknown columns is reported by its first few
TEMPLATE_HEADER = [names[0] for names in HEADERS.values()]


@dataclass
class RowError:
    line: int  # the line number in the file as a spreadsheet shows it (header = 1)
    errors: dict[str, list[str]]


@dataclass
class ImportReport:
    created: int = 0
    rows: int = 0
    file_errors: list[str] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.row_errors


class CsvImportError(ValidationError):
    """Carries the whole report so every surface can show it."""

    def __init__(self, report: ImportReport):
        errors: dict[str, list[Any]] = {}
        if report.file_errors:
            errors["file"] = list(report.file_errors)
        for row in report.row_errors:
            for name, messages in row.errors.items():
                errors[f"row {row.line}.{name}"] = messages
        super().__init__(_l("Impor dibatalkan; tidak ada data yang disimpan."), errors=errors)
        self.report = report


def _decode(raw: bytes, *, utf16: bool = False) -> str | None:
    """UTF-8 text; with ``utf16``, also UTF-16 that says so by its byte-order mark (what
    Microsoft Teams writes its attendance lists in)."""
    try:
        if utf16 and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


class UnreadableCsv(Exception):
    """Why an uploaded CSV cannot be read at all (its message is the reader's)."""


def open_csv(
    raw: bytes,
    *,
    max_bytes: int,
    is_header: Callable[[list[str]], bool] | None = None,
    max_preamble: int = 40,
    utf16: bool = False,
) -> tuple[list[str], Iterator[list[str]]]:
    """The header row and a reader of the remaining rows of an uploaded CSV.

    Every CSV import starts here, so each refuses the same files the same way, before any
    row is parsed: empty, larger than ``max_bytes``, not UTF-8 text, no readable header.
    ``is_header``: the header is the first of the first ``max_preamble`` rows it accepts
    (video platforms put a summary of the meeting above the participants); ``utf16``:
    UTF-16 with a byte-order mark is text too.
    """
    if not raw.strip():
        raise UnreadableCsv(str(_l("Berkas kosong.")))
    if len(raw) > max_bytes:
        raise UnreadableCsv(
            str(
                _l(
                    "Berkas terlalu besar: %(size)d KB, batasnya %(limit)d KB.",
                    size=len(raw) // 1024,
                    limit=max_bytes // 1024,
                )
            )
        )
    text = _decode(raw, utf16=utf16)
    if text is None or "\x00" in text:
        raise UnreadableCsv(str(_l("Berkas bukan CSV teks UTF-8.")))
    lines = text.split("\n", max_preamble + 1 if is_header else 1)[: max_preamble + 1]
    # With a preamble, the header is the widest of the first lines ("1. Summary" is not).
    first = max(lines[:-1] or lines, key=lambda line: max(map(line.count, ",;\t")))
    delimiter = guess_delimiter(first if is_header else lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        for _skipped in range(max_preamble if is_header is not None else 0):
            if is_header is None or is_header(header):
                break
            header = next(reader)
    except (csv.Error, StopIteration):
        raise UnreadableCsv(str(_l("Baris judul kolom tidak terbaca."))) from None
    if is_header is not None and not is_header(header):
        raise UnreadableCsv(str(_l("Baris judul kolom tidak terbaca.")))
    return header, reader


def guess_delimiter(header: str) -> str:
    """The separator of the header row: whichever of ``,`` ``;`` and tab it has most of.

    Not ``csv.Sniffer``: its quote-guessing regular expression takes quadratic time, and a
    96 KB first line of ``,'a`` kept the server busy for 35 s (2 MB: hours). Column titles
    never contain a separator, so counting them is all the guess needs.
    """
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _header_map(header: list[str]) -> tuple[dict[int, str], list[str]]:
    lookup = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for index, title in enumerate(header):
        key = title.strip().lower().replace(" ", "_")
        if key in lookup:
            mapping[index] = lookup[key]
        elif key:
            unknown.append(title.strip())
    return mapping, unknown


def _organization_lookup() -> dict[str, int]:
    """Name or short name → id, compared as the directory compares names ("ÉMAUS" = "Émaus")."""
    rows = db.session.execute(
        select(Organization.id, Organization.name_key, Organization.short_name)
    )
    lookup: dict[str, int] = {}
    for org_id, key, short_name in rows:
        lookup[key] = org_id
        if short_name:
            lookup.setdefault(name_key(short_name), org_id)
    return lookup


def parse_people_csv(
    raw: bytes, *, max_bytes: int, max_rows: int
) -> tuple[ImportReport, list[dict[str, Any]]]:
    """Check the file; returns the report and the cleaned rows (empty when anything failed)."""
    report = ImportReport()
    try:
        header, reader = open_csv(raw, max_bytes=max_bytes)
    except UnreadableCsv as refused:
        report.file_errors.append(str(refused))
        return report, []
    mapping, unknown = _header_map(header)
    missing = [name for name in REQUIRED_HEADERS if name not in mapping.values()]
    if missing or unknown:
        if missing:
            report.file_errors.append(
                str(
                    _l(
                        "Kolom wajib tidak ada: %(cols)s.",
                        cols=", ".join(HEADERS[m][0] for m in missing),
                    )
                )
            )
        if unknown:
            shown = [title[:40] for title in unknown[:MAX_UNKNOWN_SHOWN]]
            if len(unknown) > MAX_UNKNOWN_SHOWN:
                shown.append("…")
            report.file_errors.append(
                str(
                    _l(
                        "Kolom tidak dikenal: %(cols)s. Kolom yang dikenal: %(known)s.",
                        cols=", ".join(shown),
                        known=", ".join(TEMPLATE_HEADER),
                    )
                )
            )
        return report, []

    organizations = _organization_lookup()
    existing_emails = {
        email.lower(): person_id
        for person_id, email in db.session.execute(
            select(Person.id, Person.email).where(Person.email.is_not(None))
        )
    }
    seen_emails: dict[str, int] = {}
    cleaned: list[dict[str, Any]] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in values):
                continue
            report.rows += 1
            if report.rows > max_rows:
                report.file_errors.append(
                    str(_l("Terlalu banyak baris; paling banyak %(n)d per impor.", n=max_rows))
                )
                return report, []
            if len(values) != len(header):
                report.row_errors.append(
                    RowError(
                        line,
                        {
                            "row": [
                                str(
                                    _l(
                                        "Jumlah kolom %(got)d, seharusnya %(want)d.",
                                        got=len(values),
                                        want=len(header),
                                    )
                                )
                            ]
                        },
                    )
                )
                continue
            row = {mapping[i]: value for i, value in enumerate(values) if i in mapping}
            errors: dict[str, list[str]] = {}
            org_name = (row.pop("organization", "") or "").strip()
            if org_name:
                org_id = organizations.get(name_key(org_name))
                if org_id is None:
                    errors["organization"] = [
                        str(_l('Organisasi "%(name)s" tidak ada di direktori.', name=org_name))
                    ]
                row["organization_id"] = org_id
            try:
                person = clean_person(row)
            except ValidationError as exc:
                for name, messages in exc.errors.items():
                    errors.setdefault(name, []).extend(str(m) for m in messages)
                person = {}
            email = person.get("email")
            if email:
                if email in existing_emails:
                    errors.setdefault("email", []).append(
                        str(
                            _l(
                                "Email sudah terdaftar di direktori (orang id %(id)d).",
                                id=existing_emails[email],
                            )
                        )
                    )
                elif email in seen_emails:
                    errors.setdefault("email", []).append(
                        str(_l("Email sama dengan baris %(line)d.", line=seen_emails[email]))
                    )
                else:
                    seen_emails[email] = line
            if errors:
                report.row_errors.append(RowError(line, errors))
            else:
                cleaned.append(person)
    except csv.Error as exc:
        report.file_errors.append(
            str(_l("CSV rusak di baris %(line)d: %(error)s", line=reader.line_num, error=str(exc)))
        )
        return report, []
    if report.rows == 0:
        report.file_errors.append(str(_l("Tidak ada baris data.")))
    return report, cleaned if report.ok else []


def import_people(actor: User | None, raw: bytes, *, max_bytes: int, max_rows: int) -> ImportReport:
    """Create every person in the file in one transaction, or none of them."""
    require_editor(actor)
    report, rows = parse_people_csv(raw, max_bytes=max_bytes, max_rows=max_rows)
    if not report.ok:
        raise CsvImportError(report)
    for values in rows:
        db.session.add(Person(**values))
    db.session.flush()
    report.created = len(rows)
    audit.record(actor, "import", Person(), f"people: imported {len(rows)} from CSV")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("Data bentrok dengan data lain; muat ulang lalu coba lagi.")) from None
    return report
