"""The event report (laporan kegiatan): one per meeting, written after it by the secretariat.

Its words live in ``sections`` (one text per section of the report, see ``SECTIONS``) so the
editor shows each as its own field; the figures of the meeting (times in the three zones,
speakers, attendance breakdown, decisions) live in ``facts``, a snapshot taken from the data
when the draft is made and again on "refresh facts" — never typed by hand, and never
changing under a final report. ``version`` guards against two editors: a save names the
version it was read at, and a stale one is refused (``services.save``).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.accounts.models import User
    from meetcoord.meetings.models import Meeting


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"


# The report's sections in their printed order (the keys of ``EventReport.sections``).
SECTIONS: tuple[str, ...] = (
    "background",  # pendahuluan / latar belakang
    "purpose",  # maksud dan tujuan
    "proceedings",  # pelaksanaan
    "sessions",  # ringkasan per sesi / agenda item (one text per item: see ``session_key``)
    "conclusions",  # hasil / kesimpulan
    "recommendations",  # rekomendasi / rencana tindak lanjut
    "closing",  # penutup
)
SECTION_MAX = 20_000  # characters of one section


def session_key(agenda_item_id: int) -> str:
    """The key of one agenda item's summary inside ``sections['sessions']``."""
    return str(agenda_item_id)


class EventReport(TimestampMixin, db.Model):
    __tablename__ = "event_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, 20), default=ReportStatus.DRAFT
    )
    version: Mapped[int] = mapped_column(default=1)
    # {"background": "...", ..., "sessions": {"<agenda item id>": "..."}}
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # facts.build()
    facts_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    finalized_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship()
    updated_by: Mapped[User | None] = relationship()

    @property
    def is_final(self) -> bool:
        return self.status is ReportStatus.FINAL

    @property
    def etag(self) -> str:
        """The API's entity tag: the version, quoted (RFC 9110)."""
        return f'"{self.version}"'
