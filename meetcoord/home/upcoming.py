""" "Rapat mendatang": the actor's upcoming meetings, each with what is still missing.

The home page's first screen answers "what do I have to do before my next meetings?"
rather than showing figures. A meeting lacks something when it has no chair or
minute-taker, no invitees, invitations not sent (a draft) or some not sent, queued or
failed in the outbox, no quorum rule, no site or venue, no agenda, or documents waiting
(drafted, under review, or final with signatures pending). Each gap names the page that
fixes it.

Cost is fixed whatever the page size: one COUNT and one SELECT whose gap columns are
correlated scalar subqueries on indexed foreign keys (``invitations.meeting_id``,
``meeting_sites.meeting_id``, ``agenda_items.meeting_id``, ``documents.meeting_id``,
``outbox_messages(ref_type, ref_id)``). No meeting's relationships are loaded one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import and_, exists, func, or_, select

from meetcoord.access import scope
from meetcoord.access.permissions import STAFF_ACCOUNTS
from meetcoord.core.db import utcnow
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.core.pagination import Page
from meetcoord.directory.models import Person
from meetcoord.documents.models import Document, DocumentSignatory, DocumentStatus
from meetcoord.extensions import db
from meetcoord.meetings.models import (
    AgendaItem,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingSite,
    MeetingStatus,
)

PER_PAGE = 10
UPCOMING = (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED, MeetingStatus.LIVE)
# Documents someone still has to act on: the minute-taker, the commenters, the signatories.
WAITING = (DocumentStatus.DRAFT, DocumentStatus.CIRCULATED, DocumentStatus.FINAL)
# A live meeting that started yesterday is still on the list until its end; the bound
# keeps the scan on the start_at index.
LOOKBACK = timedelta(days=2)

# The order gaps are shown in: what blocks sending first, paperwork last.
GAP_KEYS = (
    "chair",
    "minute_taker",
    "invitees",
    "invitations",
    "unsent",
    "mail_pending",
    "mail_failed",
    "quorum",
    "sites",
    "agenda",
    "documents",
    "signatures",
)


@dataclass
class Gap:
    """One missing thing: ``key`` (one of :data:`GAP_KEYS`), how many where it counts,
    and the page (path) that fixes it."""

    key: str
    count: int | None
    url: str


@dataclass
class UpcomingMeeting:
    id: int
    title: str
    start_at: datetime
    end_at: datetime
    status: str
    url: str
    can_arrange: bool
    missing: list[Gap] = field(default_factory=list)


def _active_invitations() -> Any:
    return and_(Invitation.meeting_id == Meeting.id, Invitation.withdrawn_at.is_(None))


def _count(model: Any, *where: Any) -> Any:
    stmt = select(func.count()).select_from(model).where(*where)
    return stmt.correlate(Meeting).scalar_subquery()


def _has_role(role: InviteeRole) -> Any:
    return exists().where(_active_invitations(), Invitation.role == role).correlate(Meeting)


def _invitation_ids() -> Any:
    return select(Invitation.id).where(_active_invitations()).correlate(Meeting)


def _mail(status: OutboxStatus) -> Any:
    return _count(
        OutboxMessage,
        OutboxMessage.ref_type == "invitation",
        OutboxMessage.ref_id.in_(_invitation_ids()),
        OutboxMessage.status == status,
    )


def _unsent() -> Any:
    """Invitees with an e-mail address whose invitation never reached the outbox (those
    without an address are reached by WhatsApp or letter: nothing the outbox can do)."""
    queued = exists().where(
        OutboxMessage.ref_type == "invitation", OutboxMessage.ref_id == Invitation.id
    )
    return (
        select(func.count())
        .select_from(Invitation)
        .join(Person, Person.id == Invitation.person_id)
        .where(_active_invitations(), Person.email.is_not(None), ~queued)
        .correlate(Meeting)
        .scalar_subquery()
    )


def _signatures() -> Any:
    return (
        select(func.count())
        .select_from(DocumentSignatory)
        .join(Document, Document.id == DocumentSignatory.document_id)
        .where(
            Document.meeting_id == Meeting.id,
            Document.status == DocumentStatus.FINAL,
            DocumentSignatory.signed_at.is_(None),
        )
        .correlate(Meeting)
        .scalar_subquery()
    )


def _window(user: Any) -> Any:
    now = utcnow()
    stmt = select(Meeting.id).where(
        Meeting.start_at >= now - LOOKBACK,
        Meeting.end_at >= now,
        Meeting.status.in_(UPCOMING),
    )
    clause = scope.owned_by_reach(user, Meeting)
    return stmt if clause is None else stmt.where(clause)


def _columns() -> list[Any]:
    return [
        Meeting.id,
        Meeting.title,
        Meeting.start_at,
        Meeting.end_at,
        Meeting.status,
        Meeting.institution_id,
        Meeting.cohost_institution_id,
        (Meeting.quorum_kind.is_not(None)).label("quorum"),
        or_(
            Meeting.host_venue_id.is_not(None),
            Meeting.online_url.is_not(None),
            exists().where(MeetingSite.meeting_id == Meeting.id).correlate(Meeting),
        ).label("sites"),
        exists().where(AgendaItem.meeting_id == Meeting.id).correlate(Meeting).label("agenda"),
        _has_role(InviteeRole.CHAIR).label("chair"),
        _has_role(InviteeRole.MINUTE_TAKER).label("minute_taker"),
        _count(Invitation, _active_invitations()).label("invitees"),
        _unsent().label("unsent"),
        _mail(OutboxStatus.PENDING).label("mail_pending"),
        _mail(OutboxStatus.FAILED).label("mail_failed"),
        _count(Document, Document.meeting_id == Meeting.id, Document.status.in_(WAITING)).label(
            "documents"
        ),
        _signatures().label("signatures"),
    ]


def _gaps(row: Any, can_arrange: bool, can_see_mail: bool) -> list[Gap]:
    """What ``row`` lacks, each with the page that fixes it: the meeting's own sections
    for everyone; the edit form and the outbox only for those who may use them."""
    detail = url_for("meetings.detail", meeting_id=row.id)

    def tab(name: str) -> str:
        return url_for("meetings.detail", meeting_id=row.id, tab=name) + f"#{name}"

    edit = url_for("meetings.edit", meeting_id=row.id) if can_arrange else detail
    documents = url_for("documents.index", meeting_id=row.id)
    draft = row.status == MeetingStatus.DRAFT

    def outbox(status: str) -> str:
        return url_for("outbox.messages", status=status) if can_see_mail else detail

    found: dict[str, tuple[int | None, str]] = {}
    if not row.chair:
        found["chair"] = (None, tab("invitees"))
    if not row.minute_taker:
        found["minute_taker"] = (None, tab("invitees"))
    if not row.invitees:
        found["invitees"] = (None, tab("invitees"))
    elif draft:
        found["invitations"] = (row.invitees, detail)  # the "Kirim undangan" button
    elif row.unsent:
        found["unsent"] = (row.unsent, tab("invitees"))
    if row.mail_pending:
        found["mail_pending"] = (row.mail_pending, outbox("pending"))
    if row.mail_failed:
        found["mail_failed"] = (row.mail_failed, outbox("failed"))
    if not row.quorum:
        found["quorum"] = (None, f"{edit}#quorum_kind" if can_arrange else detail)
    if not row.sites:
        found["sites"] = (None, tab("sites"))
    if not row.agenda:
        found["agenda"] = (None, tab("agenda"))
    if row.documents:
        found["documents"] = (row.documents, documents)
    if row.signatures:
        found["signatures"] = (row.signatures, documents)
    return [Gap(key, *found[key]) for key in GAP_KEYS if key in found]


def upcoming(
    user: Any, page: int = 1, per_page: int = PER_PAGE, *, can_see_mail: bool = False
) -> Page[UpcomingMeeting]:
    """One page of ``user``'s meetings still to be held (soonest first), with their gaps.

    ``can_see_mail``: the reader may open the outbox (a failed mail links there);
    otherwise the gap links to the meeting itself.
    """
    window = _window(user)
    total = int(db.session.scalar(window.with_only_columns(func.count())) or 0)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.execute(
        window.with_only_columns(*_columns())
        .order_by(Meeting.start_at, Meeting.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    reach = scope.reach_of(user)
    staff = getattr(getattr(user, "role", None), "value", None) in STAFF_ACCOUNTS
    items = []
    for row in rows:
        can_arrange = staff and reach.works(row.institution_id, row.cohost_institution_id)
        items.append(
            UpcomingMeeting(
                id=row.id,
                title=row.title,
                start_at=row.start_at,
                end_at=row.end_at,
                status=MeetingStatus(row.status).value,
                url=url_for("meetings.detail", meeting_id=row.id),
                can_arrange=can_arrange,
                missing=_gaps(row, can_arrange, can_see_mail),
            )
        )
    return Page(items=items, page=page, per_page=per_page, total=total)
