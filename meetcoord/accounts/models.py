"""Staff accounts, their sign-ins and their API tokens.

Participants do not get accounts: they use personal links (DESIGN §6). Accounts are for the
secretariat, administrators and read-only viewers.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.accounts.passwords import hash_password, verify_password
from meetcoord.core.db import TimestampMixin, str_enum, utcnow
from meetcoord.extensions import db


class Role(enum.StrEnum):
    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    VIEWER = "viewer"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    locale: Mapped[str | None] = mapped_column(String(5))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    logins: Mapped[list[LoginSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # Not columns: the sign-in this object was loaded through in this request (set by
    # accounts.sessions), so that Flask-Login's cookies carry that sign-in's key.
    login_key = None  # type: str | None
    login_id = None  # type: int | None
    login_remember = False

    def get_id(self) -> str:
        """Flask-Login's id is the sign-in's secret key, not the account number.

        Session and remember-me cookies then name one sign-in that the server can end
        (logout, a new password, a new role): with the account number in them, a copied
        cookie would stay valid for as long as the account exists.
        """
        if self.login_key is None:
            raise RuntimeError("no sign-in: log in through accounts.services.sign_in")
        return self.login_key

    def __eq__(self, other: object) -> bool:
        # UserMixin compares get_id(), which is per sign-in: the same account is the same.
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    __hash__ = UserMixin.__hash__

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_active_account

    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]  # None: until revoked

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())

    def is_usable(self, now: datetime | None = None) -> bool:
        """Neither revoked nor expired (the account's own state is checked apart)."""
        return not self.is_revoked and not self.is_expired(now)

    @property
    def state(self) -> str:
        """For lists: ``active``, ``expired`` or ``revoked``."""
        if self.is_revoked:
            return "revoked"
        return "expired" if self.is_expired() else "active"


class LoginSession(db.Model):
    """One sign-in of an account: what its session and remember-me cookies point at.

    Kept on the server so that a sign-in can end before its cookies do: logging out ends
    this one (a copy of the cookie taken earlier stops working too), and a new password,
    a new role or a deactivated account end all of the account's sign-ins. Only the key's
    hash is stored; the key itself lives in the signed cookies.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)  # "remember me" was ticked
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship(back_populates="logins")
