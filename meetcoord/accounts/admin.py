"""Account administration and the audit trail, for administrators only.

Kept apart from ``services`` (which the login path and the CLI use) because everything
here needs an admin actor, and because of one rule that matters more than the others:
the service never leaves the installation without an active administrator.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from meetcoord.access.models import Membership
from meetcoord.accounts import sessions
from meetcoord.accounts.models import Role, User
from meetcoord.accounts.services import check_new_password, require_admin, revoke_all_tokens
from meetcoord.core import audit
from meetcoord.core.audit import AuditEntry
from meetcoord.core.cleaning import clean_line
from meetcoord.core.errors import Conflict, NotFound, ValidationError, field_errors
from meetcoord.core.pagination import LIKE_ESCAPE, ListQuery, Page, like_pattern, paginate
from meetcoord.extensions import db

USER_SORTS = {
    "name": User.name,
    "email": User.email,
    "role": User.role,
    "last_login_at": User.last_login_at,
}


def list_users(actor: User, query: ListQuery) -> Page[User]:
    require_admin(actor)
    stmt = select(User)
    if query.q.strip():
        pattern = like_pattern(query.q)
        stmt = stmt.where(
            or_(
                User.name.ilike(pattern, escape=LIKE_ESCAPE),
                User.email.ilike(pattern, escape=LIKE_ESCAPE),
            )
        )
    filters = query.filters or {}
    role = filters.get("role")
    if role:
        stmt = stmt.where(User.role == Role(role))
    if filters.get("institution_id") is not None:
        members = select(Membership.user_id).where(
            Membership.institution_id == filters["institution_id"]
        )
        stmt = stmt.where(User.id.in_(members))
    if filters.get("active") is not None:
        stmt = stmt.where(User.is_active_account.is_(bool(filters["active"])))
    column = USER_SORTS.get(query.sort, User.name)
    stmt = stmt.order_by(
        (column.desc() if query.descending else column.asc()).nulls_last(), User.id
    )
    return paginate(stmt, query.page, query.per_page)


def get_user(actor: User, user_id: int) -> User:
    """An account, for an administrator (the only ones who administer accounts)."""
    require_admin(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("Akun tidak ditemukan."))
    return user


def _active_admins_other_than(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN, User.is_active_account.is_(True), User.id != user.id)
        )
        or 0
    )


def update_user(actor: User, user: User, data: Mapping[str, Any]) -> User:
    """Change name, role or active state; never remove the last active administrator."""
    require_admin(actor)
    errors: dict[str, list[Any]] = {}
    changes: dict[str, Any] = {}
    if "name" in data:
        name = clean_line(str(data["name"] or ""))
        if not name:
            errors["name"] = [_l("Wajib diisi.")]
        elif len(name) > 200:
            errors["name"] = [_l("Paling banyak %(n)d karakter.", n=200)]
        else:
            changes["name"] = name
    if "role" in data:
        try:
            changes["role"] = Role(data["role"])
        except ValueError:
            errors["role"] = [_l("Peran tidak dikenal.")]
    if "is_active_account" in data:
        changes["is_active_account"] = bool(data["is_active_account"])
    if errors:
        raise ValidationError(_l("Data akun tidak valid."), errors=errors)
    stays_admin = changes.get("role", user.role) is Role.ADMIN and changes.get(
        "is_active_account", user.is_active_account
    )
    if user.role is Role.ADMIN and not stays_admin and _active_admins_other_than(user) == 0:
        raise Conflict(
            _l("Harus ada paling sedikit satu administrator aktif."),
            errors=field_errors(role=_l("Ini administrator aktif terakhir.")),
        )
    diff = {
        key: [str(getattr(user, key)), str(value)]
        for key, value in changes.items()
        if getattr(user, key) != value
    }
    for key, value in changes.items():
        setattr(user, key, value)
    summary = f"user {user.email}"
    if diff.keys() & {"role", "is_active_account"}:
        # What a sign-in may do was decided at sign-in: a new role, or an account
        # switched off (and perhaps on again later), starts from a fresh sign-in.
        summary += f"; {sessions.end_all(user)} sign-ins ended"
    if diff:
        audit.record(actor, "update", user, summary, diff)
    db.session.commit()
    return user


def reset_password(actor: User, user: User, password: str) -> User:
    """Set a new password for someone; all their sign-ins end and their API tokens die.

    A reset is what happens when an account is lost or taken over: whoever holds a
    cookie or a token made with the old password must lose it.
    """
    require_admin(actor)
    check_new_password(password)
    user.set_password(password)
    ended = sessions.end_all(user)  # the actor's own too, when it is their account
    revoked = revoke_all_tokens(user)
    audit.record(
        actor,
        "reset_password",
        user,
        f"user {user.email}: password reset; {ended} sign-ins ended, {revoked} API tokens revoked",
    )
    db.session.commit()
    return user


def end_sign_ins(actor: User, user: User) -> int:
    """Sign ``user`` out everywhere (a lost laptop)."""
    require_admin(actor)
    ended = sessions.end_all(user)
    audit.record(actor, "end_sessions", user, f"user {user.email}: {ended} sign-ins ended")
    db.session.commit()
    return ended


def list_audit(actor: User, query: ListQuery) -> Page[AuditEntry]:
    """Newest first (oldest with ``oldest_first``); filter by what was touched, how, by
    whom and when (``since`` ≤ at < ``before``), search the summary."""
    require_admin(actor)
    stmt = select(AuditEntry)
    filters = query.filters or {}
    if filters.get("entity_type"):
        stmt = stmt.where(AuditEntry.entity_type == filters["entity_type"])
    if filters.get("actor_id"):
        stmt = stmt.where(AuditEntry.actor_id == filters["actor_id"])
    # Filters only the API offers so far (the page has the two above and the search).
    if filters.get("entity_id") is not None:
        stmt = stmt.where(AuditEntry.entity_id == filters["entity_id"])
    if filters.get("action"):
        stmt = stmt.where(AuditEntry.action == filters["action"])
    if filters.get("since") is not None:
        stmt = stmt.where(AuditEntry.at >= filters["since"])
    if filters.get("before") is not None:
        stmt = stmt.where(AuditEntry.at < filters["before"])
    if query.q.strip():
        stmt = stmt.where(AuditEntry.summary.ilike(like_pattern(query.q), escape=LIKE_ESCAPE))
    if filters.get("oldest_first"):
        stmt = stmt.order_by(AuditEntry.at.asc(), AuditEntry.id.asc())
    else:
        stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return paginate(stmt, query.page, query.per_page)


def audit_entity_types() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.entity_type).distinct().order_by(AuditEntry.entity_type)
        )
    )
