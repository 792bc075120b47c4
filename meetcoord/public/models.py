"""A publication: staff opened a meeting's, a series' or a forum's page to the public.

Off by default: a subject has no row until someone turns its page on. The page is found
by a random ``slug`` (never the subject's id, so pages cannot be enumerated); turning it
off keeps the row and its slug, so turning it on again restores the address a news item
may already link to.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meetcoord.core.db import str_enum
from meetcoord.extensions import db


class SubjectType(enum.StrEnum):
    MEETING = "meeting"
    SERIES = "series"
    FORUM = "forum"


def new_slug() -> str:
    """22 URL-safe characters (128 random bits): guessing one is hopeless."""
    return secrets.token_urlsafe(16)


class Publication(db.Model):
    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[SubjectType] = mapped_column(str_enum(SubjectType, 20))
    subject_id: Mapped[int]
    slug: Mapped[str] = mapped_column(String(32), unique=True, default=new_slug)
    enabled_at: Mapped[datetime | None]
    enabled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    disabled_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("subject_type", "subject_id"),)

    @property
    def is_enabled(self) -> bool:
        return self.enabled_at is not None and self.disabled_at is None
