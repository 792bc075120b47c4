"""Meeting operations: schedule across sites, status, and the sites themselves.

Each service takes the acting user, validates, writes, commits and returns. When a change
reaches people's calendars (a new time, a new place, a cancellation), the update mails are
written to the outbox in the same transaction (``mailing``), so a mail exists exactly when
the change it describes was committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from meetcoord import webhooks
from meetcoord.access import permissions, scope
from meetcoord.access.institutions import acting_institution, require_existing
from meetcoord.access.models import Institution
from meetcoord.access.permissions import Permission
from meetcoord.accounts.models import User
from meetcoord.channels.models import follow_online_url
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.core.pagination import LIKE_ESCAPE, ListQuery, Page, like_pattern, paginate
from meetcoord.core.validation import parse_int
from meetcoord.directory.models import Forum, Person, Venue
from meetcoord.extensions import db
from meetcoord.jobs.models import Job
from meetcoord.meetings import mailing, standing
from meetcoord.meetings.cleaning import clean_meeting, clean_site
from meetcoord.meetings.models import Meeting, MeetingKind, MeetingSite, MeetingStatus, Series

# What moves a meeting in people's calendars: changing one sends everyone an update.
CALENDAR_FIELDS = ("title", "start_at", "end_at", "host_venue_id", "online_url", "purpose")
ACTIVE = (MeetingStatus.SCHEDULED, MeetingStatus.LIVE)
# What a list sorts by (the columns a list shows), by the name a client sends.
MEETING_SORTS = {
    "start_at": "start_at",
    "end_at": "end_at",
    "title": "title",
    "status": "status",
    "kind": "kind",
    "created_at": "created_at",
}


def require_editor(actor: User | None, meeting: Meeting | Series | None = None) -> None:
    """``actor`` may arrange meetings, and this one's institution (or co-host) is theirs.

    Without ``meeting`` (a new one) the account's role decides; which institution the new
    work belongs to is ``access.institutions.acting_institution``'s question.
    """
    if actor is None:
        raise PermissionDenied(permissions.refusal(Permission.MEETING_ARRANGE))
    permissions.require(actor, Permission.MEETING_ARRANGE, meeting)


def get_meeting(meeting_id: int, actor: User | None) -> Meeting:
    """The meeting, if ``actor`` may see it: another institution's is not found."""
    meeting = db.session.get(Meeting, meeting_id)
    return permissions.visible(actor, meeting, _l("Rapat tidak ditemukan."))


def list_meetings(query: ListQuery, actor: User | None) -> Page[Meeting]:
    stmt: Select[Any] = select(Meeting).options(
        selectinload(Meeting.sites).selectinload(MeetingSite.venue),
        selectinload(Meeting.host_venue),
    )
    if (mine := scope.owned_by_reach(actor, Meeting)) is not None:
        stmt = stmt.where(mine)
    if query.q.strip():
        stmt = stmt.where(Meeting.title.ilike(like_pattern(query.q), escape=LIKE_ESCAPE))
    filters = query.filters or {}
    if statuses := filters.get("status"):
        wanted = [statuses] if isinstance(statuses, str) else list(statuses)
        stmt = stmt.where(Meeting.status.in_([MeetingStatus(value) for value in wanted]))
    if kinds := filters.get("kind"):
        wanted = [kinds] if isinstance(kinds, str) else list(kinds)
        stmt = stmt.where(Meeting.kind.in_([MeetingKind(value) for value in wanted]))
    if filters.get("forum_id"):
        stmt = stmt.where(Meeting.forum_id == filters["forum_id"])
    if filters.get("institution_id"):
        institution = filters["institution_id"]  # owner or co-host: the meetings it runs
        stmt = stmt.where(
            or_(Meeting.institution_id == institution, Meeting.cohost_institution_id == institution)
        )
    if filters.get("starts_after") is not None:
        stmt = stmt.where(Meeting.start_at >= filters["starts_after"])
    if filters.get("starts_before") is not None:
        stmt = stmt.where(Meeting.start_at < filters["starts_before"])
    if filters.get("upcoming"):
        stmt = stmt.where(Meeting.end_at >= utcnow())
    if filters.get("past"):
        stmt = stmt.where(Meeting.end_at < utcnow())
    column = getattr(Meeting, MEETING_SORTS.get(query.sort, "start_at"))
    order = column.desc() if query.descending else column.asc()
    return paginate(stmt.order_by(order, Meeting.id), query.page, query.per_page)


