"""A meeting's lists as pages (invitations, sites, agenda) and invitations row by row.

Every list under ``/meetings/<id>/`` answers the API's one page envelope and sorts on the
columns it shows; a filter is a WHERE clause, never a Python loop over 300 rows.
Inviting by rows (each person with their own role and site) checks every row before
writing any: one wrong row refuses the whole request with that row's errors, so a client
that retries after fixing it never ends up with half a list invited twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import ceil
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.errors import Conflict, ValidationError
from meetcoord.core.pagination import LIKE_ESCAPE, ListQuery, Page, like_pattern, paginate
from meetcoord.core.tokens import hash_token, new_salt
from meetcoord.directory.models import Person, Venue
from meetcoord.extensions import db
from meetcoord.meetings import links, mailing
from meetcoord.meetings.cleaning import clean_invitee
from meetcoord.meetings.invitations import InviteResult, new_invitation
from meetcoord.meetings.models import (
    AgendaItem,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingSite,
    MeetingStatus,
    Rsvp,
)
from meetcoord.meetings.services import ACTIVE, commit, require_editor

T = TypeVar("T")

INVITATION_SORTS: dict[str, Any] = {
    "id": Invitation.id,
    "person_name": Person.name,
    "role": Invitation.role,
    "rsvp": Invitation.rsvp,
    "site_id": Invitation.site_id,
    "invited_at": Invitation.invited_at,
    "sent_at": Invitation.sent_at,
}


def _ordered(stmt: Select[Any], column: Any, query: ListQuery, tiebreak: Any) -> Select[Any]:
    return stmt.order_by(column.desc() if query.descending else column.asc(), tiebreak)


def list_invitations(meeting: Meeting, query: ListQuery) -> Page[Invitation]:
    """Active invitations of ``meeting``; filters: rsvp, role, site_id ("online"), sent, q."""
    stmt = (
        select(Invitation)
        .join(Person, Invitation.person_id == Person.id)
        .where(Invitation.meeting_id == meeting.id, Invitation.withdrawn_at.is_(None))
    )
    filters = query.filters or {}
    if filters.get("rsvp"):
        stmt = stmt.where(Invitation.rsvp.in_([Rsvp(v) for v in filters["rsvp"]]))
    if filters.get("role"):
        stmt = stmt.where(Invitation.role.in_([InviteeRole(v) for v in filters["role"]]))
    site = filters.get("site_id")
    if site not in (None, ""):
        if str(site).lower() == "online":
            stmt = stmt.where(Invitation.site_id.is_(None))
        elif str(site).isdigit():
            stmt = stmt.where(Invitation.site_id == int(site))
        else:
            message = _l("Id lokasi, atau 'online'.")
            raise ValidationError(message, errors={"site_id": [message]})
    if filters.get("sent") is not None:
        sent = Invitation.sent_at.is_not(None)
        stmt = stmt.where(sent if filters["sent"] else ~sent)
    if query.q.strip():
        stmt = stmt.where(Person.name.ilike(like_pattern(query.q), escape=LIKE_ESCAPE))
    column = INVITATION_SORTS.get(query.sort, Invitation.id)
    return paginate(_ordered(stmt, column, query, Invitation.id), query.page, query.per_page)


def list_sites(meeting: Meeting, query: ListQuery) -> Page[MeetingSite]:
    stmt = (
        select(MeetingSite)
        .join(Venue, MeetingSite.venue_id == Venue.id)
        .where(MeetingSite.meeting_id == meeting.id)
    )
    if query.q.strip():
        stmt = stmt.where(Venue.name.ilike(like_pattern(query.q), escape=LIKE_ESCAPE))
    column = Venue.name if query.sort == "venue_name" else MeetingSite.id
    return paginate(_ordered(stmt, column, query, MeetingSite.id), query.page, query.per_page)


def list_agenda(meeting: Meeting, query: ListQuery) -> Page[AgendaItem]:
    stmt = select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
    if query.q.strip():
        stmt = stmt.where(AgendaItem.title.ilike(like_pattern(query.q), escape=LIKE_ESCAPE))
    column = {"title": AgendaItem.title, "kind": AgendaItem.kind}.get(
        query.sort, AgendaItem.position
    )
    return paginate(_ordered(stmt, column, query, AgendaItem.id), query.page, query.per_page)


def page_of(items: Sequence[T], query: ListQuery) -> Page[T]:
    """A computed list (counts, conflicts) cut into the same envelope."""
    rows = list(reversed(items)) if query.descending else list(items)
    pages = max(1, ceil(len(rows) / query.per_page))
    page = min(max(1, query.page), pages)
    start = (page - 1) * query.per_page
    return Page(rows[start : start + query.per_page], page, query.per_page, len(rows))


# --- inviting row by row ----------------------------------------------------------------


def invite_rows(
    actor: User | None, meeting: Meeting, rows: Sequence[Mapping[str, Any]]
) -> InviteResult:
    """Each row a person with their own role and site (online when ``site_id`` is null).

    All rows are checked first; errors name the row (``rows.3.site_id``). Someone already
    invited keeps their invitation and is reported as ``already_invited`` with its id.
    """
    require_editor(actor, meeting)
    if meeting.status not in (MeetingStatus.DRAFT, *ACTIVE):
        raise Conflict(_l("Rapat yang sudah selesai atau dibatalkan tidak dapat diubah."))
    errors: dict[str, list[Any]] = {}
    sites = {site.id: site for site in meeting.sites}
    wanted = [row.get("person_id") for row in rows]
    people = {
        p.id: p
        for p in db.session.scalars(select(Person).where(Person.id.in_([w for w in wanted if w])))
    }
    cleaned: list[tuple[Person, dict[str, Any]]] = []
    seen: set[int] = set()
    for index, row in enumerate(rows):
        prefix = f"rows.{index}"
        try:
            values = clean_invitee({"role": row.get("role") or "participant", **row})
        except ValidationError as exc:
            errors.update({f"{prefix}.{key}": msgs for key, msgs in exc.errors.items()})
            continue
        person = people.get(row.get("person_id") or 0)
        if person is None:
            errors[f"{prefix}.person_id"] = [_l("Tidak ada data dengan id ini.")]
        elif person.id in seen:
            errors[f"{prefix}.person_id"] = [_l("Orang ini sudah ada di baris lain.")]
        if values.get("site_id") is not None and values["site_id"] not in sites:
            errors[f"{prefix}.site_id"] = [_l("Pilih salah satu lokasi rapat, atau daring.")]
        if person is not None:
            seen.add(person.id)
            cleaned.append((person, values))
    if not rows:
        errors["rows"] = [_l("Wajib diisi.")]
    if errors:
        raise ValidationError(_l("Data undangan tidak valid."), errors=errors)
    invited = {inv.person_id: inv for inv in meeting.invitations}
    created: list[Invitation] = []
    outcome: list[tuple[int, Invitation, str]] = []
    for person, values in cleaned:
        site = sites.get(values.get("site_id") or 0)
        existing = invited.get(person.id)
        if existing is not None and existing.withdrawn_at is None:
            outcome.append((person.id, existing, "already_invited"))
            continue
        if existing is not None:  # invited again after a withdrawal: same row, fresh link
            existing.withdrawn_at, existing.sent_at = None, None
            existing.role, existing.site = values["role"], site
            existing.token_salt = new_salt()
            existing.token_hash = hash_token(links.personal_token(existing))
            created.append(existing)
            outcome.append((person.id, existing, "created"))
            continue
        invitation = new_invitation(meeting=meeting, person=person, role=values["role"], site=site)
        db.session.add(invitation)
        created.append(invitation)
        outcome.append((person.id, invitation, "created"))
    db.session.flush()
    if meeting.status in ACTIVE:
        mailing.queue_invitations(created)
    audit.record(actor, "invite", meeting, f"meeting {meeting.title}: {len(created)} invited")
    commit()
    result_rows = [(person_id, inv.id, status) for person_id, inv, status in outcome]
    return InviteResult(created, len(outcome) - len(created), result_rows)
