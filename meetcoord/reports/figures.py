"""The figures of a forum's or a series' dashboard, each one aggregate SQL.

A province-year holds 2,000 meetings, 60,000 invitations and 10,000 actions: every figure
here is a ``GROUP BY`` the database answers over indexed columns (meeting, person,
status), and no row is loaded as an object. What a reader sees is what
``access.scope.owned_by_reach`` keeps of the meetings, as in the tracker: a forum shared
by two institutions shows each only its own meetings.

A forum's meetings are those with its ``forum_id`` or of a series of the forum. Actions
count from every meeting (withdrawn ones were struck out and are not followed up);
attendance counts only meetings that have begun and were not cancelled, so a meeting next
week does not make every agency "absent".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from meetcoord.access import scope
from meetcoord.actions.models import Action, ActionStatus
from meetcoord.actions.queries import PENDING, today
from meetcoord.checkin.breakdown import province_counts, province_rows
from meetcoord.checkin.models import Attendance
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound
from meetcoord.directory.models import Gender, Organization, Person, StakeholderCategory, Venue
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite, MeetingStatus, Series

STATUSES = [s.value for s in ActionStatus]
CATEGORIES = [c.value for c in StakeholderCategory]
GENDERS = [g.value for g in Gender] + ["unknown"]
RECENT = 50  # meetings offered for the per-meeting breakdown (newest first)


@dataclass
class ActionCounts:
    """Actions of one group (everything, an agency, a locus) by status, and overdue."""

    key: Any
    name: str
    total: int = 0
    overdue: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))


@dataclass
class AgencyAttendance:
    """One agency across the held meetings it was invited to (counted per meeting: an
    agency that sent two people to one meeting attended that meeting once)."""

    organization_id: int | None
    name: str
    invited: int
    attended: int
    stand_in: int  # attended only through a stand-in (diwakili)
    absent: int
    rate: float | None  # attended / invited, in percent


@dataclass
class SiteAttendance:
    site_id: int | None  # None: online
    name: str
    invited: int
    attended: int


@dataclass
class MeetingAttendance:
    """One meeting: its attendance by site, stakeholder category and gender, and the
    category × gender cross-table of the Musrenbang reports (``cross[category][gender]``)."""

    meeting_id: int
    title: str
    start_at: datetime
    invited: int
    attended: int
    by_site: list[SiteAttendance]
    by_category: dict[str, int]
    by_gender: dict[str, int]
    cross: dict[str, dict[str, int]]
    by_mode: dict[str, int] = field(default_factory=dict)  # "site", "online"
    by_province: list[dict[str, Any]] = field(default_factory=list)  # checkin.breakdown


@dataclass
class MeetingRef:
    id: int
    title: str
    start_at: datetime
    invited: int = 0
    attended: int = 0


@dataclass
class Dashboard:
    kind: str  # "forum" or "series"
    id: int
    title: str
    institution_id: int
    meetings: int  # every meeting the reader sees
    held: int  # begun and not cancelled: the attendance figures' base
    first_at: datetime | None
    last_at: datetime | None
    actions: ActionCounts
    by_agency: list[ActionCounts]
    by_locus: list[ActionCounts]
    attendance: list[AgencyAttendance]
    recent: list[MeetingRef]
    meeting: MeetingAttendance | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _scope(user: Any, owner: ColumnElement[bool]) -> ColumnElement[bool]:
    """``owner`` (the forum's or series' meetings) kept to what ``user`` sees.

    The same rule as ``access.scope.owned_by_reach``, with the institution columns wrapped
    in an expression so no index serves them: the planner then starts from the forum's
    meeting ids (a few hundred) instead of every meeting of the reader's institution.
    """
    reach = scope.reach_of(user)
    if reach.everything:
        return owner
    if not reach.seen:
        return false()
    ids = sorted(reach.seen)
    return and_(
        owner,
        or_(
            func.coalesce(Meeting.institution_id, 0).in_(ids),
            func.coalesce(Meeting.cohost_institution_id, 0).in_(ids),
        ),
    )


def forum_meetings(forum_id: int) -> ColumnElement[bool]:
    """A forum's meetings: its own, and those of its series.

    Written as an id set the database reads first (through the forum and series indexes):
    as a plain ``OR`` beside the reader's institutions, SQLite drove the query from the
    institution index instead and read every meeting of a province-year.
    """
    own = select(Meeting.id).where(Meeting.forum_id == forum_id)
    of_series = (
        select(Meeting.id)
        .join(Series, Series.id == Meeting.series_id)
        .where(Series.forum_id == forum_id)
    )
    return Meeting.id.in_(own.union(of_series))


def series_meetings(series_id: int) -> ColumnElement[bool]:
    """A series' meetings, as an id set read first (see :func:`forum_meetings`)."""
    return Meeting.id.in_(select(Meeting.id).where(Meeting.series_id == series_id))


