"""Reading a meeting from the database into the minutes' snapshot (``MinutesData``).

This is the only part of the minutes that touches the database: it gathers the meeting,
its sites, the live room's decisions, tallies and notes, the follow-up actions and the
attendance, and hands ``compose_minutes`` plain values. Attendance comes from
``checkin.lists`` (the same rows and totals as the daftar hadir), so the minutes and the
attendance list can never disagree. Settings (institution name, address, logo) come from
the app's config unless the caller passes them, e.g. from a stored snapshot.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.access.institutions import letterhead_for
from meetcoord.actions.carryover import review_rows
from meetcoord.actions.labels import STATUS_LABELS
from meetcoord.actions.models import Action, ActionStatus
from meetcoord.checkin.counts import document_note
from meetcoord.checkin.lists import CATEGORY_ID, ONLINE, AttendanceList, attendance_lists
from meetcoord.core.places import join_place
from meetcoord.directory.models import StakeholderCategory
from meetcoord.documents.pdf.compose import (
    ActionData,
    AgendaData,
    AttendeeData,
    DecisionData,
    MaterialData,
    MinutesData,
    QuestionData,
    ReviewData,
    SiteAttendance,
    SiteData,
    TallyData,
    WithdrawnData,
)
from meetcoord.documents.snapshot import to_json
from meetcoord.extensions import db
from meetcoord.live.models import Decision, DecisionTally, ItemNote
from meetcoord.materials.queries import for_meeting as material_rows
from meetcoord.meetings.models import Invitation, InviteeRole, Meeting, MeetingSite
from meetcoord.meetings.zones import host_zone
from meetcoord.planning.outcome import matrix_rows
from meetcoord.questions.queries import answered_for_meeting


def _role_name(meeting: Meeting, role: InviteeRole) -> str | None:
    """The (first) invitee with ``role``; "Nama (Jabatan)" when the position is known."""
    found: Invitation | None = next(
        (i for i in meeting.invitations if i.role == role and i.withdrawn_at is None), None
    )
    if found is None:
        return None
    person = found.person
    return f"{person.name} ({person.position})" if person.position else person.name


def _site_data(site: MeetingSite) -> SiteData:
    venue = site.venue
    address = join_place(venue.address, venue.city) or None
    return SiteData(venue.name, venue.timezone, address)


def _summary(part: AttendanceList) -> SiteAttendance:
    t = part.totals
    by_category = {
        CATEGORY_ID[StakeholderCategory(key)]: n for key, n in t.by_category.items() if n
    }
    return SiteAttendance(part.site_name, t.total, by_category, dict(t.by_gender))


def _tally_site(tally: DecisionTally) -> str:
    return tally.site.venue.name if tally.site is not None else ONLINE


def _decisions(meeting: Meeting, numbers: dict[int, int]) -> list[DecisionData]:
    rows = db.session.scalars(
        select(Decision)
        .where(Decision.meeting_id == meeting.id, Decision.withdrawn_at.is_(None))
        .options(
            selectinload(Decision.tallies)
            .selectinload(DecisionTally.site)
            .selectinload(MeetingSite.venue)
        )
        .order_by(Decision.number)
    )
    return [
        DecisionData(
            d.number,
            d.text,
            d.kind.value,
            numbers.get(d.agenda_item_id) if d.agenda_item_id else None,
            [
                TallyData(_tally_site(t), t.votes_for, t.votes_against, t.abstentions)
                for t in d.tallies
            ],
        )
        for d in rows
    ]


def _actions(meeting: Meeting, decision_numbers: dict[int, int]) -> list[ActionData]:
    rows = db.session.scalars(
        select(Action)
        .where(Action.meeting_id == meeting.id, Action.withdrawn_at.is_(None))
        .options(selectinload(Action.organization), selectinload(Action.person))
        .order_by(Action.id)
    )
    return [
        ActionData(
            a.title,
            a.organization.name,
            a.person.name if a.person else None,
            a.locus,
            a.due_on,
            decision_numbers.get(a.decision_id) if a.decision_id else None,
        )
        for a in rows
    ]


def _status(status: ActionStatus) -> str:
    """The tracker's label in Indonesian, whatever the reader's language: a formal record."""
    with force_locale("id"):
        return str(STATUS_LABELS[status])


def _review(meeting: Meeting) -> list[ReviewData]:
    """The action review's table (carry-over), empty for a meeting that follows none."""
    return [
        ReviewData(
            r.action.title,
            r.action.organization.name,
            r.action.due_on,
            _status(r.before),
            _status(r.after),
            r.note,
        )
        for r in review_rows(meeting)
    ]


