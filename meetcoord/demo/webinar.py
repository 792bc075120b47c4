"""A demo webinar already held, with its final event report (seed 004, issue 15).

Bappenas' "Webinar Knowledge Sharing Pembangunan Daerah": the Deputi for Monitoring,
Evaluation and Control of Development (Taufik Hanafi) opens it, the Bupati of Temanggung
(H. Muhammad Al Khadziq) and of Bangka (Mulkan) and the Poso regency government present
what worked in their regions. It was held on the last 24 September, 09.00–12.00 WIB,
mostly online with a host room at Bappenas in Jakarta; its registrants come from
provinces in all three zones (each with their own region, gender and category, as a
webinar's registration form collects them).

Everything goes through the services a real meeting uses — create, agenda, invite,
(unmailed) schedule, attendance, the live room (open, decisions, close), then the
secretariat's event report, made final and shown on the meeting's public page — except
two things no service offers for a meeting already past: attendance is admitted with the
time it happened (``checkin.admission.admit``, as the webinar platform's log would give
it), and a registrant's region is set on the person (the directory's form does not take
it yet).

What it had online (issue 15) comes from ``demo.webinar_online``: the Zoom-like video
meeting and the YouTube livestream, registration opened three weeks before and closed
since, each speaker's material on their agenda item, the moderated questions of the
discussion, and the recording added afterwards — all before the report's facts are read.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.accounts.models import User
from meetcoord.checkin.admission import admit
from meetcoord.checkin.models import CheckinMethod
from meetcoord.core import audit
from meetcoord.core.timezones import get_zone
from meetcoord.demo import webinar_online as online
from meetcoord.directory import services as directory
from meetcoord.directory.models import Person, Venue
from meetcoord.eventreports import services as reports
from meetcoord.extensions import db
from meetcoord.live import decisions
from meetcoord.live import services as live
from meetcoord.meetings import agenda, invitations, services
from meetcoord.meetings.models import InviteeRole, Meeting, MeetingStatus
from meetcoord.public import services as public
from meetcoord.public.models import SubjectType

__all__ = ["TITLE", "find_webinar", "hold_webinar"]

TITLE = "Webinar Knowledge Sharing Pembangunan Daerah Tahun 2026"
ZONE = "Asia/Jakarta"
HOST = "Ruang Rapat Bappenas, Jakarta"
ONLINE_URL = "https://zoom.example/j/81234567890"  # the Zoom-like video meeting
DOMAIN = "peserta-webinar.example"
PURPOSE = (
    "Berbagi praktik-praktik cerdas pembangunan dari daerah, memberikan pilihan solusi "
    "dalam merespons permasalahan di daerah, dan menjadi forum pembelajaran bagi "
    "pemerhati pembangunan daerah."
)
AGENDA = (
    (
        "Pembukaan dan arahan",
        "Taufik Hanafi, Deputi Bidang Pemantauan, Evaluasi dan Pengendalian Pembangunan",
        20,
        "presentation",
    ),
    (
        "Kolaborasi pemerintah dan masyarakat: inovasi Kabupaten Temanggung",
        "H. Muhammad Al Khadziq, Bupati Temanggung",
        30,
        "presentation",
    ),
    (
        "Lahan eks tambang timah menjadi destinasi wisata dan agroindustri",
        "Mulkan, Bupati Bangka",
        30,
        "presentation",
    ),
    (
        "Menuntaskan Schistosomiasis melalui kelompok terpadu",
        "Pemerintah Kabupaten Poso",
        30,
        "presentation",
    ),
    ("Diskusi dan tanya jawab", "", 50, "discussion"),
)
# The Bappenas directorate runs the room: its director chairs, a planner takes minutes.
CHAIR = "Dr. Bambang Wicaksono, M.Sc."
MINUTE_TAKER = "Sri Handayani, S.E., M.P.P."
HOST_STAFF = ("Dwi Astuti Rahayu, S.Si., M.E.", "Agus Setiawan, S.Kom.")
# Registrants: (name, L/P, category, region); all online.
REGISTRANTS = (
    ("Rina Kartikasari", "P", "government", "Kota Bandung, Jawa Barat"),
    ("Yusuf Maulana", "L", "government", "Kabupaten Temanggung, Jawa Tengah"),
    ("Siti Nurhaliza Putri", "P", "academia", "Kota Semarang, Jawa Tengah"),
    ("Bagus Prasetyo", "L", "government", "Kabupaten Sleman, DI Yogyakarta"),
    ("Dewi Lestari Ningsih", "P", "ngo", "Kota Surabaya, Jawa Timur"),
    ("Andi Firmansyah", "L", "government", "Kabupaten Bangka, Kepulauan Bangka Belitung"),
    ("Nurul Aini", "P", "government", "Kota Pangkalpinang, Kepulauan Bangka Belitung"),
    ("Rahmat Hidayat", "L", "academia", "Kota Padang, Sumatera Barat"),
    ("Fitri Handayani", "P", "government", "Kota Medan, Sumatera Utara"),
    ("Teuku Rizki Akbar", "L", "youth_leader", "Kota Banda Aceh, Aceh"),
    ("Maria Ulfa Siregar", "P", "government", "Kota Pontianak, Kalimantan Barat"),
    ("Hendra Gunawan", "L", "private_sector", "DKI Jakarta"),
    ("Ayu Wulandari", "P", "media", "DKI Jakarta"),
    ("Lukman Hakim", "L", "government", "Kota Palembang, Sumatera Selatan"),
    ("Ni Kadek Sri Wahyuni", "P", "government", "Kabupaten Gianyar, Bali"),
    ("I Made Suarjana", "L", "community_leader", "Kota Denpasar, Bali"),
    ("Baiq Nurhasanah", "P", "women_leader", "Kabupaten Lombok Timur, Nusa Tenggara Barat"),
    ("Yohanes Dappa Loka", "L", "government", "Kabupaten Sumba Barat Daya, Nusa Tenggara Timur"),
    ("Irwan Lamadjido", "L", "government", "Kabupaten Poso, Sulawesi Tengah"),
    ("Sartika Tandi", "P", "government", "Kabupaten Poso, Sulawesi Tengah"),
    ("Pendeta Yakob Tolala", "L", "religious_leader", "Kabupaten Poso, Sulawesi Tengah"),
    ("Andi Nurfadillah", "P", "academia", "Kota Makassar, Sulawesi Selatan"),
    ("Muhammad Ridwan Saleh", "L", "ngo", "Kota Makassar, Sulawesi Selatan"),
    ("Fransiska Lumintang", "P", "government", "Kota Manado, Sulawesi Utara"),
    ("Dayang Normaliah", "P", "government", "Kota Samarinda, Kalimantan Timur"),
    ("Hasanuddin Ambo", "L", "government", "Kota Kendari, Sulawesi Tenggara"),
    ("Johanis Pattiasina", "L", "government", "Kota Ambon, Maluku"),
    ("Marlina Latuconsina", "P", "women_leader", "Kota Ambon, Maluku"),
    ("Abdul Gani Kasuba", "L", "government", "Kota Ternate, Maluku Utara"),
    ("Yosias Wenda", "L", "community_leader", "Kabupaten Jayawijaya, Papua Pegunungan"),
    ("Elisabeth Rumbiak", "P", "government", "Kota Jayapura, Papua"),
    ("Stevanus Mandacan", "L", "government", "Kabupaten Manokwari, Papua Barat"),
    ("Agustina Kambu", "P", "ngo", "Kota Sorong, Papua Barat Daya"),
)
# What a registrant wrote as their position, by their category.
POSITIONS = {
    "government": "Perencana Ahli Muda, Bappeda",
    "academia": "Dosen Perencanaan Wilayah dan Kota",
    "ngo": "Koordinator Program",
    "youth_leader": "Ketua Forum Pemuda",
    "private_sector": "Manajer Tanggung Jawab Sosial Perusahaan",
    "media": "Jurnalis",
    "community_leader": "Tokoh Masyarakat",
    "women_leader": "Ketua Kelompok Perempuan",
    "religious_leader": "Pemuka Agama",
}
# Registrants who did not join (by their place above): 29 of 33 did.
ABSENT = {3, 12, 21, 30}
DECISIONS = (
    (
        "Praktik baik pembangunan daerah yang dipaparkan dalam webinar diabadikan dalam buku "
        "success stories Kementerian PPN/Bappenas.",
        "consensus",
    ),
    (
        "Kunci keberhasilan inovasi daerah adalah kolaborasi pemerintah dengan masyarakat dan "
        "pemangku kepentingan, tidak hanya dukungan finansial dan sumber daya alam.",
        "noted",
    ),
    (
        "Daerah peserta membentuk jejaring berbagi pengetahuan untuk memperkuat kerja sama "
        "antardaerah yang menghadapi tantangan serupa.",
        "consensus",
    ),
)
REPORT = {
    "background": (
        "Kementerian PPN/Bappenas melalui Kedeputian Bidang Pemantauan, Evaluasi dan "
        "Pengendalian Pembangunan menyelenggarakan Webinar Knowledge Sharing Pembangunan "
        "Daerah. Pengalaman yang sangat baik tidak hanya dimiliki daerah-daerah yang berhasil "
        "melaksanakannya, tetapi perlu disebarluaskan agar dapat diketahui dan dibagikan ke "
        "daerah-daerah lain yang memiliki tantangan dan permasalahan yang berbeda-beda."
    ),
    "purpose": (
        "Webinar bertujuan untuk berbagi praktik-praktik cerdas pembangunan dari daerah, "
        "memberikan pilihan solusi dalam merespons permasalahan di daerah, sekaligus menjadi "
        "forum pembelajaran bagi pemerhati pembangunan daerah.\n\n"
        "Hasil diskusi berupa masukan dan pengalaman pemimpin daerah yang telah berhasil "
        "melakukan inovasi pembangunan akan diabadikan ke dalam sebuah buku success stories."
    ),
    "proceedings": (
        "Webinar dibuka oleh Deputi Bidang Pemantauan, Evaluasi dan Pengendalian Pembangunan "
        "Kementerian PPN/Bappenas, Taufik Hanafi, dan diikuti peserta dari berbagai provinsi "
        "di wilayah WIB, WITA dan WIT secara daring, dengan ruang rapat Bappenas di Jakarta "
        "sebagai lokasi penyelenggara."
    ),
    "sessions": {
        0: (
            "Deputi Taufik menekankan bahwa kunci keberhasilan inovasi pembangunan di daerah "
            "tidak hanya didukung finansial maupun sumber daya alamnya saja, tetapi juga peran "
            "serta masyarakat dan para pemangku kepentingan. \u201cResources yang berupa "
            "finansial itu tidak cukup. Perlu pendekatan lain yang tidak kalah pentingnya, "
            "yaitu kolaborasi dari berbagai elemen masyarakat.\u201d"
        ),
        1: (
            "Kabupaten Temanggung meraih peringkat pertama kategori kabupaten dalam Penghargaan "
            "Pembangunan Daerah (PPD). Kuncinya adalah pemerintah membuka diri dan menyambungkan "
            "ide kreatif masyarakat dengan perencanaan dan program pemerintah: prinsip "
            "kolaborasi antara pemerintah dengan masyarakat."
        ),
        2: (
            "Untuk memajukan kemandirian dan perekonomian daerah, daerah perlu memetakan potensi "
            "dan keunggulannya. Kabupaten Bangka berhasil mengubah lahan eks tambang timah "
            "menjadi destinasi wisata dan agroindustri."
        ),
        3: (
            "Kabupaten Poso berfokus menyelesaikan penyakit Schistosomiasis yang sudah puluhan "
            "tahun dihadapi, melalui sosialisasi dalam kelompok terpadu dan wawancara langsung "
            "untuk mendapatkan masukan sekaligus memastikan keberlanjutan program."
        ),
        4: (
            "Peserta dari wilayah WIB, WITA dan WIT mengirim pertanyaan dari ponsel; pimpinan "
            "rapat menyetujui, memilih dan menjawabnya satu per satu, dan pertanyaan yang sama "
            "digabungkan."
        ),
    },
    "conclusions": (
        "Inovasi pembangunan daerah berhasil ketika pemerintah daerah berkolaborasi dengan "
        "masyarakat dan pemangku kepentingan, memetakan potensi dan keunggulan daerahnya, dan "
        "melibatkan warga secara langsung untuk menjaga keberlanjutan program."
    ),
    "recommendations": (
        "Pengalaman para pemimpin daerah dihimpun dalam buku success stories dan "
        "disebarluaskan, serta diharapkan membentuk jejaring antardaerah untuk memperkuat "
        "kerja sama."
    ),
    "closing": (
        "Demikian laporan kegiatan Webinar Knowledge Sharing Pembangunan Daerah ini disusun "
        "sebagai bahan pembelajaran dan tindak lanjut."
    ),
}


def find_webinar() -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.title == TITLE))


def webinar_day(today: date | None = None) -> date:
    """The last 24 September (in Jakarta) before today."""
    today = today or datetime.now(get_zone(ZONE)).date()
    day = date(today.year, 9, 24)
    return day if day < today else date(today.year - 1, 9, 24)


def hold_webinar(staff: User, institution_id: int) -> Meeting:
    """Create, attend, run and close the webinar, then write its final event report and
    open its public page; ``staff`` works for ``institution_id`` (Bappenas)."""
    day = webinar_day()
    meeting = _schedule(staff, institution_id, day)
    online.attach_materials(staff, meeting)
    _attend(meeting, day)
    _run(meeting)
    db.session.refresh(meeting)
    online.add_recording(staff, meeting)
    _report(staff, meeting)
    public.enable(staff, SubjectType.MEETING, meeting)
    return meeting


def _registrants(staff: User) -> list[Person]:
    people = []
    for n, (name, sex, category, region) in enumerate(REGISTRANTS, 1):
        email = f"peserta{n:02d}@{DOMAIN}"
        person = db.session.scalar(select(Person).where(Person.email == email))
        if person is None:
            person = directory.save_person(
                staff,
                {
                    "name": name,
                    "position": POSITIONS[category],
                    "email": email,
                    "phone": f"0812-7004-{n:04d}",
                    "gender": "male" if sex == "L" else "female",
                    "category": category,
                },
            )
        person.region = region  # as the registration form gave it
        people.append(person)
    db.session.commit()
    return people


def _bappenas(name: str) -> Person:
    found = db.session.scalar(select(Person).where(Person.name == name))
    assert found is not None, name
    return found


def _schedule(staff: User, institution_id: int, day: date) -> Meeting:
    host = db.session.scalar(select(Venue).where(Venue.name == HOST))
    assert host is not None
    start = datetime.combine(day, time(9, 0))
    meeting = services.create_meeting(
        staff,
        {
            "title": TITLE,
            "kind": "knowledge_sharing",
            "purpose": PURPOSE,
            "host_venue_id": host.id,
            "online_url": ONLINE_URL,
            "institution_id": institution_id,
            "start_at": f"{start:%Y-%m-%dT%H:%M}",
            "end_at": f"{start + timedelta(hours=3):%Y-%m-%dT%H:%M}",
        },
    )
    for title, presenter, minutes, kind in AGENDA:
        agenda.add_agenda_item(
            staff,
            meeting,
            {"title": title, "presenter": presenter, "planned_minutes": minutes, "kind": kind},
        )
    site = meeting.sites[0].id
    for name, role in ((CHAIR, InviteeRole.CHAIR), (MINUTE_TAKER, InviteeRole.MINUTE_TAKER)):
        person = _bappenas(name)
        invitations.invite(
            staff, meeting, {"person_ids": [person.id], "role": role.value, "site_id": site}
        )
    staff_ids = [_bappenas(name).id for name in HOST_STAFF]
    invitations.invite(
        staff, meeting, {"person_ids": staff_ids, "role": "participant", "site_id": site}
    )
    registrants = _registrants(staff)
    invitations.invite(
        staff,
        meeting,
        {"person_ids": [p.id for p in registrants], "role": "participant", "site_id": None},
    )
    online.set_up_channels(staff, meeting)
    online.open_registration(staff, meeting, day, registrants)
    meeting.status = MeetingStatus.SCHEDULED  # not services.schedule_meeting: no mail
    audit.record(staff, "schedule", meeting, f"demo webinar scheduled (not mailed): {TITLE}")
    services.commit()
    return meeting


def _attend(meeting: Meeting, day: date) -> None:
    """The host room's arrivals and the webinar platform's joins, at the time each was."""
    first = datetime.combine(day, time(8, 40), tzinfo=get_zone(ZONE))
    online = 0
    for n, inv in enumerate(sorted(meeting.invitations, key=lambda i: i.id)):
        if inv.site is None:
            online += 1
            if online in ABSENT:
                continue
        method = CheckinMethod.MANUAL if inv.site else CheckinMethod.ONLINE
        admit(inv, inv.site, method, at=first + timedelta(minutes=n % 25))
    db.session.commit()


def _run(meeting: Meeting) -> None:
    chair_inv = next(i for i in meeting.invitations if i.role is InviteeRole.CHAIR)
    taker_inv = next(i for i in meeting.invitations if i.role is InviteeRole.MINUTE_TAKER)
    chair, taker = Actor(invitation=chair_inv), Actor(invitation=taker_inv)
    items = [item.id for item in meeting.agenda]
    live.open_meeting(chair, meeting.id)
    for item in items:
        live.activate_item(chair, meeting.id, item)
    online.discuss(chair, meeting, items[-1])  # the discussion item, running now
    for text, kind in DECISIONS:
        decisions.record_decision(taker, meeting.id, {"text": text, "kind": kind})
    live.close_meeting(chair, meeting.id)


def _report(staff: User, meeting: Meeting) -> None:
    report = reports.start_draft(staff, meeting)
    items = [item.id for item in meeting.agenda]
    values = {k: v for k, v in REPORT.items() if k != "sessions"}
    values["sessions"] = {str(items[n]): text for n, text in REPORT["sessions"].items()}
    # The facts read again at the end: the materials, the answers and the recording are in.
    reports.save(staff, report, values, report.version, refresh=True, finalize=True)
