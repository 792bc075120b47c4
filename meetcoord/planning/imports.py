"""Importing proposals from a spreadsheet (or JSON rows): checked whole, written whole.

The steps: :func:`read_upload` bounds the file and reads it in the sandbox into a
:class:`Table`; :func:`keep`/:func:`kept` hold that table between the upload and the
mapping page (a small JSON file under the instance folder, named by a random token and
bound to the account); :func:`check` applies a mapping and reports every row's problems
and every likely duplicate; :func:`run` writes all rows in one transaction and one bulk
insert, or nothing: any problem, or a flagged duplicate without the user's choice, stops it.

On the page the same file is checked at "check" and again at "import". The row check
(cleaning 5,000 rows against the village directory) is the costly part and depends only
on the kept file, the mapping and the region, so its clean rows are kept beside the upload
(:func:`remember`) and reused while those are unchanged. What the database can change in
between is checked again at import, in the import's transaction: the villages still
exist, the proposal numbers are still free, and the duplicates against stored proposals.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from meetcoord.access.institutions import acting_institution
from meetcoord.access.models import Institution
from meetcoord.core import audit, sandbox
from meetcoord.core.cleaning import name_key
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, ServiceError, ValidationError
from meetcoord.directory.models import Organization, OrgLevel
from meetcoord.extensions import db
from meetcoord.planning import sheets
from meetcoord.planning.duplicates import Candidate, Match, find_duplicates
from meetcoord.planning.importing import TARGETS, Problem, check_rows, suggest_mapping
from meetcoord.planning.models import (
    FundSource,
    Proposal,
    ProposalField,
    ProposalStatus,
    ProposerKind,
)
from meetcoord.planning.proposals import village_lookup

MAX_CELL = 2000
KEEP_SECONDS = 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
REFUSED = _l("Impor dibatalkan; tidak ada usulan yang disimpan.")
SKIP, IMPORT = "skip", "import"


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]


@dataclass
class Checked:
    """A mapping applied: the clean rows, or the problems; the likely duplicates."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[Match] = field(default_factory=list)


def limits() -> dict[str, int]:
    config = current_app.config
    return {
        "max_bytes": int(config.get("PROPOSAL_IMPORT_MAX_BYTES", 5 * 1024 * 1024)),
        "max_rows": int(config.get("PROPOSAL_IMPORT_MAX_ROWS", 20_000)),
        "max_cell": MAX_CELL,
    }


def read_upload(raw: bytes) -> Table:
    """The upload's sheet, bounded before anything parses it; refusals name the bound."""
    bounds = limits()
    if not raw.strip():
        raise ValidationError(_l("Berkas kosong."), errors={"file": [_l("Berkas kosong.")]})
    if len(raw) > bounds["max_bytes"]:
        message = _l(
            "Berkas terlalu besar: %(size)d KB, batasnya %(limit)d KB.",
            size=len(raw) // 1024,
            limit=bounds["max_bytes"] // 1024,
        )
        raise TooLarge(message, errors={"file": [message]})
    params = {"max_rows": bounds["max_rows"], "max_cell": bounds["max_cell"]}
    try:
        plain = sandbox.run(sheets.read_table, raw, params)
    except sandbox.SandboxError as exc:
        raise ValidationError(exc.message, errors={"file": [exc.message]}) from None
    if not isinstance(plain, dict):
        raise sandbox.Unreadable("malformed table")
    if "refused" in plain:
        message = _refusal(plain)
        raise ValidationError(message, errors={"file": [message]})
    headers, rows = plain.get("headers"), plain.get("rows")
    if not isinstance(headers, list) or not isinstance(rows, list):
        raise sandbox.Unreadable("malformed table")
    return Table([str(h) for h in headers], rows)


def _refusal(plain: dict[str, Any]) -> Any:
    reason = plain["refused"]
    if reason == "rows":
        return _l("Berkas lebih dari %(n)d baris; bagi menjadi beberapa berkas.", n=plain["limit"])
    if reason == "cell":
        return _l(
            "Baris %(line)d: isi sel lebih dari %(n)d karakter.",
            line=plain["line"],
            n=plain["limit"],
        )
    if reason == "columns":
        return _l("Baris %(line)d: lebih dari %(n)d kolom.", line=plain["line"], n=plain["limit"])
    if reason == "encoding":
        return _l("Berkas CSV harus teks UTF-8.")
    if reason == "empty":
        return _l("Berkas kosong.")
    return _l("Berkas tidak dapat dibaca sebagai CSV atau XLSX.")


