"""Account operations: creating users, signing in, passwords, issuing and checking tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.orm import joinedload

from meetcoord.access import permissions
from meetcoord.access.institutions import (
    join_only_institution,
    member_role_for,
    require_existing,
)
from meetcoord.access.models import Membership
from meetcoord.access.permissions import Permission
from meetcoord.accounts import sessions, throttle
from meetcoord.accounts.models import ApiToken, Role, User
from meetcoord.accounts.passwords import dummy_hash, password_problems, verify_password
from meetcoord.core import audit
from meetcoord.core.cleaning import clean_line
from meetcoord.core.db import utcnow
from meetcoord.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
    field_errors,
)
from meetcoord.core.pagination import Page, paginate
from meetcoord.core.tokens import hash_token, new_token
from meetcoord.core.validation import normalise_email, parse_int
from meetcoord.extensions import db

LAST_USED_GRANULARITY = timedelta(minutes=1)
TOKEN_PREFIX = "mc_"  # noqa: S105 - a public marker in front of the secret, not a secret
MAX_TOKEN_DAYS = 3650


def require_admin(actor: User | None) -> None:
    if actor is None or not permissions.allowed(actor, Permission.ADMIN):
        raise PermissionDenied(permissions.refusal(Permission.ADMIN))


def find_by_email(email: str) -> User | None:
    return db.session.scalar(
        select(User).where(func.lower(User.email) == throttle.account_key(email))
    )


def check_new_password(password: str) -> None:
    """Refuse a password that :func:`passwords.password_problems` finds fault with."""
    problems = password_problems(password)
    if problems:
        raise ValidationError(_l("Data akun tidak valid."), errors={"password": list(problems)})


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    password: str,
    role: Role | str,
    institution_id: int | None = None,
) -> User:
    """Create an account; ``actor`` None means the installation itself (the CLI).

    The account joins ``institution_id`` with its own role when given (the API), else
    the installation's only institution when there is just one (``join_only_institution``).
    """
    if actor is not None:
        require_admin(actor)
    errors: dict[str, list[object]] = {}
    institution = None
    try:
        institution = require_existing(institution_id, "institution_id")
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        email = normalise_email(email)
    except ValidationError as exc:
        errors.update(exc.errors)
    name = clean_line(str(name or ""))
    if not name:
        errors.setdefault("name", []).append(_l("Nama wajib diisi."))
    problems = password_problems(password)
    if problems:
        errors["password"] = list(problems)
    try:
        role = Role(role)
    except ValueError:
        errors.setdefault("role", []).append(_l("Peran tidak dikenal."))
    if errors:
        raise ValidationError(_l("Data akun tidak valid."), errors=errors)
    existing = find_by_email(email)
    if existing is not None:
        raise Conflict(
            _l("Email sudah terdaftar."),
            errors=field_errors(email=_l("Email sudah dipakai akun lain.")),
            extra={"existing_id": existing.id},
        )
    user = User(email=email, name=name, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    if institution is None:
        join_only_institution(user)
    else:
        db.session.add(
            Membership(
                user_id=user.id,
                institution_id=institution.id,
                role=member_role_for(user.role.value),
            )
        )
    audit.record(actor, "create", user, f"user {email} ({user.role.value})")
    db.session.commit()
    return user


def _verified(email: str, password: str) -> User | None:
    """The active account whose password this is, else None.

    Exactly one password hash is checked whatever the answer: the account's, or a dummy
    made the same way when no active account has this address, so that the time taken
    does not tell which addresses have accounts.
    """
    user = find_by_email(email)
    if user is None or not user.is_active:
        verify_password(dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user when email and password match an active account, else None."""
    user = _verified(email, password)
    if user is not None:
        db.session.commit()
    return user


def sign_in(email: str, password: str, *, remember: bool) -> User | None:
    """Check the password and open a sign-in (``sessions``); None when it does not match.

    Raises ``throttle.LoginLocked`` when this account has had too many failed attempts:
    then no password is checked at all, the right one included.
    """
    throttle.check(email)
    user = _verified(email, password)
    if user is None:
        throttle.failed(email)
        return None
    sessions.start(user, remember=remember)
    db.session.commit()
    return user


def sign_out(user: User) -> None:
    """End the sign-in ``user`` came with (its cookies, and any copy of them)."""
    sessions.end(user)
    db.session.commit()


def change_password(user: User, current: str, new: str, confirm: str) -> User:
    """A signed-in person sets a new password for their own account.

    Their other sign-ins and their API tokens end (whoever else held them must not keep
    the access the old password gave); this sign-in goes on under a new key
    (``sessions.renew``: the caller puts it in the cookies with ``login_user``). A wrong
    current password counts as a failed sign-in of the account (``throttle``).
    """
    throttle.check(user.email)  # a stolen session must not become a password oracle
    errors: dict[str, list[object]] = {}
    if not verify_password(user.password_hash, current):
        throttle.failed(user.email)
        errors["current_password"] = [_l("Kata sandi saat ini salah.")]
    problems = password_problems(new)
    if problems:
        errors["new_password"] = list(problems)
    elif new != confirm:
        errors["confirm_password"] = [_l("Ulangi kata sandi baru yang sama persis.")]
    elif new == current:
        errors["new_password"] = [_l("Kata sandi baru harus berbeda dari yang lama.")]
    if errors:
        raise ValidationError(_l("Kata sandi tidak diganti."), errors=errors)
    user.set_password(new)
    ended = sessions.renew(user)
    revoked = revoke_all_tokens(user)
    audit.record(
        user,
        "change_password",
        user,
        f"user {user.email}: password changed; {ended} other sign-ins ended, "
        f"{revoked} API tokens revoked",
    )
    db.session.commit()
    return user


