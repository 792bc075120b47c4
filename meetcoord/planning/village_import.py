"""Importing IDM values from a CSV file: every row checked, all or nothing.

The ministry publishes IDM as a spreadsheet per regency; a secretariat saves it as CSV
(``;`` from Indonesian Excel, ``,`` from LibreOffice). Columns (Indonesian or English
titles): the village by name (``desa``) or code (``kode``: the directory's short name,
where the Kemendagri code is kept), ``wilayah`` (optional: checked against the village's
region), ``tahun``, ``skor``, ``status`` (optional: computed from the score when absent;
when it contradicts the score the row is imported as given and flagged) and ``sumber``.

The file is bounded before it is read (the view's body limit, then size and row count
here). Any bad row stops the import and the report lists every row with its problems.
A value already recorded for the same village and year is replaced only when the upload
says so (``replace``), each replacement with an audit entry of both values.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_

from meetcoord.access.permissions import Permission, require
from meetcoord.core import audit
from meetcoord.core.cleaning import name_key
from meetcoord.core.db import utcnow
from meetcoord.directory.csvimport import (
    CsvImportError,
    ImportReport,
    RowError,
    UnreadableCsv,
    open_csv,
)
from meetcoord.directory.models import Organization, OrgLevel
from meetcoord.extensions import db
from meetcoord.planning import idm, labels
from meetcoord.planning.models import IdmStatus, VillageIndex
from meetcoord.planning.villages import MAX_YEAR, MIN_YEAR

HEADERS: dict[str, tuple[str, ...]] = {
    "village": ("desa", "nama_desa", "village", "village_name"),
    "code": ("kode", "kode_desa", "code", "village_code"),
    "region": ("wilayah", "kabupaten", "region"),
    "year": ("tahun", "year"),
    "score": ("skor", "nilai", "nilai_idm", "idm", "score"),
    "status": ("status", "status_idm"),
    "source": ("sumber", "source"),
}
TEMPLATE_HEADER = [names[0] for names in HEADERS.values() if names[0] != "kode"]


@dataclass
class IdmRow:
    line: int
    village_id: int
    village: str
    year: int
    score: Decimal
    status: IdmStatus
    source: str | None


@dataclass
class IdmImportReport(ImportReport):
    """The people import's report plus what is particular to IDM."""

    replaced: int = 0
    flagged: list[RowError] = field(default_factory=list)  # status contradicts the score
    existing: list[RowError] = field(default_factory=list)  # replaced (or to confirm)


def _villages() -> tuple[
    dict[str, tuple[int, str, str | None]], dict[str, tuple[int, str, str | None]]
]:
    by_name: dict[str, tuple[int, str, str | None]] = {}
    by_code: dict[str, tuple[int, str, str | None]] = {}
    rows = db.session.execute(
        select(
            Organization.id,
            Organization.name,
            Organization.name_key,
            Organization.short_name,
            Organization.region,
        ).where(Organization.level == OrgLevel.VILLAGE)
    )
    for r in rows:
        by_name[r.name_key] = (r.id, r.name, r.region)
        if r.short_name:
            by_code[name_key(r.short_name)] = (r.id, r.name, r.region)
    return by_name, by_code


def _header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    lookup = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for index, title in enumerate(header):
        key = title.strip().lower().replace(" ", "_")
        if key in lookup:
            mapping[index] = lookup[key]
        elif key:
            unknown.append(title.strip()[:40])
    return mapping, unknown


def _row(
    values: dict[str, str], line: int, villages: Any
) -> tuple[IdmRow | None, dict[str, list[str]], bool]:
    """One row: the cleaned value, its errors, and whether its status contradicts the score."""
    by_name, by_code = villages
    errors: dict[str, list[str]] = {}
    name = values.get("village", "").strip()
    code = values.get("code", "").strip()
    found = by_name.get(name_key(name)) if name else None
    if found is None and code:
        found = by_code.get(name_key(code))
    if not name and not code:
        errors["village"] = [str(_l("Nama atau kode desa wajib diisi."))]
    elif found is None:
        errors["village"] = [str(_l('Desa "%(name)s" tidak ada di direktori.', name=name or code))]
    region = values.get("region", "").strip()
    if found is not None and region and name_key(region) not in name_key(found[2] or ""):
        errors["region"] = [
            str(
                _l(
                    '%(village)s tercatat di wilayah "%(region)s".',
                    village=found[1],
                    region=found[2] or "—",
                )
            )
        ]
    raw_year = values.get("year", "").strip()
    year = int(raw_year) if raw_year.isdigit() else None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = [
            str(_l("Tahun harus antara %(low)d dan %(high)d.", low=MIN_YEAR, high=MAX_YEAR))
        ]
    score = idm.parse_score(values.get("score"))
    if score is None:
        errors["score"] = [str(_l("Nilai IDM harus berupa angka."))]
    elif not idm.in_range(score):
        errors["score"] = [str(_l("Nilai IDM harus antara 0 dan 1."))]
    given = values.get("status", "").strip()
    status = idm.parse_status(given) if given else None
    if given and status is None:
        errors["status"] = [str(_l("Status IDM tidak dikenal."))]
    source = values.get("source", "").strip()[:200] or None
    if errors or found is None or score is None or year is None:
        return None, errors, False
    final = status or idm.classify(score)
    return (
        IdmRow(line, found[0], found[1], year, score, final, source),
        {},
        idm.contradicts(final, score),
    )


