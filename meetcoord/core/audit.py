"""Audit trail: who changed what in the directory and, later, in meetings.

Services call :func:`record` inside their own transaction, so an entry exists exactly when
the change it describes was committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import JSON, ForeignKey, String, func, select
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


def recent_count(action: str, entity: Any, within: timedelta) -> int:
    """How often ``action`` was recorded on ``entity`` in the last ``within``.

    The audit trail is already the record of who asked for what, so a paced action (a
    personal link or an invitation mailed again) counts its own entries instead of keeping
    a second counter that could disagree with it.
    """
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == action,
                AuditEntry.entity_type == type(entity).__tablename__,
                AuditEntry.entity_id == entity.id,
                AuditEntry.at >= utcnow() - within,
            )
        )
        or 0
    )