def _withdrawn(meeting: Meeting) -> list[WithdrawnData]:
    """Withdrawn decisions (by number), then withdrawn actions, each with its reason."""
    decisions = db.session.scalars(
        select(Decision)
        .where(Decision.meeting_id == meeting.id, Decision.withdrawn_at.is_not(None))
        .order_by(Decision.number)
    )
    actions = db.session.scalars(
        select(Action)
        .where(Action.meeting_id == meeting.id, Action.withdrawn_at.is_not(None))
        .options(selectinload(Action.organization))
        .order_by(Action.id)
    )
    rows: list[tuple[str, Decision | Action, str, dict[str, Any]]] = [
        *(("decision", d, d.text, {"number": d.number}) for d in decisions),
        *(("action", a, a.title, {"agency": a.organization.name}) for a in actions),
    ]
    return [
        WithdrawnData(kind, text, r.withdrawn_reason or "", r.withdrawn_by or "", at, **extra)
        for kind, r, text, extra in rows
        if (at := r.withdrawn_at) is not None
    ]


def _questions(meeting: Meeting) -> dict[int, list[QuestionData]]:
    """The questions answered on each item (issue 15); the minutes are Indonesian."""
    out: dict[int, list[QuestionData]] = {}
    for row in answered_for_meeting(meeting.id, anonymous_label="Anonim"):
        out.setdefault(row["agenda_item_id"], []).append(
            QuestionData(row["text"], row["asker"], row["votes"], row["answer_note"])
        )
    return out


def minutes_data(
    meeting: Meeting,
    *,
    institution: str | None = None,
    address: str | None = None,
    logo: str | None = None,
) -> MinutesData:
    """The snapshot of ``meeting`` the minutes are composed from, on its institution's
    letterhead unless one is given."""
    head = letterhead_for(meeting)
    lists = attendance_lists(meeting)
    items = list(meeting.agenda)
    numbers = {item.id: n for n, item in enumerate(items, start=1)}
    notes = {
        note.agenda_item_id: note.text
        for note in db.session.scalars(
            select(ItemNote).where(ItemNote.agenda_item_id.in_(list(numbers)))
        )
    }
    decisions = _decisions(meeting, numbers)
    materials: dict[int, list[MaterialData]] = {}
    for row in material_rows(meeting.id):
        materials.setdefault(row["agenda_item_id"], []).append(
            MaterialData(row["filename"], row["kind"], row["size"])
        )
    decision_ids = dict(
        db.session.execute(
            select(Decision.id, Decision.number).where(Decision.meeting_id == meeting.id)
        ).all()
    )
    asked = _questions(meeting)
    sites = [_site_data(site) for site in meeting.sites]
    if lists.online.rows:
        sites.append(SiteData(ONLINE, host_zone(meeting), meeting.online_url, online=True))
    return MinutesData(
        institution=institution or head.name,
        address=address if address is not None else head.address,
        logo=logo if logo is not None else head.logo,
        title=meeting.title,
        kind=meeting.kind.value,
        start_at=meeting.start_at,
        end_at=meeting.end_at,
        host_zone=host_zone(meeting),
        sites=sites,
        purpose=meeting.purpose,
        chair=_role_name(meeting, InviteeRole.CHAIR),
        minute_taker=_role_name(meeting, InviteeRole.MINUTE_TAKER),
        attendance=[_summary(part) for part in lists.sites],
        quorum=document_note(meeting),
        agenda=[
            AgendaData(
                numbers[item.id],
                item.title,
                item.presenter,
                notes.get(item.id, ""),
                questions=asked.get(item.id, []),
                materials=materials.get(item.id, []),
            )
            for item in items
        ],
        decisions=decisions,
        actions=_actions(meeting, decision_ids),
        withdrawn=_withdrawn(meeting),
        review=_review(meeting),
        matrix=matrix_rows(meeting),
        attendees=[
            AttendeeData(
                name=row.name,
                organization=row.organization,
                position=row.position,
                site=row.site_name,
                time_in=row.time_in,
                gender_short=row.gender_short,
                category=row.category_label,
                stand_in=row.stand_in,
            )
            for row in lists.combined.rows
        ],
    )


def refresh_matrix(content: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """``content`` with the meeting's matrix as it stands now, for the moment a minutes
    or an agreement is frozen: the rows may have changed since the draft was taken, and
    from the freeze on they are locked (``planning.locks``), so the signed PDF prints
    exactly what was signed. A meeting without marks keeps its content as it was."""
    rows = matrix_rows(meeting)
    if not rows and "matrix" not in content:
        return content
    return {**content, "matrix": to_json(rows)}
