"""Sign-ins kept on the server, so that they can end before their cookies do.

Flask's session is a signed cookie: the server keeps nothing, so a copy of it (a shared
office computer, a stolen cookie) stays valid whatever its owner does, and so does the
remember-me cookie, which Flask-Login signs once and never dates. Each sign-in is
therefore a :class:`LoginSession` row, and the cookies carry its random key (the
``User.get_id()`` Flask-Login stores). A request whose key has no row is signed out.

- Logging out deletes this sign-in's row: this browser's cookies, and any copy of them,
  stop working; the person's other devices (a console running a meeting) stay signed in.
- A new password, a reset, a new role or a deactivated account delete all of the
  account's rows (:func:`end_all`), in the same transaction as the change itself.
- A row lives ``REMEMBER_COOKIE_DURATION`` when "remember me" was ticked, otherwise
  ``PERMANENT_SESSION_LIFETIME`` (a working day): the server, not the cookie, says when.

Chosen over a per-account counter folded into the id (which needs no table) because
logging out must not also sign the same person out of the projector laptop that runs
the live room, and because a remember-me cookie then has a server-side end.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Select, bindparam, delete, func, select

from meetcoord.accounts.models import LoginSession, User
from meetcoord.core.db import utcnow
from meetcoord.core.tokens import hash_token, new_token
from meetcoord.extensions import db


def _lifetime(remember: bool) -> timedelta:
    if remember:
        return current_app.config["REMEMBER_COOKIE_DURATION"]
    seconds = current_app.config["PERMANENT_SESSION_LIFETIME"]
    return seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)


def start(user: User, *, remember: bool) -> str:
    """Add a sign-in for ``user`` (the caller commits) and return its key.

    The key is also put on ``user`` so that ``login_user`` stores it in the cookies.
    The account's expired sign-ins are cleared on the way.
    """
    now = utcnow()
    db.session.execute(
        delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.expires_at <= now)
    )
    key = new_token(nbytes=32)
    login = LoginSession(
        user=user, key_hash=hash_token(key), remember=remember, expires_at=now + _lifetime(remember)
    )
    db.session.add(login)
    db.session.flush()
    user.login_key, user.login_id, user.login_remember = key, login.id, remember
    return key


@cache
def _login_with_user() -> Select[tuple[LoginSession, User]]:
    """Built once (see ``services._token_with_user``): this runs on every page."""
    return (
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(
            LoginSession.key_hash == bindparam("key_hash"),
            LoginSession.expires_at > bindparam("now"),
            User.is_active_account.is_(True),
        )
    )


def user_for_key(key: str) -> User | None:
    """The active account behind a cookie's sign-in key, or None (signed out)."""
    if not key or len(key) > 100:
        return None
    row = db.session.execute(
        _login_with_user(), {"key_hash": hash_token(key), "now": utcnow()}
    ).first()
    if row is None:
        return None
    login, user = row
    user.login_key, user.login_id, user.login_remember = key, login.id, login.remember
    return user


def is_live(login_id: int, user_id: int) -> bool:
    """Whether sign-in ``login_id`` of ``user_id`` still stands (a live-room connection)."""
    found = db.session.scalar(
        select(LoginSession.id).where(
            LoginSession.id == login_id,
            LoginSession.user_id == user_id,
            LoginSession.expires_at > utcnow(),
        )
    )
    return found is not None


def end(user: User) -> None:
    """End the sign-in ``user`` was loaded through (logging out); the caller commits."""
    if user.login_id is not None:
        db.session.execute(delete(LoginSession).where(LoginSession.id == user.login_id))
    user.login_key = user.login_id = None


def end_all(user: User) -> int:
    """End every sign-in of ``user``; the caller commits. Returns how many ended."""
    result = db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.login_key = user.login_id = None
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def renew(user: User) -> int:
    """End every sign-in of ``user`` and give the one it was loaded through a new key.

    After a password change the person stays signed in here, with new cookies; every
    other sign-in ends, and so does any copy of this browser's old cookies. Returns how
    many sign-ins ended besides this one.
    """
    remember = user.login_remember
    ended = end_all(user)
    start(user, remember=remember)
    return max(ended - 1, 0)


def count_live(user: User) -> int:
    """How many sign-ins of ``user`` still stand (the administrator's account page)."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(LoginSession)
            .where(LoginSession.user_id == user.id, LoginSession.expires_at > utcnow())
        )
        or 0
    )
