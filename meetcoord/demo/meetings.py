"""A demo meeting to run live: Forum BangKIT's quarterly coordination over three sites.

Hosted in Tambolaka (WITA) with linked sites at Yayasan BaKTI in Makassar (WITA) and at
Bappenas in Jakarta (WIB), today, starting within a quarter of an hour of loading the demo:
check-in and the live room open two hours ahead (meetings.windows), so both can be tried
at once. It is scheduled without mailing its invitations: demo addresses lead nowhere, and
`make run` would print two dozen messages; `meetcoord demo logins` prints the chair's
console and a participant's phone links instead.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    now = datetime.now(get_zone("Asia/Makassar")).replace(second=0, microsecond=0, tzinfo=None)
    start = now + timedelta(minutes=15)
    start -= timedelta(minutes=start.minute % 15)  # the next quarter hour
    return forum_meeting(
        actor,
        forum,
        title=TITLE,
        purpose="Menyepakati rencana aksi OPD untuk desa binaan program BangKIT.",
        start=start,
        linked=LINKED,
        agenda_rows=AGENDA,
    )


def forum_meeting(
    actor: User,
    forum: Forum,
    *,
    title: str,
    purpose: str,
    start: datetime,
    linked: Sequence[str],
    agenda_rows: Sequence[tuple[str, int, str]],
) -> Meeting:
    """A forum's three-hour meeting from ``start`` (wall clock, WITA) at the Tambolaka hall,
    every member invited there (the forum's chair and secretary as chair and minute-taker),
    marked scheduled unmailed."""
    venues = {v.name: v for v in db.session.scalars(select(Venue))}
    meeting = services.create_meeting(
        actor,
        {
            "title": title,
            "kind": "coordination",
            "purpose": purpose,
            "host_venue_id": venues[HOST].id,
            "forum_id": forum.id,
            "institution_id": forum.institution_id,  # the forum's secretariat's
            "start_at": f"{start:%Y-%m-%dT%H:%M}",
            "end_at": f"{start + timedelta(hours=3):%Y-%m-%dT%H:%M}",
        },
    )
    for name in linked:
        services.add_site(actor, meeting, {"venue_id": venues[name].id})
    for item_title, minutes, kind in agenda_rows:
        agenda.add_agenda_item(
            actor, meeting, {"title": item_title, "planned_minutes": minutes, "kind": kind}
        )
    host = meeting.sites[0].id
    roles = {ForumRole.CHAIR: InviteeRole.CHAIR, ForumRole.SECRETARY: InviteeRole.MINUTE_TAKER}
    for member in forum.members:
        role = roles.get(member.role, InviteeRole.PARTICIPANT)
        invitations.invite(
            actor, meeting, {"person_ids": [member.person_id], "role": role.value, "site_id": host}
        )
    meeting.status = MeetingStatus.SCHEDULED  # not services.schedule_meeting: no mail
    audit.record(actor, "schedule", meeting, f"demo meeting scheduled (not mailed): {title}")
    services.commit()
    return meeting


def invitation_with(meeting: Meeting, role: InviteeRole) -> Invitation | None:
    return next((i for i in meeting.invitations if i.role is role), None)


# The NTB synchronisation (seed 002): BAPPEDA NTB hosts in Mataram, BAPPEDA Lombok Timur
# co-hosts from Selong, so both secretariats work on it (a draft, for the demo to finish).
SYNC_TITLE = (
    "Sinkronisasi Perencanaan Partisipatif dengan Hasil Musrenbang Kabupaten Lombok Timur "
    "dan Provinsi Nusa Tenggara Barat"
)
SYNC_HOST = "Ruang Rapat BAPPEDA Provinsi NTB, Mataram"
SYNC_LINKED = "Ruang Rapat BAPPEDA Kabupaten Lombok Timur, Selong"
SYNC_AGENDA = (
    ("Pembukaan dan arahan Kepala BAPPEDA Provinsi NTB", 15, "presentation"),
    ("Paparan program kerja HIMASPI hasil semiloka", 45, "presentation"),
    ("Penelusuran usulan dalam dokumen perencanaan kabupaten dan provinsi", 90, "discussion"),
)


def find_cohosted_meeting() -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.title == SYNC_TITLE))


def create_cohosted_meeting(actor: User, owner_id: int, cohost_id: int) -> Meeting:
    """Next week's Tuesday, 09.00-12.00 WITA, in Mataram with Selong linked."""
    today = datetime.now(get_zone("Asia/Makassar")).date()
    tuesday = today + timedelta(days=7 + (1 - today.weekday()) % 7)
    start = datetime.combine(tuesday, datetime.min.time()).replace(hour=9)
    venues = {v.name: v for v in db.session.scalars(select(Venue))}
    meeting = services.create_meeting(
        actor,
        {
            "title": SYNC_TITLE,
            "kind": "musrenbang_sync",
            "purpose": (
                "Mengidentifikasi kegiatan HIMASPI yang sudah terakomodasi dalam dokumen "
                "perencanaan pembangunan Kabupaten Lombok Timur dan Provinsi NTB."
            ),
            "host_venue_id": venues[SYNC_HOST].id,
            "institution_id": owner_id,
            "cohost_institution_id": cohost_id,
            "start_at": f"{start:%Y-%m-%dT%H:%M}",
            "end_at": f"{start + timedelta(hours=3):%Y-%m-%dT%H:%M}",
        },
    )
    services.add_site(actor, meeting, {"venue_id": venues[SYNC_LINKED].id})
    for item_title, minutes, kind in SYNC_AGENDA:
        agenda.add_agenda_item(
            actor, meeting, {"title": item_title, "planned_minutes": minutes, "kind": kind}
        )
    return meeting