def _held(where: ColumnElement[bool]) -> ColumnElement[bool]:
    return and_(where, Meeting.status != MeetingStatus.CANCELLED, Meeting.start_at <= utcnow())


def _status_columns() -> list[Any]:
    overdue = and_(Action.due_on < today(), Action.status.in_(PENDING))
    return [
        func.count(Action.id),
        func.sum(case((overdue, 1), else_=0)),
        *(func.sum(case((Action.status == s, 1), else_=0)) for s in ActionStatus),
    ]


def _counts(key: Any, name: str, row: Any) -> ActionCounts:
    total, overdue, *per = row
    return ActionCounts(
        key,
        name,
        int(total or 0),
        int(overdue or 0),
        dict(zip(STATUSES, (int(n or 0) for n in per), strict=True)),
    )


def _actions(where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(*_status_columns())
        .select_from(Action)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(where, Action.withdrawn_at.is_(None))
    )


def action_figures(
    where: ColumnElement[bool],
) -> tuple[ActionCounts, list[ActionCounts], list[ActionCounts]]:
    """All actions, then per agency (most overdue first) and per locus."""
    every = _counts(None, "", db.session.execute(_actions(where)).one())
    agency_rows = db.session.execute(
        _actions(where)
        .add_columns(Action.organization_id, Organization.name)
        .join(Organization, Organization.id == Action.organization_id)
        .group_by(Action.organization_id, Organization.name)
    ).all()
    agencies = [_counts(row[-2], row[-1], row[:-2]) for row in agency_rows]
    agencies.sort(key=lambda c: (-c.overdue, -c.total, c.name))
    locus_rows = db.session.execute(
        _actions(where).add_columns(Action.locus).group_by(Action.locus)
    ).all()
    loci = [_counts(row[-1], row[-1] or "", row[:-1]) for row in locus_rows]
    loci.sort(key=lambda c: (c.key is None, -c.overdue, -c.total, c.name))
    return every, agencies, loci


def agency_attendance(where: ColumnElement[bool]) -> list[AgencyAttendance]:
    """Invited, attended, stand-in and absent per agency; the lowest rate first, so the
    agencies that keep missing meetings head the list."""
    came = Attendance.id.is_not(None)
    stand_in = func.nullif(func.coalesce(Attendance.stand_in_name, Invitation.stand_in_name), "")
    per_meeting = (
        select(
            Person.organization_id.label("org"),
            func.max(case((came, 1), else_=0)).label("came"),
            func.max(case((and_(came, stand_in.is_(None)), 1), else_=0)).label("self"),
        )
        .select_from(Invitation)
        .join(Meeting, Meeting.id == Invitation.meeting_id)
        .join(Person, Person.id == Invitation.person_id)
        .outerjoin(
            Attendance,
            and_(
                Attendance.meeting_id == Invitation.meeting_id,
                Attendance.person_id == Invitation.person_id,
            ),
        )
        .where(_held(where), Invitation.withdrawn_at.is_(None))
        .group_by(Person.organization_id, Invitation.meeting_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            per_meeting.c.org,
            Organization.name,
            func.count(),
            func.sum(per_meeting.c.came),
            func.sum(case((and_(per_meeting.c.came == 1, per_meeting.c.self == 0), 1), else_=0)),
        )
        .select_from(per_meeting)
        .outerjoin(Organization, Organization.id == per_meeting.c.org)
        .group_by(per_meeting.c.org, Organization.name)
    ).all()
    found = []
    for org, name, invited, attended, stand_ins in rows:
        invited, attended = int(invited), int(attended or 0)
        found.append(
            AgencyAttendance(
                org,
                name or "",
                invited,
                attended,
                int(stand_ins or 0),
                invited - attended,
                round(100.0 * attended / invited, 1) if invited else None,
            )
        )
    found.sort(key=lambda a: (a.rate if a.rate is not None else 101.0, -a.absent, a.name))
    return found


