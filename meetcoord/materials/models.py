"""A material of an agenda item, and a speaker's personal upload link.

The file itself lives under ``<instance>/materials/<storage_key>`` (``storage``); the row
holds what a list shows (name, kind, size) and what a download needs. A speaker's link is
a bearer credential like an agency link: only the SHA-256 of its token is kept
(``core.tokens``); it expires, and revoking it sets ``revoked_at``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import utcnow
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.meetings.models import AgendaItem, Meeting


class Material(db.Model):
    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))  # pdf, pptx, … (core.filetypes)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    # Participants see it only once its item has started in the live room.
    after_start: Mapped[bool] = mapped_column(default=False)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    speaker_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("speaker_links.id", ondelete="SET NULL"), index=True
    )

    item: Mapped[AgendaItem] = relationship()
    meeting: Mapped[Meeting] = relationship()


class SpeakerLink(db.Model):
    """A speaker's own link to upload the materials of one agenda item."""

    __tablename__ = "speaker_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    expires_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    item: Mapped[AgendaItem] = relationship()
    meeting: Mapped[Meeting] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
