"""What the API remembers between requests: the first answer to an ``Idempotency-Key``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meetcoord.core.db import utcnow
from meetcoord.extensions import db


class IdempotencyKey(db.Model):
    """One client key of one actor: the request it came with and, once done, the answer.

    ``status`` is empty while the first request is still running (a second one is a 409).
    The request is kept as hashes only: ``actor`` names an account (``user:<id>``) or, for
    a request without an account, a hash of its personal path and address, so no bearer
    secret or personal link is stored in clear.
    """

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (
        UniqueConstraint("actor", "key"),
        Index("ix_api_idempotency_keys_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(10))
    path_sha256: Mapped[str] = mapped_column(String(64))
    body_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