def parse_idm_csv(
    raw: bytes, *, max_bytes: int, max_rows: int
) -> tuple[IdmImportReport, list[IdmRow]]:
    """Check the whole file; the rows are returned only when every one is clean."""
    report = IdmImportReport()
    try:
        header, reader = open_csv(raw, max_bytes=max_bytes)
    except UnreadableCsv as refused:
        report.file_errors.append(str(refused))
        return report, []
    mapping, unknown = _header(header)
    named = set(mapping.values())
    missing = [HEADERS[m][0] for m in ("year", "score") if m not in named]
    if not named & {"village", "code"}:
        missing.insert(0, "desa/kode")
    if missing:
        report.file_errors.append(
            str(_l("Kolom wajib tidak ada: %(cols)s.", cols=", ".join(missing)))
        )
    if unknown:
        report.file_errors.append(
            str(
                _l(
                    "Kolom tidak dikenal: %(cols)s. Kolom yang dikenal: %(known)s.",
                    cols=", ".join(unknown[:10]),
                    known=", ".join([*TEMPLATE_HEADER, "kode"]),
                )
            )
        )
    if report.file_errors:
        return report, []
    villages = _villages()
    cleaned: list[IdmRow] = []
    seen: dict[tuple[int, int], int] = {}
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
                message = _l(
                    "Jumlah kolom %(got)d, seharusnya %(want)d.", got=len(values), want=len(header)
                )
                report.row_errors.append(RowError(line, {"row": [str(message)]}))
                continue
            row, errors, flagged = _row(
                {mapping[i]: v for i, v in enumerate(values) if i in mapping}, line, villages
            )
            if row is not None:
                key = (row.village_id, row.year)
                if key in seen:
                    errors = {
                        "year": [
                            str(_l("Desa dan tahun sama dengan baris %(line)d.", line=seen[key]))
                        ]
                    }
                else:
                    seen[key] = line
            if errors:
                report.row_errors.append(RowError(line, errors))
                continue
            assert row is not None
            if flagged:
                report.flagged.append(
                    RowError(
                        line,
                        {
                            "status": [
                                str(
                                    _l(
                                        "Status %(given)s tidak sesuai skor %(score)s "
                                        "(menurut skor: %(computed)s).",
                                        given=labels.IDM_LABELS[row.status],
                                        score=row.score,
                                        computed=labels.IDM_LABELS[idm.classify(row.score)],
                                    )
                                )
                            ]
                        },
                    )
                )
            cleaned.append(row)
    except csv.Error as exc:
        report.file_errors.append(
            str(_l("CSV rusak di baris %(line)d: %(error)s", line=reader.line_num, error=str(exc)))
        )
        return report, []
    if report.rows == 0:
        report.file_errors.append(str(_l("Tidak ada baris data.")))
    return report, cleaned if report.ok else []


def import_idm(
    user: Any, raw: bytes, *, max_bytes: int, max_rows: int, replace: bool = False
) -> IdmImportReport:
    """Record every row in one transaction, or none; existing years only with ``replace``."""
    require(user, Permission.DIRECTORY_EDIT)
    report, rows = parse_idm_csv(raw, max_bytes=max_bytes, max_rows=max_rows)
    if not report.ok:
        raise CsvImportError(report)
    existing = (
        {
            (r.village_id, r.year): r
            for r in db.session.scalars(
                select(VillageIndex).where(
                    tuple_(VillageIndex.village_id, VillageIndex.year).in_(
                        [(r.village_id, r.year) for r in rows]
                    )
                )
            )
        }
        if rows
        else {}
    )
    for row in rows:
        if (row.village_id, row.year) in existing:
            old = existing[(row.village_id, row.year)]
            report.existing.append(
                RowError(
                    row.line,
                    {
                        "year": [
                            str(
                                _l(
                                    "%(village)s %(year)d sudah bernilai %(old)s; "
                                    "diganti dengan %(new)s.",
                                    village=row.village,
                                    year=row.year,
                                    old=old.score,
                                    new=row.score,
                                )
                            )
                        ]
                    },
                )
            )
    if report.existing and not replace:
        for entry in report.existing:
            entry.errors = {
                "year": [
                    str(
                        _l(
                            "Sudah ada nilai untuk desa dan tahun ini; "
                            "unggah ulang dengan konfirmasi penggantian."
                        )
                    )
                ]
            }
        report.row_errors, report.existing = report.existing, []
        raise CsvImportError(report)
    for row in rows:
        old = existing.get((row.village_id, row.year))
        if old is None:
            db.session.add(
                VillageIndex(
                    village_id=row.village_id,
                    year=row.year,
                    score=row.score,
                    status=row.status,
                    source=row.source,
                )
            )
            report.created += 1
            continue
        before = {"score": str(old.score), "status": old.status.value, "source": old.source}
        old.score, old.status, old.source, old.recorded_at = (
            row.score,
            row.status,
            row.source,
            utcnow(),
        )
        audit.record(
            user,
            "replace",
            old,
            f"idm: {row.village} {row.year} replaced {before['score']} → {row.score} (CSV)",
            {"before": before, "after": {"score": str(row.score), "status": row.status.value}},
        )
        report.replaced += 1
    db.session.flush()
    audit.record(
        user,
        "import",
        VillageIndex(),
        f"idm: imported {report.created}, replaced {report.replaced} from CSV",
    )
    db.session.commit()
    return report