def _require(model: type, record_id: int | None, field: str) -> Any:
    if record_id is None:
        return None
    obj = db.session.get(model, record_id)
    if obj is None:
        raise ValidationError(
            _l("Rujukan tidak ditemukan."), errors={field: [_l("Tidak ada data dengan id ini.")]}
        )
    return obj


def zone_for(data: Mapping[str, Any], meeting: Meeting | None) -> str | None:
    """The zone a wall-clock time in ``data`` is read in: the (new) host venue's."""
    raw = data.get("host_venue_id")
    if raw not in (None, ""):
        venue_id = parse_int(raw, minimum=1)
        if venue_id is None:
            return None  # the cleaning reports the wrong type or size
        venue = db.session.get(Venue, venue_id)
        if venue is None:
            raise ValidationError(
                _l("Rujukan tidak ditemukan."),
                errors={"host_venue_id": [_l("Tidak ada data dengan id ini.")]},
            )
        return venue.timezone
    if meeting is not None and meeting.host_venue is not None:
        return meeting.host_venue.timezone
    return None


def _check_times(start_at: datetime, end_at: datetime) -> None:
    if end_at <= start_at:
        raise ValidationError(
            _l("Waktu selesai harus setelah waktu mulai."),
            errors={"end_at": [_l("Harus setelah waktu mulai.")]},
        )


COHOST_IS_OWNER = _l("Penyelenggara bersama harus lembaga lain.")


def owners(actor: User | None, values: dict[str, Any], meeting: Meeting | None = None) -> None:
    """Resolve ``institution_id`` and ``cohost_institution_id`` in cleaned ``values``.

    A new meeting belongs to the actor's institution (or the one they chose among theirs);
    moving a meeting to another institution needs the actor to work for that one too. The
    co-host must exist and differ from the owner.
    """
    chosen = values.pop("institution_id", None)
    owner: Institution | None = None
    if meeting is None or (chosen is not None and chosen != meeting.institution_id):
        owner = acting_institution(actor, chosen)
        values["institution_id"] = owner.id
    owner_id = owner.id if owner is not None else meeting.institution_id if meeting else None
    if "cohost_institution_id" in values:
        cohost = require_existing(values["cohost_institution_id"], "cohost_institution_id")
        if cohost is not None and cohost.id == owner_id:
            raise ValidationError(
                COHOST_IS_OWNER, errors={"cohost_institution_id": [COHOST_IS_OWNER]}
            )
    elif meeting is not None and owner_id == meeting.cohost_institution_id:
        raise ValidationError(COHOST_IS_OWNER, errors={"institution_id": [COHOST_IS_OWNER]})


def commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("Data bentrok dengan data lain; muat ulang lalu coba lagi.")) from None


def create_meeting(actor: User | None, data: Mapping[str, Any]) -> Meeting:
    """A draft meeting; its host venue becomes its first site."""
    require_editor(actor)
    values = clean_meeting(data, zone_for(data, None))
    owners(actor, values)
    host = _require(Venue, values["host_venue_id"], "host_venue_id")
    _require(Forum, values.get("forum_id"), "forum_id")
    _check_times(values["start_at"], values["end_at"])
    meeting = Meeting(uid=f"{uuid.uuid4()}@meetcoord", created_by=actor, **values)
    meeting.sites.append(MeetingSite(venue=host))
    db.session.add(meeting)
    db.session.flush()
    if meeting.online_url:
        follow_online_url(meeting, meeting.online_url)  # its video channel (issue 15)
    standing.ensure_standing_items(meeting)
    audit.record(actor, "create", meeting, f"meeting: {meeting.title}")
    commit()
    return meeting