# --- API tokens -------------------------------------------------------------------------


def max_token_days() -> int:
    """The longest a token may be issued for (``MEETCOORD_API_TOKEN_MAX_DAYS``)."""
    return int(current_app.config.get("API_TOKEN_MAX_DAYS", MAX_TOKEN_DAYS))


def default_token_days() -> int:
    """A token issued without ``days``, by any door (never longer than the max)."""
    return min(int(current_app.config.get("API_TOKEN_DEFAULT_DAYS", 90)), max_token_days())


def _token_days(raw: int | str | None) -> int:
    """``days`` as a form, the CLI or the API gives it; empty means the default window.

    Every credential has a time window: a token left to run "until revoked" outlives the
    integration it was made for, so none is issued without an expiry (issue 17).
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default_token_days()
    days = parse_int(raw, minimum=1, maximum=max_token_days())
    if days is None or (isinstance(raw, str) and not raw.strip().isdigit()):
        raise ValueError(str(raw).strip())
    return days


def create_token(
    actor: User | None,
    user: User,
    name: str,
    *,
    days: int | str | None = None,
    not_after: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token valid ``days`` days (empty: :func:`default_token_days`); the secret is
    returned once and only its hash is kept.

    ``not_after``: the expiry of the credential the request came with (a token issued
    with a token), so that a new token never outlives the one that made it.
    """
    if actor is not None:
        require_admin(actor)
    errors: dict[str, list[object]] = {}
    if not name.strip():
        errors["name"] = [_l("Wajib diisi.")]
    valid_days = 0
    try:
        valid_days = _token_days(days)
    except ValueError:
        errors["days"] = [
            _l("Isi bilangan bulat %(low)d sampai %(high)d.", low=1, high=max_token_days())
        ]
    if errors:
        raise ValidationError(_l("Token tidak dibuat."), errors=errors)
    secret = new_token(TOKEN_PREFIX)
    expires_at = utcnow() + timedelta(days=valid_days)
    if not_after is not None and expires_at > not_after:
        expires_at = not_after
    token = ApiToken(
        user=user,
        name=name.strip()[:100],
        token_hash=hash_token(secret),
        prefix=secret[:10],
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    until = f", expires {expires_at:%Y-%m-%d %H:%M} UTC" if expires_at else ""
    audit.record(actor, "create", token, f"api token {token.prefix}… for {user.email}{until}")
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
    """The active user behind a usable bearer token, recording when it was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(_token_with_user(), {"token_hash": hash_token(secret)})
    now = utcnow()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    # "Last used" is for people reviewing their tokens, to the minute: writing it on every
    # request made each API call a write transaction (a desk scanning 60 people a minute
    # paid a commit per scan just for this), and the commit expired the user it returns.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        token.last_used_at = now
        user = token.user
        db.session.commit()
        db.session.refresh(user)  # one query, instead of reloading on every attribute
        return user
    return token.user


def token_id_for(secret: str) -> int | None:
    """The id of the API token ``secret`` (usable or not): a long-lived connection keeps
    it, to check at each command that the token still stands (:func:`still_signed_in`)."""
    return db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == hash_token(secret)))


def still_signed_in(user_id: int, *, token_id: int | None, login_id: int | None) -> User | None:
    """The account behind a long-lived connection, if what let it in still stands.

    The live room checks this before every command of a connection opened with a bearer
    token (``token_id``) or a sign-in's cookies (``login_id``): a revoked or expired token,
    an ended sign-in or a deactivated account stops acting at once.
    """
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    if token_id is not None:
        token = db.session.get(ApiToken, token_id)
        if token is None or token.user_id != user_id or not token.is_usable():
            return None
    if login_id is not None and not sessions.is_live(login_id, user_id):
        return None
    return user


def _tokens(actor: User, owner: User | None) -> Select[tuple[ApiToken]]:
    if owner is None or owner.id != actor.id:
        require_admin(actor)
    stmt = select(ApiToken).options(joinedload(ApiToken.user))
    if owner is not None:
        stmt = stmt.where(ApiToken.user_id == owner.id)
    return stmt.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())


def tokens_of(actor: User, owner: User | None) -> list[ApiToken]:
    """``owner``'s tokens (every account's when None, administrators only), newest first."""
    return list(db.session.scalars(_tokens(actor, owner)))


def token_page(actor: User, owner: User | None, page: int, per_page: int) -> Page[ApiToken]:
    """One page of :func:`tokens_of` (the API's list)."""
    return paginate(_tokens(actor, owner), page, per_page)


def bearer_expiry(secret: str) -> datetime | None:
    """When the bearer token ``secret`` expires (None: never, or not a token)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    return db.session.scalar(
        select(ApiToken.expires_at).where(ApiToken.token_hash == hash_token(secret))
    )


def token_for(actor: User, token_id: int) -> ApiToken:
    """A token the actor may see: their own, or any for an administrator."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not actor.is_admin()):
        raise NotFound(_l("Token tidak ditemukan."))
    return token


def revoke_token(actor: User | None, token: ApiToken) -> None:
    """Revoke one token (again is harmless: the first time stays on record)."""
    if actor is not None and token.user_id != actor.id:
        require_admin(actor)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, "revoke", token, f"api token {token.prefix}…")
    db.session.commit()


def revoke_all_tokens(user: User, now: datetime | None = None) -> int:
    """Revoke every live token of ``user``; the caller records and commits."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