# --- the table between the upload and the mapping page --------------------------------


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "proposal-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(user: Any, institution_id: int, table: Table) -> str:
    """Hold ``table`` for the next steps; the token names it (the account must match)."""
    token = secrets.token_urlsafe(18)
    body = {"user_id": user.id, "institution_id": institution_id, "at": time.time()}
    body |= {"headers": table.headers, "rows": table.rows}
    (_folder() / f"{token}.json").write_text(json.dumps(body), encoding="utf-8")
    for old in _folder().glob("*.json"):  # tidy what was left behind
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return token


def kept(user: Any, token: str) -> tuple[int, Table]:
    # Only the shape ``keep`` makes (24 URL-safe characters): a long or odd token never
    # reaches the file system, where a name over 255 bytes raises instead of "not found".
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise NotFound(_l("Unggahan ini sudah tidak ada; unggah berkasnya lagi."))
    path = _folder() / f"{token}.json"
    if not path.is_file():
        raise NotFound(_l("Unggahan ini sudah tidak ada; unggah berkasnya lagi."))
    body = json.loads(path.read_text(encoding="utf-8"))
    if body["user_id"] != user.id or body["at"] < time.time() - KEEP_SECONDS:
        raise NotFound(_l("Unggahan ini sudah tidak ada; unggah berkasnya lagi."))
    return int(body["institution_id"]), Table(body["headers"], body["rows"])


def forget(token: str) -> None:
    (_folder() / f"{token}.json").unlink(missing_ok=True)
    (_folder() / f"{token}.checked.json").unlink(missing_ok=True)


_TYPES: dict[str, Any] = {
    "field": ProposalField,
    "fund_source": FundSource,
    "proposer_kind": ProposerKind,
    "priority_score": Decimal,
}


def _stamp(institution_id: int, mapping: dict[str, Any], region: str) -> str:
    return json.dumps([institution_id, sorted(mapping.items()), region])


def remember(token: str, stamp: str, rows: list[dict[str, Any]]) -> None:
    """Keep a passed row check beside the upload, for the import step to reuse."""
    encoded = [
        {
            k: (v.value if isinstance(v, Enum) else str(v) if isinstance(v, Decimal) else v)
            for k, v in row.items()
        }
        for row in rows
    ]
    body = json.dumps({"stamp": stamp, "rows": encoded})
    (_folder() / f"{token}.checked.json").write_text(body, encoding="utf-8")


def recalled(token: str | None, stamp: str) -> list[dict[str, Any]] | None:
    """The clean rows of an earlier check of the same file, mapping and region, or None."""
    if not token or not _TOKEN.fullmatch(token):
        return None
    path = _folder() / f"{token}.checked.json"
    if not path.is_file():
        return None
    body = json.loads(path.read_text(encoding="utf-8"))
    if body.get("stamp") != stamp:
        return None
    return [
        {k: _TYPES[k](v) if k in _TYPES and v is not None else v for k, v in row.items()}
        for row in body["rows"]
    ]


def start(user: Any, raw: bytes, institution_id: int | None) -> str:
    """Step 1: whose import, the file read within its bounds, kept; the token for step 2."""
    institution = acting_institution(user, institution_id)
    return keep(user, institution.id, read_upload(raw))


def preview(
    user: Any,
    institution_id: int,
    table: Table,
    mapping: dict[str, Any],
    region: str = "",
    token: str | None = None,
) -> Checked:
    """Step 2: the mapping applied, nothing written; a passed row check is kept."""
    institution = acting_institution(user, institution_id)
    return _checked(institution, table, mapping, region, 2, token)


