"""Rows for tests, written straight to the session (no audit, no permission checks).

Use the services when the test is about the rule; use these when a test only needs data.
A meeting, its sites and its invitations are the exception: they are made through the
services (as their editor), because their derived columns — site codes, the host site,
the signing salt, times read in the host venue's zone, the owning institution, invitation
tokens — are the services' job, and a copy of it here would drift.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from meetcoord.access.institutions import member_role_for
from meetcoord.access.models import Institution, MemberRole, Membership
from meetcoord.accounts.models import Role, User
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.core.db import utcnow
from meetcoord.directory.models import (
    Forum,
    ForumMember,
    ForumRole,
    Gender,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    StakeholderCategory,
    Venue,
)
from meetcoord.documents.models import Document, DocumentKind
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite

_seq = itertools.count(1)
PASSWORD = "rahasia-uji-123"


def _add(obj: Any) -> Any:
    db.session.add(obj)
    db.session.flush()
    return obj


def default_institution() -> Institution:
    """The institution the migrations created from the test settings (the first one)."""
    return db.session.scalars(select(Institution).order_by(Institution.id)).first()


def institution(**fields: Any) -> Institution:
    n = next(_seq)
    fields.setdefault("name", f"Bappeda Kabupaten Uji {n}")
    fields.setdefault("letter_number_pattern", f"{n}/{{seq}}/UJI/{{year}}")
    return _add(Institution(**fields))


def membership(account: User, inst: Institution, role: MemberRole | str) -> Membership:
    return _add(Membership(user_id=account.id, institution_id=inst.id, role=MemberRole(role)))


def user(
    role: Role | str = Role.SECRETARIAT,
    *,
    institution: Institution | None = None,
    member: bool = True,
    **fields: Any,
) -> User:
    """A staff account, member of ``institution`` (the default one) with its own role,
    unless ``member`` is False."""
    n = next(_seq)
    account = User(
        email=fields.pop("email", f"staf{n}@bappeda.example.go.id"),
        name=fields.pop("name", f"Staf Sekretariat {n}"),
        role=Role(role),
        **fields,
    )
    account.set_password(PASSWORD)
    _add(account)
    if member:
        membership(
            account, institution or default_institution(), member_role_for(account.role.value)
        )
    return account


def organization(**fields: Any) -> Organization:
    n = next(_seq)
    fields.setdefault("name", f"Dinas Pertanian Kabupaten Uji {n}")
    fields.setdefault("kind", OrgKind.OPD)
    fields.setdefault("level", OrgLevel.REGENCY)
    return _add(Organization(**fields))


def person(**fields: Any) -> Person:
    n = next(_seq)
    fields.setdefault("name", f"Yohanes Bili {n}")
    fields.setdefault("category", StakeholderCategory.GOVERNMENT)
    fields.setdefault("gender", Gender.MALE)
    fields.setdefault("email", f"peserta{n}@example.go.id")
    return _add(Person(**fields))


def forum(members: int = 0, **fields: Any) -> Forum:
    n = next(_seq)
    fields.setdefault("name", f"Forum Koordinasi Uji {n}")
    fields.setdefault("decree_number", f"{n}/KEP/HK/2023")
    if "institution" not in fields:
        fields.setdefault("institution_id", default_institution().id)
    created = _add(Forum(**fields))
    for _ in range(members):
        _add(ForumMember(forum=created, person=person(), role=ForumRole.MEMBER))
    return created


def venue(**fields: Any) -> Venue:
    n = next(_seq)
    fields.setdefault("name", f"Aula Bappeda Uji {n}")
    fields.setdefault("timezone", "Asia/Makassar")
    fields.setdefault("capacity", 60)
    return _add(Venue(**fields))


def meeting_times(
    zone: str = "Asia/Makassar", *, starts_in: timedelta = timedelta(minutes=30), hours: int = 3
) -> dict[str, str]:
    """``start_at``/``end_at`` as typed at a host venue in ``zone``, for a meeting whose
    check-in is open now: it starts ``starts_in`` from now (negative: already started),
    and check-in opens two hours ahead by default (meetings.windows)."""
    from meetcoord.core.timezones import to_zone

    start = to_zone(datetime.now(UTC) + starts_in, zone).replace(second=0, microsecond=0)
    end = start + timedelta(hours=hours)
    return {"start_at": f"{start:%Y-%m-%dT%H:%M}", "end_at": f"{end:%Y-%m-%dT%H:%M}"}


def attendance(
    invitation: Invitation | None = None, *, at: datetime | None = None, **fields: Any
) -> Attendance:
    """An attendance row (a list's data or a party who was there, not a check-in rule):
    of ``invitation`` at its site, or of ``meeting_id=``/``person_id=`` given in ``fields``;
    checked in by hand, now, unless ``at``/``method`` say otherwise."""
    if invitation is not None:
        fields.setdefault("meeting_id", invitation.meeting_id)
        fields.setdefault("person_id", invitation.person_id)
        fields.setdefault("invitation_id", invitation.id)
        fields.setdefault("site_id", invitation.site_id)
    fields.setdefault("method", CheckinMethod.MANUAL)
    return _add(Attendance(checked_in_at=at or utcnow(), **fields))


def meeting(
    *,
    by: User | None = None,
    venue: Venue | None = None,
    sites: list[Venue] | tuple[Venue, ...] = (),
    title: str | None = None,
    kind: str = "coordination",
    **fields: Any,
) -> Meeting:
    """A draft meeting at ``venue`` (a new WITA venue) with one more site per ``sites``.

    Made by ``by`` (a new secretariat account of the default institution, which then
    owns it); check-in is open now unless ``start_at``/``end_at`` are given. Invite with
    :func:`invitation`, then :func:`schedule` when the test needs it scheduled.
    """
    editor = by or user(Role.SECRETARIAT)
    host = _new_venue() if venue is None else venue
    data: dict[str, Any] = {
        "title": title or f"Rakor Forum BangKIT {next(_seq)}",
        "kind": kind,
        "host_venue_id": host.id,
        **fields,
    }
    if "start_at" not in data:
        data.update(meeting_times(host.timezone))
    from meetcoord.meetings import services

    created = services.create_meeting(editor, data)
    for extra in sites:
        site(created, venue=extra)
    return created


def site(meeting: Meeting, *, venue: Venue | None = None, **fields: Any) -> MeetingSite:
    """One more site of ``meeting`` at ``venue`` (a new WITA venue), added by its editor."""
    from meetcoord.meetings import services

    place = _new_venue() if venue is None else venue
    return services.add_site(meeting.created_by, meeting, {"venue_id": place.id, **fields})


def invitation(
    meeting: Meeting,
    *,
    person: Person | None = None,
    role: str = "participant",
    site: MeetingSite | None = None,
    online: bool = False,
) -> Invitation:
    """``person`` (a new one with an organization) invited to ``site``.

    The site defaults to the host site; ``online=True`` invites to no site (online).
    """
    from meetcoord.meetings import invitations as invites

    guest = person or _new_person(organization=organization())
    where = None if online else (site or meeting.sites[0])
    invites.invite(
        meeting.created_by,
        meeting,
        {"person_ids": [guest.id], "role": role, "site_id": where.id if where else None},
    )
    return next(i for i in meeting.invitations if i.person_id == guest.id)


def schedule(meeting: Meeting) -> Meeting:
    """Draft → scheduled (every invitation goes out), by the meeting's editor."""
    from meetcoord.meetings import services

    return services.schedule_meeting(meeting.created_by, meeting)


def document(
    meeting: Meeting, *, kind: DocumentKind | str = DocumentKind.MINUTES, **fields: Any
) -> Document:
    """A draft document of ``meeting`` (minutes by default), owned by its institution."""
    fields.setdefault("title", f"Notulen {meeting.title}")
    fields.setdefault("content", {})
    fields.setdefault("institution_id", meeting.institution_id)
    fields.setdefault("created_by_id", meeting.created_by_id)
    return _add(Document(meeting_id=meeting.id, kind=DocumentKind(kind), **fields))


# The factories above under names their keyword arguments (``venue=``, ``person=``) do not hide.
_new_venue, _new_person = venue, person
