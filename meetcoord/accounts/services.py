"""Account operations: creating users, checking passwords, issuing and checking tokens."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from meetcoord.accounts.models import ApiToken, Role, User
from meetcoord.core import audit
from meetcoord.core.cleaning import clean_line
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError, field_errors
from meetcoord.core.tokens import hash_token, new_token
from meetcoord.core.validation import normalise_email
from meetcoord.extensions import db

MIN_PASSWORD_LENGTH = 10
LAST_USED_GRANULARITY = timedelta(minutes=1)
TOKEN_PREFIX = "mc_"  # noqa: S105 - a public marker in front of the secret, not a secret


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    actor: User | None, *, email: str, name: str, password: str, role: Role | str
) -> User:
    """Create an account; ``actor`` None means the installation itself (the CLI)."""
    if actor is not None and not actor.is_admin():
        raise PermissionDenied(_l("Hanya administrator yang boleh melakukan ini."))
    errors: dict[str, list[object]] = {}
    try:
        email = normalise_email(email)
    except ValidationError as exc:
        errors.update(exc.errors)
    name = clean_line(str(name or ""))
    if not name:
        errors.setdefault("name", []).append(_l("Nama wajib diisi."))
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.setdefault("password", []).append(
            _l("Kata sandi minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH)
        )
    try:
        role = Role(role)
    except ValueError:
        errors.setdefault("role", []).append(_l("Peran tidak dikenal."))
    if errors:
        raise ValidationError(_l("Data akun tidak valid."), errors=errors)
    if find_by_email(email):
        raise Conflict(
            _l("Email sudah terdaftar."),
            errors=field_errors(email=_l("Email sudah dipakai akun lain.")),
        )
    user = User(email=email, name=name, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "create", user, f"user {email} ({user.role.value})")
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user when email and password match an active account, else None."""
    user = find_by_email(email)
    if user is None or not user.is_active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def create_token(actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token; the secret is returned once and only its hash is kept."""
    if not name.strip():
        raise ValidationError(
            _l("Nama token wajib diisi."),
            errors=field_errors(name=_l("Wajib diisi.")),
        )
    secret = new_token(TOKEN_PREFIX)
    token = ApiToken(
        user=user, name=name.strip()[:100], token_hash=hash_token(secret), prefix=secret[:10]
    )
    db.session.add(token)
    db.session.flush()
    audit.record(actor, "create", token, f"api token {token.prefix}… for {user.email}")
    db.session.commit()
    return token, secret


@cache
def _token_with_user() -> Select[tuple[ApiToken]]:
    """Built once: building the select and its joinedload on every API request cost more
    than running it (SQLAlchemy caches the compiled form, not the construct). Built on
    first use, not at import: ``joinedload`` configures every mapper, and at import time
    some models (defined in modules imported later) do not exist yet.
    """
    return (
        select(ApiToken)
        .where(ApiToken.token_hash == bindparam("token_hash"))
        .options(joinedload(ApiToken.user))
    )


def user_for_token(secret: str) -> User | None:
    """The active user behind a bearer token, recording when it was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(_token_with_user(), {"token_hash": hash_token(secret)})
    if token is None or token.is_revoked or not token.user.is_active:
        return None
    # "Last used" is for people reviewing their tokens, to the minute: writing it on every
    # request made each API call a write transaction (a desk scanning 60 people a minute
    # paid a commit per scan just for this), and the commit expired the user it returns.
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        token.last_used_at = now
        user = token.user
        db.session.commit()
        db.session.refresh(user)  # one query, instead of reloading on every attribute
        return user
    return token.user


def revoke_token(actor: User | None, token: ApiToken) -> None:
    token.revoked_at = utcnow()
    audit.record(actor, "revoke", token, f"api token {token.prefix}…")
    db.session.commit()
