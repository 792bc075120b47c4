"""Audit trail: who changed what in the directory and, later, in meetings.

Services call :func:`record` inside their own transaction, so an entry exists exactly when
the change it describes was committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import utcnow
from meetcoord.extensions import db


class Actor(Protocol):
    """Whoever acted: a row of ``users`` (``accounts.User``), named here only by its id,
    since core knows no feature package (DESIGN §3)."""

    id: int


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(String(300))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    # The target by name (``accounts.User``), resolved when every model is registered.
    actor: Mapped[Any] = relationship("User", lazy="joined")


def record(
    actor: Actor | None,
    action: str,
    entity: Any,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the current session; the caller commits."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=type(entity).__tablename__,
        entity_id=getattr(entity, "id", None),
        summary=summary[:300],
        changes=changes,
    )
    db.session.add(entry)
    return entry
