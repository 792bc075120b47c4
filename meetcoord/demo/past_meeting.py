"""A demo meeting already held: last week's stunting coordination, with draft minutes.

Forum BangKIT met on Tuesday of last week, 09.00–12.00 WITA, in Tambolaka with a linked
site at Yayasan BaKTI in Makassar. Everything goes through the services a real meeting
uses: the meeting is created, its agenda added and the forum invited (without mail, like
:mod:`meetcoord.demo.meetings`); the desk at the host venue checks people in; the chair and
the minute-taker run the live room through their invitations (open, notes, decisions
with a vote tallied at the host site, seven follow-up actions for six OPD, close); and the
secretariat starts the draft minutes from what the room recorded. Nothing is mailed and
the minutes stay a draft, so a demo user can edit, circulate, sign and distribute them.

Only the meeting's own times are last week's: the services stamp the live room's events,
the decisions and the minutes with the moment they are recorded, i.e. when the demo is
loaded. Attendance is the exception: the host desk "uploads" its scans with the time each
was made (``checkin.offline.upload_offline``, as a desk that was offline in Tambolaka
would), so the daftar hadir shows arrivals between 08.30 and 09.10 WITA that day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.accounts.models import User
from meetcoord.checkin import keys
from meetcoord.checkin.offline import upload_offline
from meetcoord.core.timezones import get_zone
from meetcoord.demo.meetings import forum_meeting, invitation_with
from meetcoord.directory.models import Forum, Organization
from meetcoord.documents import workflow
from meetcoord.documents.models import Document, DocumentKind
from meetcoord.extensions import db
from meetcoord.live import decisions
from meetcoord.live import services as live
from meetcoord.meetings.models import InviteeRole, Meeting

__all__ = [
    "SECRETARIAT_EMAIL",
    "TITLE",
    "find_past_meeting",
    "hold_past_meeting",
    "minutes_of",
    "start_draft",
]

# The Forum BangKIT secretariat (a demo login): it holds the meeting and starts the minutes.
SECRETARIAT_EMAIL = "bappeda.sbd@meetcoord.example"
TITLE = "Rapat Koordinasi Percepatan Penurunan Stunting Forum BangKIT"
ZONE = "Asia/Makassar"  # WITA, the host venue's zone
LINKED = "Kantor Yayasan BaKTI, Makassar"
PURPOSE = (
    "Menyelaraskan intervensi spesifik dan sensitif OPD anggota Forum BangKIT di desa "
    "binaan dan menetapkan desa lokus prioritas percepatan penurunan stunting tahun 2027."
)
AGENDA = (
    ("Pembukaan dan arahan Kepala Bappeda", 15, "presentation"),
    ("Capaian intervensi stunting di desa binaan triwulan III", 60, "discussion"),
    ("Penetapan desa lokus dan rencana aksi OPD tahun 2027", 75, "decision"),
)
NOTES = (
    "Dinas Kesehatan memaparkan hasil pengukuran e-PPGBM Agustus 2026: prevalensi stunting "
    "di desa binaan turun dari 27,4 persen menjadi 24,1 persen, tetapi Desa Karuni dan Desa "
    "Waimangura masih di atas 30 persen. Kehadiran balita di posyandu baru 71 persen karena "
    "jarak dan musim tanam. Camat Loura menyampaikan bahwa data sasaran by name by address "
    "dari desa belum sama dengan data Dinas Kesehatan. Yayasan BaKTI (dari Makassar) "
    "menawarkan pendampingan fasilitator kabupaten untuk pemutakhiran data di dua desa itu.",
    "Peserta membahas usulan dua desa lokus prioritas. Dinas Ketahanan Pangan mengusulkan "
    "kebun gizi keluarga berbahan pangan lokal (kelor, ubi, kacang hijau) bersama kader "
    "posyandu; DPMD mengingatkan bahwa kegiatan konvergensi stunting perlu masuk APBDes 2027 "
    "melalui musyawarah desa sebelum akhir tahun. Kepala Bidang Anggaran BPKAD meminta agar "
    "usulan OPD dicantumkan dalam Renja 2027 supaya dapat dianggarkan. Penetapan desa lokus "
    "diputuskan melalui pemungutan suara di lokasi Tambolaka.",
)
DATA_DECISION = (
    "Data sasaran stunting by name by address dari e-PPGBM menjadi rujukan tunggal "
    "intervensi OPD di desa binaan; Dinas Kesehatan memutakhirkannya setiap bulan bersama "
    "pemerintah desa."
)
LOCUS_DECISION = (
    "Desa Karuni (Kecamatan Loura) dan Desa Waimangura (Kecamatan Wewewa Barat) ditetapkan "
    "sebagai desa lokus prioritas percepatan penurunan stunting tahun 2027."
)
PLAN_DECISION = (
    "Setiap OPD anggota Forum BangKIT mencantumkan kegiatan konvergensi stunting di desa "
    "lokus dalam Renja 2027 dan melaporkan kemajuannya pada rapat forum triwulan berikutnya."
)
LOCUS_TALLY = {"for": 15, "against": 1, "abstain": 2}
ACTIONS = (
    (
        "Memberikan makanan tambahan berbahan pangan lokal bagi balita gizi kurang dan ibu "
        "hamil KEK selama 90 hari",
        "Dinas Kesehatan Kabupaten Sumba Barat Daya",
        "Desa Karuni, Kecamatan Loura",
        30,
    ),
    (
        "Membangun kebun gizi keluarga bersama kader posyandu dan kelompok wanita tani",
        "Dinas Ketahanan Pangan Kabupaten Sumba Barat Daya",
        "Desa Waimangura, Kecamatan Wewewa Barat",
        45,
    ),
    (
        "Mendampingi musyawarah desa agar kegiatan konvergensi stunting masuk APBDes 2027",
        "Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Sumba Barat Daya",
        "Desa Karuni dan Desa Waimangura",
        3,
    ),
    (
        "Menghimpun usulan kegiatan konvergensi stunting OPD untuk Renja 2027",
        "Badan Perencanaan Pembangunan Daerah Kabupaten Sumba Barat Daya",
        "Kabupaten Sumba Barat Daya",
        4,
    ),
    (
        "Menyerahkan data sasaran balita by name by address Desa Karuni kepada Dinas Kesehatan",
        "Kecamatan Loura Kabupaten Sumba Barat Daya",
        "Desa Karuni, Kecamatan Loura",
        5,
    ),
    (
        "Mengirim bahan paparan capaian intervensi stunting triwulan III ke sekretariat forum",
        "Dinas Kesehatan Kabupaten Sumba Barat Daya",
        "Kabupaten Sumba Barat Daya",
        2,
    ),
    (
        "Menggelar lomba balita sehat tingkat kecamatan",
        "Kecamatan Wewewa Barat Kabupaten Sumba Barat Daya",
        "Kecamatan Wewewa Barat",
        20,
    ),
)
# Members who sent apologies (by their place among the invitations): 18 of 24 came.
ABSENT = {4, 9, 13, 16, 19, 22}


def find_past_meeting() -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.title == TITLE))


def minutes_of(meeting: Meeting) -> Document | None:
    return db.session.scalar(
        select(Document).where(
            Document.meeting_id == meeting.id, Document.kind == DocumentKind.MINUTES
        )
    )


def meeting_day(today: date | None = None) -> date:
    """Tuesday of last week (WITA)."""
    today = today or datetime.now(get_zone(ZONE)).date()
    return today - timedelta(days=today.weekday() + 6)


def hold_past_meeting(staff: User, forum: Forum) -> Meeting:
    """Create, attend, run and close the meeting; ``staff`` is the secretariat."""
    day = meeting_day()
    meeting = _schedule(staff, forum, day)
    _check_in(staff, meeting, day)
    _run(meeting, day)
    db.session.refresh(meeting)
    return meeting


def start_draft(staff: User, meeting: Meeting) -> Document:
    """The secretariat composes the draft minutes from the room's record (no mail)."""
    return workflow.start_minutes(Actor(user=staff), meeting)


