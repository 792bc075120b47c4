"""The outbox as each secretariat sees it: its own institutions' mail, nothing else.

A message names what caused it (``ref_type``/``ref_id``): an invitation (its meeting's
institution and co-host), a document (its institution), a person of the shared directory
(every secretariat may see the notice that an address changed). Anything else (account
mail) is for the installation's administrators. Delivery itself is ``core.worker``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from meetcoord.access import permissions, scope
from meetcoord.access.permissions import Permission
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, PermissionDenied
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.core.pagination import LIKE_ESCAPE, Page, like_pattern, paginate
from meetcoord.documents.models import Document
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting

SECRETARIAT_ONLY = _l("Hanya sekretariat yang boleh melihat surat keluar.")


def _require_staff(actor: Any) -> None:
    if actor is None or not permissions.allowed(actor, Permission.MEETING_ARRANGE):
        raise PermissionDenied(SECRETARIAT_ONLY)


def mine(actor: Any) -> ColumnElement[bool] | None:
    """A WHERE clause keeping the messages of ``actor``'s institutions; None: all."""
    meetings = scope.owned_by_reach(actor, Meeting)
    if meetings is None:
        return None  # an administrator of the installation
    documents = scope.owned_by_reach(actor, Document)
    invitations = select(Invitation.id).join(Meeting, Invitation.meeting_id == Meeting.id)
    return or_(
        OutboxMessage.ref_type == "person",
        and_(
            OutboxMessage.ref_type == "invitation",
            OutboxMessage.ref_id.in_(invitations.where(meetings)),
        ),
        and_(
            OutboxMessage.ref_type == "document",
            OutboxMessage.ref_id.in_(select(Document.id).where(documents)),
        ),
    )


def _scoped(stmt: Any, actor: Any) -> Any:
    clause = mine(actor)
    return stmt if clause is None else stmt.where(clause)


def count_by_status(actor: Any) -> dict[OutboxStatus, int]:
    _require_staff(actor)
    counts = dict.fromkeys(OutboxStatus, 0)
    stmt = _scoped(select(OutboxMessage.status, func.count()), actor)
    for status, count in db.session.execute(stmt.group_by(OutboxMessage.status)):
        counts[OutboxStatus(status)] = int(count)
    return counts


def list_messages(
    actor: Any,
    status: OutboxStatus | None,
    page: int,
    per_page: int,
    *,
    filters: Mapping[str, Any] | None = None,
    q: str = "",
    oldest_first: bool = False,
) -> Page[OutboxMessage]:
    """Newest first; the message bytes stay in the database (a page needs none of them).

    ``filters`` (the API's): ``kind``, ``ref_type``, ``ref_id`` and ``recipient`` (the
    address, whatever its case); ``q`` searches recipient and subject.
    """
    _require_staff(actor)
    stmt = _scoped(select(OutboxMessage), actor)
    if status is not None:
        stmt = stmt.where(OutboxMessage.status == status)
    given = {key: value for key, value in (filters or {}).items() if value is not None}
    for key in ("kind", "ref_type", "ref_id"):
        if key in given:
            stmt = stmt.where(getattr(OutboxMessage, key) == given[key])
    if "recipient" in given:
        stmt = stmt.where(func.lower(OutboxMessage.recipient) == given["recipient"].lower())
    if q.strip():
        pattern = like_pattern(q)
        stmt = stmt.where(
            or_(
                OutboxMessage.recipient.ilike(pattern, escape=LIKE_ESCAPE),
                OutboxMessage.subject.ilike(pattern, escape=LIKE_ESCAPE),
            )
        )
    if oldest_first:
        order = (OutboxMessage.created_at.asc(), OutboxMessage.id.asc())
    else:
        order = (OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    return paginate(stmt.order_by(*order), page, per_page)


def get_message(actor: Any, message_id: int) -> OutboxMessage:
    """The message, if it is mail of ``actor``'s institutions (else not found)."""
    _require_staff(actor)
    found = db.session.scalar(
        _scoped(select(OutboxMessage), actor).where(OutboxMessage.id == message_id)
    )
    if found is None:
        raise NotFound(_l("Surat tidak ditemukan."))
    return found


def retry(actor: Any, message: OutboxMessage) -> OutboxMessage:
    """Put a failed message back in the queue with a fresh allowance of attempts."""
    _require_staff(actor)
    if message.status is not OutboxStatus.FAILED:
        raise Conflict(_l("Hanya surat yang gagal yang dapat dikirim ulang."))
    before = message.attempts
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    audit.record(
        actor,
        "retry",
        message,
        f"Kirim ulang surat #{message.id} ke {message.recipient}",
        {"status": ["failed", "pending"], "attempts": [before, 0]},
    )
    db.session.commit()
    return message