def _checked(
    institution: Institution,
    table: Table,
    mapping: dict[str, Any],
    region: str,
    first_line: int,
    token: str | None,
) -> Checked:
    if token is None:
        return check(institution, table, mapping, region, first_line)
    stamp = _stamp(institution.id, mapping, region)
    clean = recalled(token, stamp)
    checked = check(institution, table, mapping, region, first_line, clean=clean)
    if clean is None and not checked.problems:
        remember(token, stamp, checked.rows)
    return checked


def prefill(table: Table) -> dict[str, int | None]:
    return suggest_mapping(table.headers)


# --- checking and writing -------------------------------------------------------------


def check(
    institution: Institution,
    table: Table,
    mapping: dict[str, Any],
    region: str = "",
    first_line: int = 2,
    *,
    clean: list[dict[str, Any]] | None = None,
) -> Checked:
    """Every row's problems (and the refs already used), else the likely duplicates.
    ``clean``: the rows of an earlier passed check of the same file and mapping; only
    what the database can have changed since is checked again."""
    if clean is not None and _villages_remain(clean):
        rows = clean
    else:
        lookup = village_lookup(region)
        rows, problems = check_rows(
            table.headers, table.rows, mapping, lookup, first_line=first_line
        )
        if problems:
            return Checked(problems=problems)
    problems = _ref_clashes(institution, rows, table, mapping)
    if problems:
        return Checked(problems=problems)
    years = {row["plan_year"] for row in rows}
    existing = db.session.execute(
        select(Proposal.id, Proposal.village_id, Proposal.plan_year, Proposal.title).where(
            Proposal.institution_id == institution.id,
            Proposal.plan_year.in_(sorted(years)),
            Proposal.status != ProposalStatus.MERGED,
        )
    )
    olds = [Candidate(r.id, r.village_id, r.plan_year, r.title) for r in existing]
    news = [
        Candidate(row["line"], row["village_id"], row["plan_year"], row["title"]) for row in rows
    ]
    return Checked(rows=rows, duplicates=find_duplicates(news, olds))


def _villages_remain(rows: list[dict[str, Any]]) -> bool:
    ids = {row["village_id"] for row in rows}
    found = db.session.scalars(
        select(Organization.id).where(
            Organization.id.in_(ids), Organization.level == OrgLevel.VILLAGE
        )
    )
    return set(found) == ids


def _ref_clashes(
    institution: Institution, rows: list[dict[str, Any]], table: Table, mapping: dict[str, Any]
) -> list[Problem]:
    refs = [row["external_ref"] for row in rows if row.get("external_ref")]
    if not refs:
        return []
    column = (
        table.headers[mapping["external_ref"]]
        if mapping.get("external_ref") is not None
        else "external_ref"
    )
    used = set(
        db.session.scalars(
            select(Proposal.external_ref).where(
                Proposal.institution_id == institution.id, Proposal.external_ref.in_(set(refs))
            )
        )
    )
    problems, seen = [], set()
    for row in rows:
        ref = row.get("external_ref")
        if ref and (ref in used or ref in seen):
            message = _l("Nomor usulan ini sudah ada (di data atau di baris sebelumnya).")
            problems.append(Problem(row["line"], column, ref, message))
        seen.add(ref)
    return problems


def refused(checked: Checked) -> ValidationError:
    """The problems as one refusal: a field map per row and the rows as a list."""
    errors: dict[str, list[Any]] = {}
    for p in checked.problems:
        errors.setdefault(f"row {p.line}.{p.column}" if p.line else p.column, []).append(p.message)
    extra = {"rows": [problem_plain(p) for p in checked.problems]}
    return ValidationError(REFUSED, errors=errors, extra=extra)


def problem_plain(p: Problem) -> dict[str, Any]:
    return {"line": p.line, "column": p.column, "value": p.value, "message": str(p.message)}


def match_plain(m: Match) -> dict[str, Any]:
    return {"line": m.key, "existing_id" if m.existing else "like_line": m.other, "score": m.score}


