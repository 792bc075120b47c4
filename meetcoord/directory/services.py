"""Directory operations. Each takes the acting user, validates, writes, audits, commits.

Views and the API call these and nothing else, so the rules (unique names, existing
references, no cycles in the organization tree, refusal to delete what is still used) hold
whichever door the change comes through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from meetcoord.access import permissions, scope
from meetcoord.access.institutions import acting_institution
from meetcoord.access.permissions import Permission
from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.cleaning import name_key
from meetcoord.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from meetcoord.core.names import before_period
from meetcoord.core.pagination import LIKE_ESCAPE, ListQuery, Page, like_pattern, paginate
from meetcoord.core.references import describe_references, find_references
from meetcoord.directory.cleaning import (
    clean_forum,
    clean_organization,
    clean_person,
    clean_venue,
)
from meetcoord.directory.listing import FILTERS, SEARCH, SORTS, Derived
from meetcoord.directory.mailing import queue_address_changed
from meetcoord.directory.models import (
    NAME_KEY_LENGTH,
    Forum,
    ForumMember,
    ForumRole,
    Organization,
    Person,
    Venue,
)
from meetcoord.extensions import db

M = TypeVar("M", Organization, Person, Forum, Venue)
N = TypeVar("N", Organization, Forum, Venue)


def require_editor(actor: User | None, owned: Forum | ForumMember | None = None) -> None:
    """Who may edit the directory: written down once.

    Organizations, people and venues are shared by every institution of the installation:
    any secretariat or administrator edits them (an agency's new head is news to all).
    A forum is its institution's: only that institution's working staff change it or its
    members (``owned``), and to anyone else it is not found.
    """
    if actor is None:
        raise PermissionDenied(permissions.refusal(Permission.DIRECTORY_EDIT))
    permissions.require(actor, Permission.DIRECTORY_EDIT, owned)


# What every list row shows of its neighbours, loaded in one query per page rather than
# one per row (a page of 200 people would otherwise ask for their organizations 200 times).
EAGER: dict[type, tuple[Any, ...]] = {
    Organization: (selectinload(Organization.parent),),
    Person: (selectinload(Person.organization).selectinload(Organization.parent),),
    Forum: (selectinload(Forum.members), selectinload(Forum.organization)),
    Venue: (selectinload(Venue.organization),),
}


# Directory rows an institution owns; every other kind is shared by the installation.
OWNED: tuple[type, ...] = (Forum, ForumMember)


def list_records(model: type[M], query: ListQuery, actor: User | None) -> Page[M]:
    stmt: Select[Any] = select(model).options(*EAGER[model])
    if model in OWNED and (mine := scope.owned_by_reach(actor, model)) is not None:
        stmt = stmt.where(mine)
    if query.q.strip():
        pattern = like_pattern(query.q)
        stmt = stmt.where(
            or_(*(column.ilike(pattern, escape=LIKE_ESCAPE) for column in SEARCH[model]))
        )
    for key, value in (query.filters or {}).items():
        column = FILTERS[model].get(key)
        if isinstance(column, Derived) and value not in (None, ""):
            stmt = stmt.where(column.condition(value))
        elif column is not None and value not in (None, ""):
            stmt = stmt.where(column == value)
    column = SORTS[model].get(query.sort, SORTS[model]["name"])
    order = column.desc() if query.descending else column.asc()
    stmt = stmt.order_by(order.nulls_last(), model.id)
    return paginate(stmt, query.page, query.per_page)


def get_record(model: type[M], record_id: int, actor: User | None) -> M:
    """A directory row; an owned one (a forum) only when ``actor`` may see it."""
    obj = db.session.get(model, record_id)
    if obj is None or (model in OWNED and not scope.may_see(actor, obj)):
        raise NotFound(_l("Data tidak ditemukan."))
    return obj


def _require_existing(model: type, record_id: int | None, field: str) -> None:
    if record_id is not None and db.session.get(model, record_id) is None:
        raise ValidationError(
            _l("Rujukan tidak ditemukan."), errors={field: [_l("Tidak ada data dengan id ini.")]}
        )


def _require_unique(model: type, column: Any, value: Any, field: str, exclude: int | None) -> None:
    if value is None:
        return
    stmt = select(model.id).where(func.lower(column) == str(value).lower())
    if exclude is not None:
        stmt = stmt.where(model.id != exclude)
    existing = db.session.scalar(stmt)
    if existing is not None:  # its id (and the API's Location) lets a client open it
        raise Conflict(
            _l("Data dengan nilai yang sama sudah ada."),
            errors={field: [_l("Sudah dipakai oleh data lain.")]},
            extra={"existing_id": existing},
        )


def _require_unique_name(model: type[N], name: str | None, exclude: int | None) -> None:
    """Refuse a name another row has, as :func:`name_key` compares them: the 409 names
    the existing row (its id in the problem body, its name beside the form field), so the
    secretariat can open it instead of creating a second "Émaus"."""
    if name is None:
        return
    key = name_key(name)
    if len(key) > NAME_KEY_LENGTH:
        raise ValidationError(
            _l("Nama terlalu panjang."),
            errors={"name": [_l("Paling banyak %(n)d karakter.", n=200)]},
        )
    stmt = select(model).where(model.name_key == key)
    if exclude is not None:
        stmt = stmt.where(model.id != exclude)
    existing = db.session.scalar(stmt)
    if existing is not None:
        raise Conflict(
            _l(
                "Nama ini sudah dipakai oleh %(name)s (id %(id)d).",
                name=existing.name,
                id=existing.id,
            ),
            errors={
                "name": [_l("Sudah dipakai oleh %(name)s.", name=before_period(existing.name))]
            },
            extra={"existing_id": existing.id},
        )


def _diff(obj: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    changes = {}
    for key, value in values.items():
        old = getattr(obj, key)
        if old != value:
            changes[key] = [_jsonable(old), _jsonable(value)]
    return changes


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _commit(obj: Any) -> None:
    """Commit, turning a lost race on a unique column into the same Conflict as the check."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("Data bentrok dengan data lain; muat ulang lalu coba lagi.")) from None


def _save(actor: User | None, obj: M, values: Mapping[str, Any], label: str) -> M:
    is_new = obj.id is None
    changes = _diff(obj, values) if not is_new else {k: _jsonable(v) for k, v in values.items()}
    for key, value in values.items():
        setattr(obj, key, value)
    if is_new:
        db.session.add(obj)
    try:
        db.session.flush()
    except IntegrityError:  # a duplicate saved since the check: the same answer as the check
        db.session.rollback()
        raise Conflict(_l("Data bentrok dengan data lain; muat ulang lalu coba lagi.")) from None
    if is_new or changes:
        audit.record(actor, "create" if is_new else "update", obj, f"{label}: {obj}", changes)
    _commit(obj)
    return obj


# --- organizations ----------------------------------------------------------------------


def _check_parent(org: Organization | None, parent_id: int | None) -> None:
    if parent_id is None:
        return
    _require_existing(Organization, parent_id, "parent_id")
    if org is None or org.id is None:
        return
    current: Organization | None = db.session.get(Organization, parent_id)
    while current is not None:
        if current.id == org.id:
            raise ValidationError(
                _l("Induk organisasi membentuk lingkaran."),
                errors={"parent_id": [_l("Organisasi tidak bisa menjadi induk dirinya sendiri.")]},
            )
        current = current.parent


def save_organization(
    actor: User | None, data: Mapping[str, Any], org: Organization | None = None
) -> Organization:
    require_editor(actor)
    values = clean_organization(data, partial=org is not None)
    _check_parent(org, values.get("parent_id"))
    _require_unique_name(Organization, values.get("name"), org.id if org else None)
    return _save(actor, org or Organization(), values, "organization")


# --- people -----------------------------------------------------------------------------


def save_person(
    actor: User | None, data: Mapping[str, Any], person: Person | None = None
) -> Person:
    require_editor(actor)
    values = clean_person(data, partial=person is not None)
    _require_existing(Organization, values.get("organization_id"), "organization_id")
    _require_unique(
        Person, Person.email, values.get("email"), "email", person.id if person else None
    )
    changed = person is not None and "email" in values and values["email"] != person.email
    if changed and person is not None and person.email:  # the old address hears of it
        by = actor.name if actor is not None else "administrator sistem"
        queue_address_changed(person, person.email, values["email"], by)
    return _save(actor, person or Person(), values, "person")


# --- forums -----------------------------------------------------------------------------


def save_forum(actor: User | None, data: Mapping[str, Any], forum: Forum | None = None) -> Forum:
    require_editor(actor, forum)
    values = clean_forum(data, partial=forum is not None)
    chosen = values.pop("institution_id", None)
    if forum is None or (chosen is not None and chosen != forum.institution_id):
        # A new forum is its secretariat's institution's; moving it needs the actor to
        # work for the new one as well.
        values["institution_id"] = acting_institution(actor, chosen).id
    _require_existing(Organization, values.get("organization_id"), "organization_id")
    _require_unique_name(Forum, values.get("name"), forum.id if forum else None)
    return _save(actor, forum or Forum(), values, "forum")


def add_forum_member(
    actor: User | None, forum: Forum, person_id: int, role: ForumRole | str = ForumRole.MEMBER
) -> ForumMember:
    require_editor(actor, forum)
    try:
        role = ForumRole(role)
    except ValueError:
        raise ValidationError(
            _l("Peran anggota tidak dikenal."), errors={"role": [_l("Peran tidak dikenal.")]}
        ) from None
    _require_existing(Person, person_id, "person_id")
    existing = db.session.scalar(
        select(ForumMember).where(
            ForumMember.forum_id == forum.id, ForumMember.person_id == person_id
        )
    )
    if existing is not None:
        raise Conflict(
            _l("Orang ini sudah menjadi anggota forum."),
            errors={"person_id": [_l("Sudah menjadi anggota.")]},
        )
    member = ForumMember(forum=forum, person_id=person_id, role=role)
    db.session.add(member)
    db.session.flush()
    audit.record(actor, "add_member", forum, f"forum {forum}: member {member.person} ({role})")
    _commit(member)
    return member


def remove_forum_member(actor: User | None, member: ForumMember) -> None:
    require_editor(actor, member.forum)
    forum = member.forum
    audit.record(actor, "remove_member", forum, f"forum {forum}: removed {member.person}")
    db.session.delete(member)
    _commit(member)


# --- venues -----------------------------------------------------------------------------


def save_venue(actor: User | None, data: Mapping[str, Any], venue: Venue | None = None) -> Venue:
    require_editor(actor)
    values = clean_venue(data, partial=venue is not None)
    _require_existing(Organization, values.get("organization_id"), "organization_id")
    _require_unique_name(Venue, values.get("name"), venue.id if venue else None)
    return _save(actor, venue or Venue(), values, "venue")


# --- deleting ---------------------------------------------------------------------------


def delete_record(actor: User | None, obj: Organization | Person | Forum | Venue) -> None:
    """Delete a directory row, or refuse with a message naming what still refers to it."""
    require_editor(actor, obj if isinstance(obj, Forum) else None)
    references = find_references(obj)
    if references:
        raise Conflict(
            _l(
                "Tidak dapat dihapus karena masih dirujuk oleh: %(refs)s.",
                refs=describe_references(references),
            ),
            errors={"references": [describe_references(references)]},
        )
    audit.record(actor, "delete", obj, f"{obj.__tablename__}: {obj}")
    db.session.delete(obj)
    _commit(obj)