def update_meeting(actor: User | None, meeting: Meeting, data: Mapping[str, Any]) -> Meeting:
    """Change a meeting; if its time or place moved, everyone invited gets an update."""
    require_editor(actor, meeting)
    values = clean_meeting(data, zone_for(data, meeting), partial=True)
    changed = apply_changes(actor, meeting, values)
    if meeting.series_id is not None and changed & set(CALENDAR_FIELDS):
        # Edited on its own: from now on an exception (RFC 5545 RECURRENCE-ID) that series
        # edits leave alone, whole (see series.update_series).
        meeting.is_series_exception = True
    commit()
    return meeting


def apply_changes(actor: User | None, meeting: Meeting, values: Mapping[str, Any]) -> set[str]:
    """Write cleaned changes into the session (the caller commits); the fields that moved."""
    if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        raise Conflict(_l("Rapat yang sudah selesai atau dibatalkan tidak dapat diubah."))
    values = dict(values)
    owners(actor, values, meeting)
    host = _require(Venue, values.get("host_venue_id"), "host_venue_id")
    _require(Forum, values.get("forum_id"), "forum_id")
    if "start_at" in values and "end_at" not in values:
        # moving the start moves the meeting: it keeps its length
        values = {**values, "end_at": values["start_at"] + (meeting.end_at - meeting.start_at)}
    _check_times(values.get("start_at", meeting.start_at), values.get("end_at", meeting.end_at))
    changed = {key: value for key, value in values.items() if getattr(meeting, key) != value}
    if not changed:
        return set()
    for key, value in changed.items():
        setattr(meeting, key, value)
    if "online_url" in changed:
        follow_online_url(meeting, changed["online_url"])  # its video channel (issue 15)
    if host is not None and all(site.venue_id != host.id for site in meeting.sites):
        meeting.sites.append(MeetingSite(venue=host))
    if any(key in CALENDAR_FIELDS for key in changed) and meeting.status in ACTIVE:
        meeting.sequence += 1
        mailing.queue_meeting_update(meeting)
    audit.record(
        actor,
        "update",
        meeting,
        f"meeting: {meeting.title}",
        {key: str(value) for key, value in changed.items()},
    )
    webhooks.meeting_changed(meeting, changed)
    return set(changed)


def schedule(actor: User | None, meeting: Meeting, *, send: bool = True) -> Job | None:
    """Draft → scheduled. With ``send`` the invitations go out (``mailing.send_invitations``):
    inline when few, otherwise through a job (returned, committed with the change).
    ``send=False`` mails nobody; ``sending.start_send`` does it later."""
    require_editor(actor, meeting)
    if meeting.status is not MeetingStatus.DRAFT:
        raise Conflict(_l("Hanya rapat berstatus draf yang dapat dijadwalkan."))
    if not meeting.sites:
        raise ValidationError(
            _l("Rapat belum punya lokasi."),
            errors={"sites": [_l("Tambahkan paling sedikit satu lokasi.")]},
        )
    standing.ensure_standing_items(meeting)
    meeting.status = MeetingStatus.SCHEDULED
    job = mailing.send_invitations(actor, meeting) if send else None
    detail = "sent" if send else "not sent"
    audit.record(actor, "schedule", meeting, f"meeting scheduled ({detail}): {meeting.title}")
    webhooks.meeting_scheduled(meeting)
    commit()
    return job


def schedule_meeting(actor: User | None, meeting: Meeting) -> Meeting:
    """:func:`schedule` with sending, for callers that want the meeting back (seeds, benches,
    tests): the same path as the pages and the API, so above ``mailing.INLINE_MAX`` the
    mails wait for the worker's job too."""
    schedule(actor, meeting)
    return meeting


