"""The home dashboard's figures: counts by aggregate SQL, short lists by LIMIT.

One function, :func:`dashboard`, reads every panel for a staff account, scoped the way
the tracker and the meetings list are (``access.scope.owned_by_reach``): another
institution's meeting, document, action or mail is never counted or listed. The page,
the API twin and the page's poller all read this one answer, so the figures cannot
disagree; :func:`fingerprint` turns it into the ETag the poller sends back.

Every statement is bounded: upcoming meetings sit in a 30-day window of the indexed
``start_at``; the missing-role checks run per listed meeting through the indexed
``invitations.meeting_id``; action counts are one GROUP BY; lists are LIMITed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from meetcoord.access import scope
from meetcoord.access.permissions import Permission, allowed
from meetcoord.actions.models import Action, ActionStatus
from meetcoord.actions.queries import PENDING, today
from meetcoord.core.db import utcnow
from meetcoord.core.outbox import OutboxStatus
from meetcoord.directory.models import Forum
from meetcoord.documents.models import Document, DocumentSignatory, DocumentStatus
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, InviteeRole, Meeting, MeetingStatus
from meetcoord.outbox import services as outbox

WINDOW = timedelta(days=30)
LIST_LIMIT = 8
# A meeting still to be held: a draft is one whose invitations have not gone out yet.
UPCOMING = (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED, MeetingStatus.LIVE)
WAITING = (DocumentStatus.CIRCULATED, DocumentStatus.FINAL)


@dataclass
class MeetingRow:
    id: int
    title: str
    start_at: datetime
    status: str
    missing: list[str]


@dataclass
class DocumentRow:
    id: int
    meeting_id: int
    title: str
    status: str
    meeting_title: str
    comment_deadline_at: datetime | None
    next_signatory: str | None
    my_signature: bool


@dataclass
class MailRow:
    id: int
    recipient: str
    subject: str
    created_at: datetime


@dataclass
class Dashboard:
    """Everything the home page shows; ``mail_failed`` is None for those who may not
    open the outbox (a viewer): the panel is then left out, not shown as zero."""

    meetings_total: int = 0
    meetings_incomplete: int = 0
    meetings: list[MeetingRow] = field(default_factory=list)
    documents_total: int = 0
    documents: list[DocumentRow] = field(default_factory=list)
    actions_overdue: int = 0
    actions_done: int = 0
    actions_open: int = 0
    mail_failed: int | None = None
    mail: list[MailRow] = field(default_factory=list)
    has_meetings: bool = True


def _scoped(stmt: Any, user: Any, model: Any) -> Any:
    clause = scope.owned_by_reach(user, model)
    return stmt if clause is None else stmt.where(clause)


def _has_role(role: InviteeRole) -> Any:
    return exists().where(
        Invitation.meeting_id == Meeting.id,
        Invitation.role == role,
        Invitation.withdrawn_at.is_(None),
    )


def _incomplete() -> Any:
    """SQL: the meeting lacks a chair, a minute-taker, sent invitations or a quorum rule."""
    return or_(
        Meeting.status == MeetingStatus.DRAFT,
        Meeting.quorum_kind.is_(None),
        ~_has_role(InviteeRole.CHAIR),
        ~_has_role(InviteeRole.MINUTE_TAKER),
    )


def _meetings(user: Any, board: Dashboard) -> None:
    now = utcnow()
    window = _scoped(
        select(Meeting.id).where(
            Meeting.start_at >= now,
            Meeting.start_at < now + WINDOW,
            Meeting.status.in_(UPCOMING),
        ),
        user,
        Meeting,
    )
    counted = window.with_only_columns(
        func.count(), func.coalesce(func.sum(case((_incomplete(), 1), else_=0)), 0)
    )
    board.meetings_total, board.meetings_incomplete = db.session.execute(counted).one()
    rows = db.session.execute(
        window.with_only_columns(
            Meeting.id,
            Meeting.title,
            Meeting.start_at,
            Meeting.status,
            Meeting.quorum_kind,
            _has_role(InviteeRole.CHAIR).label("chair"),
            _has_role(InviteeRole.MINUTE_TAKER).label("minute_taker"),
        )
        .order_by(Meeting.start_at, Meeting.id)
        .limit(LIST_LIMIT)
    ).all()
    for row in rows:
        missing = [
            name
            for name, lacking in (
                ("chair", not row.chair),
                ("minute_taker", not row.minute_taker),
                ("invitations", row.status == MeetingStatus.DRAFT),
                ("quorum", row.quorum_kind is None),
            )
            if lacking
        ]
        status = MeetingStatus(row.status).value
        board.meetings.append(MeetingRow(row.id, row.title, row.start_at, status, missing))
    if not board.meetings_total:
        any_meeting = _scoped(select(Meeting.id), user, Meeting).limit(1)
        board.has_meetings = db.session.scalar(any_meeting) is not None


def _mine_to_sign(user: Any) -> Any:
    return exists().where(
        DocumentSignatory.document_id == Document.id,
        DocumentSignatory.signed_at.is_(None),
        func.lower(DocumentSignatory.email) == user.email.lower(),
    )


def _documents(user: Any, board: Dashboard) -> None:
    waiting = _scoped(select(Document).where(Document.status.in_(WAITING)), user, Document)
    board.documents_total = db.session.scalar(waiting.with_only_columns(func.count())) or 0
    mine = _mine_to_sign(user)
    found = db.session.execute(
        waiting.add_columns(mine.label("mine"))
        .options(selectinload(Document.signatories), selectinload(Document.meeting))
        .order_by(mine.desc(), Document.updated_at.desc(), Document.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    for document, is_mine in found:
        next_one = document.next_signatory if document.status is DocumentStatus.FINAL else None
        board.documents.append(
            DocumentRow(
                id=document.id,
                meeting_id=document.meeting_id,
                title=document.title,
                status=document.status.value,
                meeting_title=document.meeting.title,
                comment_deadline_at=document.comment_deadline_at,
                next_signatory=next_one.name if next_one else None,
                my_signature=bool(is_mine) and document.status is DocumentStatus.FINAL,
            )
        )


def _actions(user: Any, board: Dashboard) -> None:
    pending = Action.status.in_(PENDING)
    stmt = _scoped(
        select(
            func.coalesce(func.sum(case((and_(pending, Action.due_on < today()), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Action.status == ActionStatus.DONE, 1), else_=0)), 0),
            func.coalesce(func.sum(case((pending, 1), else_=0)), 0),
        )
        .select_from(Action)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.withdrawn_at.is_(None), Action.status.in_((*PENDING, ActionStatus.DONE))),
        user,
        Meeting,
    )
    overdue, done, still_open = db.session.execute(stmt).one()
    board.actions_overdue, board.actions_done, board.actions_open = (
        int(overdue),
        int(done),
        int(still_open),
    )


def _mail(user: Any, board: Dashboard) -> None:
    if not allowed(user, Permission.MEETING_ARRANGE):
        return  # the outbox is the secretariat's (outbox.services)
    page = outbox.list_messages(user, OutboxStatus.FAILED, 1, LIST_LIMIT)
    board.mail_failed = page.total
    board.mail = [MailRow(m.id, m.recipient, m.subject, m.created_at) for m in page.items]


def dashboard(user: Any) -> Dashboard:
    """Every panel of ``user``'s home page, within the institutions they may see."""
    board = Dashboard()
    _meetings(user, board)
    _documents(user, board)
    _actions(user, board)
    _mail(user, board)
    return board


@dataclass
class ForumRow:
    id: int
    name: str


def forums(user: Any) -> list[ForumRow]:
    """The forums of ``user``'s institutions, for the page's links to their dashboards
    (not part of :class:`Dashboard`: links, not figures the poller compares)."""
    stmt = _scoped(select(Forum.id, Forum.short_name, Forum.name), user, Forum)
    rows = db.session.execute(stmt.order_by(Forum.name).limit(LIST_LIMIT)).all()
    return [ForumRow(row.id, row.short_name or row.name) for row in rows]


def fingerprint(data: Any) -> str:
    """A strong ETag of the figures and lists (what the poller compares)."""
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
