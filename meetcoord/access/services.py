"""Keeping the institutions and who works for them: installation administrators only.

Each service takes the acting user (None: the installation itself — the CLI and the demo
loader), validates, writes with an audit record, commits and returns. A letterhead is
checked when it is saved, not when the first letter is rendered: a logo the renderer
cannot read, or a letter-number pattern that cannot number letters, is refused here with
the field it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from meetcoord.access import permissions, scope
from meetcoord.access.models import Institution, MemberRole, Membership
from meetcoord.access.permissions import Permission
from meetcoord.core import audit
from meetcoord.core.cleaning import Collector, name_key
from meetcoord.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from meetcoord.core.letter_numbers import validate_letter_pattern
from meetcoord.core.pagination import LIKE_ESCAPE, ListQuery, Page, like_pattern, paginate
from meetcoord.core.settings import ConfigError, logo_file
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.accounts.models import User

ADMINS_ONLY = _l("Hanya administrator yang boleh mengatur penyelenggara.")
BAD_LOGO = _l("Logo harus berkas PNG atau JPEG di server, paling besar 4096 piksel per sisi.")
NAME_TAKEN = _l("Nama penyelenggara sudah dipakai.")
ALREADY_MEMBER = _l("Akun ini sudah anggota penyelenggara ini.")
NO_SUCH_USER = _l("Akun tidak ditemukan.")
IN_USE = _l("Penyelenggara ini masih memiliki rapat, forum atau dokumen; tidak dapat dihapus.")


def require_admin(actor: User | None) -> None:
    """Installation administrators only. ``None`` is the installation itself (the
    migration, ``meetcoord demo load``), as everywhere in the services."""
    if actor is not None and not permissions.allowed(actor, Permission.ADMIN):
        raise PermissionDenied(ADMINS_ONLY)


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("Data bentrok dengan data lain; muat ulang lalu coba lagi.")) from None
    scope.forget_reach()  # a membership may have changed: reach is read again


# --- institutions ------------------------------------------------------------------------


def list_institutions(actor: User | None, query: ListQuery) -> Page[Institution]:
    require_admin(actor)
    # Member counts are shown per row: loaded for the whole page in one query.
    stmt: Select[Any] = select(Institution).options(selectinload(Institution.memberships))
    if query.q.strip():
        pattern = like_pattern(query.q)
        stmt = stmt.where(
            Institution.name.ilike(pattern, escape=LIKE_ESCAPE)
            | Institution.short_name.ilike(pattern, escape=LIKE_ESCAPE)
        )
    return paginate(stmt.order_by(Institution.name, Institution.id), query.page, query.per_page)


def get_institution(institution_id: int) -> Institution:
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        raise NotFound(_l("Penyelenggara tidak ditemukan."))
    return institution


def clean_institution(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Column values of an institution, or every field's problem at once."""
    c = Collector(data, partial=partial)
    c.text("name", 200, required=True)
    c.text("short_name", 60)
    c.text("address", 300)
    c.text("city", 120)
    c.text("logo_path", 500)
    c.text("mail_sender_name", 200)
    c.text("letter_number_pattern", 120, required=True)
    c.text("letter_signer_name", 200)
    c.text("letter_signer_position", 200)
    c.integer("organization_id", minimum=1)
    pattern = c.out.get("letter_number_pattern")
    if pattern:
        try:
            validate_letter_pattern(pattern)
        except ValidationError as exc:
            c.fail("letter_number_pattern", exc.message)
    logo = c.out.get("logo_path")
    if logo:
        try:
            logo_file("logo_path", logo)  # the same check as MEETCOORD_INSTITUTION_LOGO
        except ConfigError:
            c.fail("logo_path", BAD_LOGO)
    return c.done(_l("Data penyelenggara tidak valid."))


def _check_name(name: str | None, exclude: int | None) -> None:
    if name is None:
        return
    key = name_key(name)
    for other_id, other in db.session.execute(select(Institution.id, Institution.name)):
        if other_id != exclude and name_key(other) == key:
            raise Conflict(NAME_TAKEN, errors={"name": [NAME_TAKEN]}, extra={"id": other_id})


def _exists(table: str, row_id: int) -> bool:
    """A row of a feature's table, by the table alone: the directory and the accounts are
    features above this layer, so their models are not imported here."""
    rows = db.metadata.tables[table]
    return bool(
        db.session.execute(
            select(func.count()).select_from(rows).where(rows.c.id == row_id)
        ).scalar_one()
    )