def _schedule(staff: User, forum: Forum, day: date) -> Meeting:
    return forum_meeting(
        staff,
        forum,
        title=TITLE,
        purpose=PURPOSE,
        start=datetime.combine(day, time(9, 0)),
        linked=[LINKED],
        agenda_rows=AGENDA,
    )


def _check_in(staff: User, meeting: Meeting, day: date) -> None:
    """The host desk's scans, uploaded with the time each was made."""
    site = meeting.sites[0]
    first = datetime.combine(day, time(8, 30), tzinfo=get_zone(ZONE))
    invited = sorted(meeting.invitations, key=lambda inv: inv.id)
    present = [inv for n, inv in enumerate(invited) if n not in ABSENT]
    scans = [
        {
            "credential": keys.credential_for(inv),
            "nonce": f"demo-past-{meeting.id}-{inv.id}",
            "scanned_at": (first + timedelta(minutes=2 * n)).isoformat(),
        }
        for n, inv in enumerate(present)
    ]
    upload_offline(Actor(user=staff), site, scans)


def _org_id(name: str) -> int:
    org = db.session.scalar(select(Organization).where(Organization.name == name))
    assert org is not None, name
    return org.id


def _member_of(meeting: Meeting, org_id: int) -> int | None:
    """The first invitee from this organization: the action's contact person."""
    return next(
        (i.person_id for i in meeting.invitations if i.person.organization_id == org_id), None
    )


def _run(meeting: Meeting, day: date) -> None:
    chair_inv = invitation_with(meeting, InviteeRole.CHAIR)
    taker_inv = invitation_with(meeting, InviteeRole.MINUTE_TAKER)
    assert chair_inv is not None
    assert taker_inv is not None
    chair, taker = Actor(invitation=chair_inv), Actor(invitation=taker_inv)
    items = [item.id for item in meeting.agenda]
    host = meeting.sites[0].id
    mid = meeting.id

    live.open_meeting(chair, mid)
    live.activate_item(chair, mid, items[0])
    live.activate_item(chair, mid, items[1])
    decisions.save_notes(taker, mid, {"item_id": items[1], "text": NOTES[0], "base_version": 0})
    decisions.record_decision(taker, mid, {"text": DATA_DECISION, "kind": "consensus"})
    live.activate_item(chair, mid, items[2])
    decisions.save_notes(taker, mid, {"item_id": items[2], "text": NOTES[1], "base_version": 0})
    _seq, locus_id = decisions.record_decision(
        taker,
        mid,
        {"text": LOCUS_DECISION, "kind": "vote", "tallies": [{"site_id": host, **LOCUS_TALLY}]},
    )
    decisions.record_decision(taker, mid, {"text": PLAN_DECISION, "kind": "consensus"})
    for title, agency, locus, days in ACTIONS:
        org_id = _org_id(agency)
        decisions.create_action(
            taker,
            mid,
            {
                "decision_id": locus_id,
                "title": title,
                "organization_id": org_id,
                "person_id": _member_of(meeting, org_id),
                "locus": locus,
                "due_on": day + timedelta(days=days),
            },
        )
    live.close_meeting(chair, mid)
