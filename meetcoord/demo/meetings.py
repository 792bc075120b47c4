"""A demo meeting to run live: Forum BangKIT's quarterly coordination over three sites.

Hosted in Tambolaka (WITA) with linked sites at Yayasan BaKTI in Makassar (WITA) and at
Bappenas in Jakarta (WIB), next Monday at 09.00 WITA. It is scheduled without mailing its
invitations: demo addresses lead nowhere, and `make run` would print two dozen messages;
`meetcoord demo logins` prints the chair's console and a participant's phone links instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.timezones import get_zone
from meetcoord.directory.models import Forum, ForumRole, Venue
from meetcoord.extensions import db
from meetcoord.meetings import agenda, invitations, services
from meetcoord.meetings.models import Invitation, InviteeRole, Meeting, MeetingStatus

TITLE = "Rapat Koordinasi Triwulan Forum BangKIT"
HOST = "Aula Bappeda Sumba Barat Daya, Tambolaka"
LINKED = ("Kantor Yayasan BaKTI, Makassar", "Ruang Rapat Bappenas, Jakarta")
AGENDA = (
    ("Pembukaan dan arahan Kepala Bappeda", 15, "presentation"),
    ("Capaian program penghidupan inklusif triwulan III", 45, "discussion"),
    ("Rencana aksi OPD di desa binaan", 60, "decision"),
)


def find_demo_meeting() -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.title == TITLE))


def create_demo_meeting(actor: User, forum: Forum) -> Meeting:
    venues = {v.name: v for v in db.session.scalars(select(Venue))}
    today = datetime.now(get_zone("Asia/Makassar")).date()
    monday = today + timedelta(days=7 - today.weekday())
    meeting = services.create_meeting(
        actor,
        {
            "title": TITLE,
            "kind": "coordination",
            "purpose": "Menyepakati rencana aksi OPD untuk desa binaan program BangKIT.",
            "host_venue_id": venues[HOST].id,
            "forum_id": forum.id,
            "start_at": f"{monday.isoformat()}T09:00",
            "end_at": f"{monday.isoformat()}T12:00",
        },
    )
    for name in LINKED:
        services.add_site(actor, meeting, {"venue_id": venues[name].id})
    for title, minutes, kind in AGENDA:
        agenda.add_agenda_item(
            actor, meeting, {"title": title, "planned_minutes": minutes, "kind": kind}
        )
    host = meeting.sites[0].id
    roles = {ForumRole.CHAIR: InviteeRole.CHAIR, ForumRole.SECRETARY: InviteeRole.MINUTE_TAKER}
    for member in forum.members:
        role = roles.get(member.role, InviteeRole.PARTICIPANT)
        invitations.invite(
            actor, meeting, {"person_ids": [member.person_id], "role": role.value, "site_id": host}
        )
    meeting.status = MeetingStatus.SCHEDULED  # not services.schedule_meeting: no mail
    audit.record(actor, "schedule", meeting, f"demo meeting scheduled (not mailed): {TITLE}")
    services.commit()
    return meeting


def invitation_with(meeting: Meeting, role: InviteeRole) -> Invitation | None:
    return next((i for i in meeting.invitations if i.role is role), None)
