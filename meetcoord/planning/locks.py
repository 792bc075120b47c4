"""When a meeting's synchronisation matrix may no longer change.

The matrix is what the agencies sign in the berita acara (and what the minutes print): once
that meeting's minutes or agreement is final — frozen for signing, signed or distributed —
its marks are locked, and a correction goes through an addendum as for the minutes
(issue 14, point 3). Every service that changes a mark asks :func:`matrix_locked` first,
inside the same transaction that writes.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from meetcoord.core.errors import Conflict
from meetcoord.documents.models import FROZEN, Document, DocumentKind
from meetcoord.extensions import db

# The documents that carry the matrix; an invitation letter or an addendum locks nothing.
CARRIERS = (DocumentKind.MINUTES, DocumentKind.AGREEMENT)

LOCKED_REFUSAL = _l(
    "Matriks sinkronisasi rapat ini sudah ditetapkan dalam notulen atau berita acara yang "
    "final. Perubahan dilakukan melalui adendum."
)


def matrix_locked(meeting_id: int) -> bool:
    """True once the meeting's minutes or berita acara is final, signed or distributed."""
    frozen = exists().where(
        Document.meeting_id == meeting_id,
        Document.kind.in_(CARRIERS),
        Document.status.in_(FROZEN),
    )
    return bool(db.session.scalar(select(frozen)))


def require_unlocked(meeting_id: int) -> None:
    """Refuse (409, nothing changed) a change to a locked matrix."""
    if matrix_locked(meeting_id):
        raise Conflict(LOCKED_REFUSAL)