def _check_organization(organization_id: int | None) -> None:
    if organization_id is None:
        return
    if not _exists("organizations", organization_id):
        message = _l("Tidak ada data dengan id ini.")
        raise ValidationError(_l("Rujukan tidak ditemukan."), errors={"organization_id": [message]})


def save_institution(
    actor: User | None, data: Mapping[str, Any], institution: Institution | None = None
) -> Institution:
    """Create an institution, or change the fields sent of an existing one."""
    require_admin(actor)
    values = clean_institution(data, partial=institution is not None)
    _check_name(values.get("name"), institution.id if institution else None)
    _check_organization(values.get("organization_id"))
    is_new = institution is None
    target = institution or Institution()
    changes = {
        key: [None if is_new else _plain(getattr(target, key)), _plain(value)]
        for key, value in values.items()
        if is_new or getattr(target, key) != value
    }
    for key, value in values.items():
        setattr(target, key, value)
    if is_new:
        db.session.add(target)
    db.session.flush()
    if changes:
        action = "create" if is_new else "update"
        audit.record(actor, action, target, f"institution: {target.name}", changes)
    _commit()
    return target


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, int | str) else str(value)


def delete_institution(actor: User | None, institution: Institution) -> None:
    """Only an institution that owns nothing yet (a typo, a test entry) can go."""
    require_admin(actor)
    for table in ("meetings", "meeting_series", "forums", "documents"):
        column = db.metadata.tables[table].c.institution_id
        cohost = db.metadata.tables[table].c.get("cohost_institution_id")
        condition = column == institution.id
        if cohost is not None:
            condition = condition | (cohost == institution.id)
        used = db.session.execute(
            select(func.count()).select_from(db.metadata.tables[table]).where(condition)
        ).scalar_one()
        if used:
            raise Conflict(IN_USE)
    audit.record(actor, "delete", institution, f"institution: {institution.name}")
    db.session.delete(institution)
    _commit()


# --- memberships -------------------------------------------------------------------------


def list_members(institution: Institution, page: int, per_page: int) -> Page[Membership]:
    stmt = select(Membership).where(Membership.institution_id == institution.id)
    return paginate(stmt.order_by(Membership.id), page, per_page)


def add_member(actor: User | None, institution: Institution, data: Mapping[str, Any]) -> Membership:
    """Give an account a role in an institution (an account may hold several)."""
    require_admin(actor)
    c = Collector(data)
    c.integer("user_id", minimum=1, required=True)
    c.choice("role", MemberRole, required=True)
    values = c.done(_l("Data keanggotaan tidak valid."))
    if not _exists("users", values["user_id"]):
        raise ValidationError(NO_SUCH_USER, errors={"user_id": [NO_SUCH_USER]})
    taken = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == values["user_id"],
            Membership.institution_id == institution.id,
        )
    )
    if taken is not None:
        raise Conflict(ALREADY_MEMBER, errors={"user_id": [ALREADY_MEMBER]}, extra={"id": taken})
    membership = Membership(institution_id=institution.id, **values)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        actor,
        "create",
        membership,
        f"membership: user #{values['user_id']} {values['role'].value} of {institution.name}",
    )
    _commit()
    return membership


def get_membership(institution: Institution, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.institution_id != institution.id:
        raise NotFound(_l("Keanggotaan tidak ditemukan."))
    return membership


def change_member_role(
    actor: User | None, membership: Membership, data: Mapping[str, Any]
) -> Membership:
    require_admin(actor)
    c = Collector(data)
    c.choice("role", MemberRole, required=True)
    role = c.done(_l("Data keanggotaan tidak valid."))["role"]
    if role is not membership.role:
        audit.record(
            actor,
            "update",
            membership,
            f"membership: user #{membership.user_id} of {membership.institution.name}",
            {"role": [membership.role.value, role.value]},
        )
        membership.role = role
    _commit()
    return membership


def remove_member(actor: User | None, membership: Membership) -> None:
    require_admin(actor)
    audit.record(
        actor,
        "delete",
        membership,
        f"membership: user #{membership.user_id} of {membership.institution.name}",
    )
    db.session.delete(membership)
    _commit()
