"""Guidance assignments (Satu OPD Satu Desa Binaan): which agency guides which village,
for which period, by which decree.

An assignment belongs to the institution whose staff made it (its Bappeda keeps the
decree); every read is scoped to the reader's institutions and another's answers 404.
Rules, checked here so that the pages and the API refuse the same input the same way:

- the agency is an organization that is not itself a village; each village is an
  organization of level ``village``;
- the period runs forwards (``ends_on`` on or after ``starts_on``; open = still running);
- a village has at most one agency at a time **within one institution**: an overlapping
  assignment of the same village is refused, whether to another agency or to the same one
  (a renewal starts the day after the old period ends). Two institutions (a province and
  a regency) may each assign the same village: their decrees are independent.

Reading needs ``MEETING_VIEW``; changing needs ``MEETING_ARRANGE`` (admin or secretariat of
the owning institution), as for the meetings the assignments are evaluated in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from meetcoord.access import scope
from meetcoord.access.institutions import acting_institution
from meetcoord.access.permissions import Permission, require, visible
from meetcoord.core import audit
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.pagination import Page, paginate
from meetcoord.directory.models import Organization, OrgLevel
from meetcoord.extensions import db
from meetcoord.planning.models import GuidanceAssignment

MAX_VILLAGES = 200  # one decree's list; a district has a few hundred villages at most
REQUIRED = _l("Wajib diisi.")


@dataclass(frozen=True)
class AssignmentQuery:
    village_id: int | None = None
    organization_id: int | None = None
    institution_id: int | None = None
    active_on: date | None = None
    page: int = 1
    per_page: int = 25


def running_on(day: date) -> Any:
    """SQL: the assignment runs on ``day``."""
    return (GuidanceAssignment.starts_on <= day) & (
        GuidanceAssignment.ends_on.is_(None) | (GuidanceAssignment.ends_on >= day)
    )


def scoped(user: Any) -> Select[Any]:
    stmt = select(GuidanceAssignment)
    if (mine := scope.owned_by_reach(user, GuidanceAssignment)) is not None:
        stmt = stmt.where(mine)
    return stmt


def list_assignments(user: Any, query: AssignmentQuery) -> Page[GuidanceAssignment]:
    """The assignments of the reader's institutions, newest period first."""
    stmt = scoped(user)
    for column, value in (
        (GuidanceAssignment.village_id, query.village_id),
        (GuidanceAssignment.organization_id, query.organization_id),
        (GuidanceAssignment.institution_id, query.institution_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if query.active_on is not None:
        stmt = stmt.where(running_on(query.active_on))
    stmt = stmt.options(
        selectinload(GuidanceAssignment.organization), selectinload(GuidanceAssignment.village)
    ).order_by(GuidanceAssignment.starts_on.desc(), GuidanceAssignment.id.desc())
    return paginate(stmt, query.page, query.per_page)


def get_assignment(user: Any, assignment_id: int) -> GuidanceAssignment:
    """One assignment of the reader's institutions; another's is not found."""
    return visible(user, db.session.get(GuidanceAssignment, assignment_id))


def _org(org_id: Any, field: str, *, village: bool) -> Organization:
    found = db.session.get(Organization, org_id) if isinstance(org_id, int) else None
    if found is None:
        message = _l("Desa tidak ditemukan.") if village else _l("Instansi tidak ditemukan.")
        raise ValidationError(message, errors={field: [message]})
    if village and found.level is not OrgLevel.VILLAGE:
        message = _l("%(name)s bukan desa.", name=found.name)
        raise ValidationError(message, errors={field: [message]})
    if not village and found.level is OrgLevel.VILLAGE:
        message = _l("Desa tidak dapat menjadi instansi pembina.")
        raise ValidationError(message, errors={field: [message]})
    return found


def _period(data: dict[str, Any]) -> tuple[date, date | None, str, date]:
    errors: dict[str, list[Any]] = {}
    for name in ("starts_on", "decree_date"):
        if not isinstance(data.get(name), date):
            errors[name] = [REQUIRED]
    number = str(data.get("decree_number") or "").strip()
    if not number:
        errors["decree_number"] = [REQUIRED]
    elif len(number) > 100:
        errors["decree_number"] = [_l("Paling banyak 100 karakter.")]
    ends_on = data.get("ends_on")
    if not errors and ends_on is not None and ends_on < data["starts_on"]:
        errors["ends_on"] = [_l("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    if errors:
        raise ValidationError(_l("Periksa kembali isian penugasan."), errors=errors)
    return data["starts_on"], ends_on, number, data["decree_date"]


def _overlap(
    institution_id: int, village: Organization, starts: date, ends: date | None, skip: int | None
) -> None:
    """Refuse a period that overlaps another assignment of the village in the institution."""
    far = date.max
    stmt = select(GuidanceAssignment).where(
        GuidanceAssignment.institution_id == institution_id,
        GuidanceAssignment.village_id == village.id,
        GuidanceAssignment.starts_on <= (ends or far),
        or_(GuidanceAssignment.ends_on.is_(None), GuidanceAssignment.ends_on >= starts),
    )
    if skip is not None:
        stmt = stmt.where(GuidanceAssignment.id != skip)
    clash = db.session.scalars(stmt.limit(1)).first()
    if clash is not None:
        message = _l(
            "%(village)s sudah dibina %(agency)s sejak %(start)s (SK %(decree)s); "
            "akhiri penugasan itu dulu atau pilih periode lain.",
            village=village.name,
            agency=clash.organization.name,
            start=clash.starts_on.isoformat(),
            decree=clash.decree_number,
        )
        raise ValidationError(message, errors={"village_ids": [message]})


def assign(user: Any, data: dict[str, Any]) -> list[GuidanceAssignment]:
    """Assign one agency to one or more villages for a period, from one decree."""
    institution = acting_institution(user, data.get("institution_id"))
    require(user, Permission.MEETING_ARRANGE, institution_probe(institution.id))
    agency = _org(data.get("organization_id"), "organization_id", village=False)
    starts, ends, number, decree_date = _period(data)
    ids = list(dict.fromkeys(data.get("village_ids") or []))
    if not ids:
        raise ValidationError(
            REQUIRED, errors={"village_ids": [_l("Pilih paling sedikit satu desa.")]}
        )
    if len(ids) > MAX_VILLAGES:
        message = _l("Paling banyak %(n)d desa per penugasan.", n=MAX_VILLAGES)
        raise ValidationError(message, errors={"village_ids": [message]})
    # Every village is checked before anything is written: one clash refuses the decree.
    chosen = [_org(village_id, "village_ids", village=True) for village_id in ids]
    for village in chosen:
        _overlap(institution.id, village, starts, ends, None)
    made: list[GuidanceAssignment] = []
    for village in chosen:
        row = GuidanceAssignment(
            institution_id=institution.id,
            organization_id=agency.id,
            village_id=village.id,
            starts_on=starts,
            ends_on=ends,
            decree_number=number,
            decree_date=decree_date,
        )
        db.session.add(row)
        db.session.flush()
        audit.record(
            user,
            "create",
            row,
            f"guidance: {agency.name} → {village.name} from {starts} (SK {number})",
            {"organization_id": agency.id, "village_id": village.id},
        )
        made.append(row)
    db.session.commit()
    return made


def institution_probe(institution_id: int) -> GuidanceAssignment:
    """An unsaved assignment owned by ``institution_id``: what the permission table asks
    about when there is no row yet."""
    return GuidanceAssignment(institution_id=institution_id)


def update(user: Any, row: GuidanceAssignment, data: dict[str, Any]) -> GuidanceAssignment:
    """Correct one assignment (agency, village, period, decree); same rules as creating."""
    require(user, Permission.MEETING_ARRANGE, row)
    merged = {
        "organization_id": row.organization_id,
        "village_id": row.village_id,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "decree_number": row.decree_number,
        "decree_date": row.decree_date,
        **data,
    }
    agency = _org(merged["organization_id"], "organization_id", village=False)
    village = _org(merged["village_id"], "village_id", village=True)
    starts, ends, number, decree_date = _period(merged)
    _overlap(row.institution_id, village, starts, ends, row.id)
    before = {
        "organization_id": row.organization_id,
        "village_id": row.village_id,
        "starts_on": str(row.starts_on),
        "ends_on": str(row.ends_on),
    }
    row.organization_id, row.village_id = agency.id, village.id
    row.starts_on, row.ends_on, row.decree_number, row.decree_date = (
        starts,
        ends,
        number,
        decree_date,
    )
    audit.record(user, "update", row, f"guidance {row.id}: corrected", {"before": before})
    db.session.commit()
    return row


def end(user: Any, row: GuidanceAssignment, ends_on: date | None) -> GuidanceAssignment:
    """End an assignment on ``ends_on`` (kept in the history, never deleted)."""
    require(user, Permission.MEETING_ARRANGE, row)
    if not isinstance(ends_on, date):
        raise ValidationError(REQUIRED, errors={"ends_on": [REQUIRED]})
    if ends_on < row.starts_on:
        message = _l("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        raise ValidationError(message, errors={"ends_on": [message]})
    previous = row.ends_on
    row.ends_on = ends_on
    audit.record(
        user,
        "end",
        row,
        f"guidance {row.id}: ended on {ends_on}",
        {"ends_on": [str(previous) if previous else None, str(ends_on)]},
    )
    db.session.commit()
    return row


def delete(user: Any, row: GuidanceAssignment) -> None:
    """Remove an assignment entered by mistake (ending keeps history; this does not)."""
    require(user, Permission.MEETING_ARRANGE, row)
    audit.record(
        user,
        "delete",
        row,
        f"guidance {row.id}: deleted ({row.organization.name} → {row.village.name}, "
        f"SK {row.decree_number})",
    )
    db.session.delete(row)
    db.session.commit()


def require_found(row: GuidanceAssignment | None) -> GuidanceAssignment:
    if row is None:
        raise NotFound(scope.NOT_FOUND)
    return row