def delete_meeting(actor: User | None, meeting: Meeting) -> None:
    """A draft goes for good: nobody was mailed, so no calendar holds it. Anything past
    draft (scheduled, live, closed, or cancelled, which people were told about) stays."""
    require_editor(actor, meeting)
    if meeting.status is not MeetingStatus.DRAFT:
        raise Conflict(
            _l("Hanya rapat berstatus draf yang dapat dihapus; batalkan rapat ini bila perlu.")
        )
    audit.record(
        actor, "delete", meeting, f"draft meeting deleted: {meeting.title}", {"id": meeting.id}
    )
    # Loaded, the ORM deletes invitations before the sites they point at (RESTRICT).
    _ = (meeting.invitations, meeting.sites, meeting.agenda)
    db.session.delete(meeting)
    commit()


def cancel_meeting(actor: User | None, meeting: Meeting) -> Meeting:
    require_editor(actor, meeting)
    if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        raise Conflict(_l("Rapat ini sudah selesai atau dibatalkan."))
    was_sent = meeting.status in ACTIVE
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    if was_sent:
        mailing.queue_cancellations(  # those whose invitation was mailed
            [inv for inv in meeting.invitations if inv.withdrawn_at is None]
        )
    audit.record(actor, "cancel", meeting, f"meeting cancelled: {meeting.title}")
    webhooks.meeting_cancelled(meeting)
    commit()
    return meeting


# --- sites ------------------------------------------------------------------------------


def add_site(actor: User | None, meeting: Meeting, data: Mapping[str, Any]) -> MeetingSite:
    require_editor(actor, meeting)
    values = clean_site(data)
    venue = _require(Venue, values["venue_id"], "venue_id")
    _require(Person, values.get("coordinator_id"), "coordinator_id")
    if any(site.venue_id == venue.id for site in meeting.sites):
        raise Conflict(
            _l("Tempat ini sudah menjadi lokasi rapat."),
            errors={"venue_id": [_l("Sudah menjadi lokasi.")]},
        )
    site = MeetingSite(meeting=meeting, **values)
    db.session.add(site)
    db.session.flush()
    audit.record(actor, "add_site", meeting, f"meeting {meeting.title}: site {venue.name}")
    commit()
    return site


def update_site(actor: User | None, site: MeetingSite, data: Mapping[str, Any]) -> MeetingSite:
    require_editor(actor, site.meeting)
    values = clean_site(data, partial=True)
    values.pop("venue_id", None)  # a site is its venue; add another site to move people
    _require(Person, values.get("coordinator_id"), "coordinator_id")
    for key, value in values.items():
        setattr(site, key, value)
    audit.record(actor, "update_site", site.meeting, f"site {site.venue.name}")
    commit()
    return site


def remove_site(actor: User | None, site: MeetingSite) -> None:
    require_editor(actor, site.meeting)
    meeting = site.meeting
    invited = sum(1 for inv in meeting.invitations if inv.site_id == site.id)
    if invited:
        raise Conflict(
            _l("Lokasi ini masih punya %(n)d undangan; pindahkan dulu ke lokasi lain.", n=invited)
        )
    if meeting.host_venue_id == site.venue_id:
        raise Conflict(_l("Tempat tuan rumah tidak dapat dihapus dari lokasi rapat."))
    audit.record(actor, "remove_site", meeting, f"site {site.venue.name} removed")
    db.session.delete(site)
    commit()


def search_people_meetings(person_ids: list[int]) -> list[Meeting]:
    """Meetings any of these people are invited to (for feeds), soonest first."""
    from meetcoord.meetings.models import Invitation

    if not person_ids:
        return []
    return list(
        db.session.scalars(
            select(Meeting)
            .join(Invitation)
            .where(
                Invitation.person_id.in_(person_ids),
                Invitation.withdrawn_at.is_(None),
                or_(Meeting.status.in_(ACTIVE), Meeting.status == MeetingStatus.CANCELLED),
            )
            .distinct()
            .order_by(Meeting.start_at)
        )
    )