def run(
    user: Any,
    institution_id: int | None,
    table: Table,
    mapping: dict[str, Any],
    decisions: dict[int, str],
    region: str = "",
    *,
    default: str | None = None,
    first_line: int = 2,
    token: str | None = None,
) -> tuple[int, int]:
    """Import every row, or none; (created, skipped). A flagged duplicate needs a decision
    (skip or import); without one the import stops with the list of them. ``token``: the
    kept upload, whose passed row check is reused."""
    institution = acting_institution(user, institution_id)
    checked = _checked(institution, table, mapping, region, first_line, token)
    if checked.problems:
        raise refused(checked)
    if default in (SKIP, IMPORT):
        decisions = {int(m.key): default for m in checked.duplicates} | decisions
    undecided = [m for m in checked.duplicates if decisions.get(int(m.key)) not in (SKIP, IMPORT)]
    if undecided:
        message = _l("Ada usulan yang mirip usulan lain; pilih lewati atau tetap impor.")
        raise Conflict(message, extra={"duplicates": [match_plain(m) for m in undecided]})
    skipped = {int(m.key) for m in checked.duplicates if decisions.get(int(m.key)) == SKIP}
    now = utcnow()
    values = [
        {
            "institution_id": institution.id,
            "title_key": name_key(row["title"])[:400],
            "status": ProposalStatus.SUBMITTED,
            "created_by_id": user.id,
            "created_at": now,
            "updated_at": now,
            **{k: v for k, v in row.items() if k != "line"},
        }
        for row in checked.rows
        if row["line"] not in skipped
    ]
    if values:
        db.session.execute(insert(Proposal.__table__), values)  # Core: no ORM bookkeeping
    audit.record(
        user,
        "proposal.import",
        institution,
        f"{len(values)} usulan diimpor, {len(skipped)} dilewati",
        {"count": len(values), "skipped": len(skipped)},
    )
    db.session.commit()
    return len(values), len(skipped)


def table_from_rows(rows: list[Any]) -> Table:
    """JSON rows (objects keyed by target field) as a table with one column per target;
    a row that is no object, or names a field that does not exist, is refused by number."""
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(Problem(number, "row", "", _l("Baris harus berupa objek JSON.")))
            continue
        for key, value in row.items():
            if key not in TARGETS:
                problems.append(Problem(number, str(key)[:60], "", _l("Kolom tidak dikenal.")))
            elif not isinstance(value, str | int | float | type(None)) or isinstance(value, bool):
                message = _l("Isi harus teks atau angka.")
                problems.append(Problem(number, key, "", message))
    if problems:
        raise refused(Checked(problems=problems))
    return Table(list(TARGETS), [[row.get(t) for t in TARGETS] for row in rows])


def identity_mapping() -> dict[str, int | None]:
    return {target: index for index, target in enumerate(TARGETS)}


def mapping_by_headers(table: Table, given: dict[str, Any] | None) -> dict[str, int | None]:
    """An API client's mapping (target → column title or 0-based index) as indexes; what
    it leaves out is suggested from the titles. An unknown title maps to -1 (refused)."""
    mapping = suggest_mapping(table.headers)
    for target, column in (given or {}).items():
        if target not in TARGETS:
            continue
        if column is None or column == "":
            mapping[target] = None
        elif isinstance(column, int) and not isinstance(column, bool):
            mapping[target] = column
        else:
            folded = [name_key(h) for h in table.headers]
            key = name_key(str(column))
            mapping[target] = folded.index(key) if key in folded else -1
    return mapping


def import_rows(
    user: Any,
    institution_id: int | None,
    rows: list[Any],
    decisions: dict[int, str],
    region: str = "",
    *,
    default: str | None = None,
) -> tuple[int, int]:
    """The API's JSON rows (numbered from 1), all or nothing."""
    table = table_from_rows(rows)
    mapping = identity_mapping()
    return run(
        user, institution_id, table, mapping, decisions, region, default=default, first_line=1
    )


def import_upload(
    user: Any,
    institution_id: int | None,
    raw: bytes,
    given_mapping: dict[str, Any],
    decisions: dict[int, str],
    region: str = "",
    *,
    default: str | None = None,
) -> tuple[int, int]:
    """An uploaded sheet in one call: bounded, read in the sandbox, mapped, imported."""
    acting_institution(user, institution_id)  # refuse a stranger before reading the file
    table = read_upload(raw)
    mapping = mapping_by_headers(table, given_mapping)
    return run(user, institution_id, table, mapping, decisions, region, default=default)