def recent_meetings(where: ColumnElement[bool]) -> list[MeetingRef]:
    """The newest held meetings with their invited and attended counts (two GROUP BYs)."""
    refs = [
        MeetingRef(row.id, row.title, row.start_at)
        for row in db.session.execute(
            select(Meeting.id, Meeting.title, Meeting.start_at)
            .where(_held(where))
            .order_by(Meeting.start_at.desc(), Meeting.id.desc())
            .limit(RECENT)
        )
    ]
    ids = [ref.id for ref in refs]
    if not ids:
        return refs
    invited = dict(
        db.session.execute(
            select(Invitation.meeting_id, func.count())
            .where(Invitation.meeting_id.in_(ids), Invitation.withdrawn_at.is_(None))
            .group_by(Invitation.meeting_id)
        ).all()
    )
    attended = dict(
        db.session.execute(
            select(Attendance.meeting_id, func.count())
            .where(Attendance.meeting_id.in_(ids))
            .group_by(Attendance.meeting_id)
        ).all()
    )
    for ref in refs:
        ref.invited, ref.attended = int(invited.get(ref.id, 0)), int(attended.get(ref.id, 0))
    return refs


def meeting_attendance(ref: MeetingRef, online: str, language: str = "id") -> MeetingAttendance:
    """One meeting's breakdown; ``online`` names the online "site", ``language`` the
    unknown province."""
    mid = ref.id
    invited = dict(
        db.session.execute(
            select(Invitation.site_id, func.count())
            .where(Invitation.meeting_id == mid, Invitation.withdrawn_at.is_(None))
            .group_by(Invitation.site_id)
        ).all()
    )
    attended = dict(
        db.session.execute(
            select(Attendance.site_id, func.count())
            .where(Attendance.meeting_id == mid)
            .group_by(Attendance.site_id)
        ).all()
    )
    sites = [
        SiteAttendance(row.id, row.name, int(invited.get(row.id, 0)), int(attended.get(row.id, 0)))
        for row in db.session.execute(
            select(MeetingSite.id, Venue.name)
            .join(Venue, Venue.id == MeetingSite.venue_id)
            .where(MeetingSite.meeting_id == mid)
            .order_by(MeetingSite.id)
        )
    ]
    if invited.get(None) or attended.get(None):
        sites.append(
            SiteAttendance(None, online, int(invited.get(None, 0)), int(attended.get(None, 0)))
        )
    cross = {c: dict.fromkeys(GENDERS, 0) for c in CATEGORIES}
    for category, gender, n in db.session.execute(
        select(Person.category, Person.gender, func.count())
        .select_from(Attendance)
        .join(Person, Person.id == Attendance.person_id)
        .where(Attendance.meeting_id == mid)
        .group_by(Person.category, Person.gender)
    ):
        key = getattr(category, "value", category)
        cross.setdefault(key, dict.fromkeys(GENDERS, 0))
        cross[key][getattr(gender, "value", gender) or "unknown"] += int(n)
    return MeetingAttendance(
        mid,
        ref.title,
        ref.start_at,
        int(sum(invited.values())),
        int(sum(attended.values())),
        sites,
        {c: sum(row.values()) for c, row in cross.items()},
        {g: sum(row[g] for row in cross.values()) for g in GENDERS},
        cross,
        {
            "site": int(sum(n for site, n in attended.items() if site is not None)),
            "online": int(attended.get(None, 0)),
        },
        province_rows(province_counts(mid), language),
    )


def build(
    user: Any,
    *,
    kind: str,
    obj: Any,
    owner: ColumnElement[bool],
    meeting_id: int | None,
    online: str,
    not_in_set: Any,
    language: str = "id",
) -> Dashboard:
    """Every figure of one forum or series, for ``user``; ``meeting_id`` picks the meeting
    broken down (default: the newest held one). A meeting outside this set is not found."""
    where = _scope(user, owner)
    count, first_at, last_at = db.session.execute(
        select(
            func.count(Meeting.id), func.min(Meeting.start_at), func.max(Meeting.start_at)
        ).where(where, Meeting.status != MeetingStatus.CANCELLED)
    ).one()
    held = db.session.scalar(select(func.count(Meeting.id)).where(_held(where))) or 0
    every, agencies, loci = action_figures(where)
    recent = recent_meetings(where)
    chosen: MeetingRef | None = recent[0] if recent else None
    if meeting_id is not None:
        chosen = next((ref for ref in recent if ref.id == meeting_id), None)
        if chosen is None:
            row = db.session.execute(
                select(Meeting.id, Meeting.title, Meeting.start_at).where(
                    _held(where), Meeting.id == meeting_id
                )
            ).first()
            if row is None:
                raise NotFound(not_in_set)
            chosen = MeetingRef(row.id, row.title, row.start_at)
    return Dashboard(
        kind=kind,
        id=obj.id,
        title=getattr(obj, "name", None) or obj.title,
        institution_id=obj.institution_id,
        meetings=int(count or 0),
        held=int(held),
        first_at=first_at,
        last_at=last_at,
        actions=every,
        by_agency=agencies,
        by_locus=loci,
        attendance=agency_attendance(where),
        recent=recent,
        meeting=meeting_attendance(chosen, online, language) if chosen is not None else None,
    )
