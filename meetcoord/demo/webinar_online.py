"""What the seed 004 webinar had online besides its room (issue 15), for ``demo.webinar``.

Its channels (the video meeting, the YouTube livestream, the recording added afterwards),
its public registration (opened before, its window long passed), the speakers' materials
on their agenda items and the participants' moderated questions in the discussion — each
through the service a real meeting uses, so that the event report built afterwards reads
them from the data like any other meeting's.

Two shortcuts keep the demo fast and quiet: the registrations are written as the
secretariat's accepted rows for the registrants already in the directory (accepting
through ``registration.decisions`` would mail each of them a confirmation), and the
materials are tiny files made here (a one-page PDF drawn by reportlab, a PPTX holding just
the parts that make it a presentation).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.accounts.models import User
from meetcoord.channels import services as channels
from meetcoord.channels.models import primary_video
from meetcoord.core.db import utcnow
from meetcoord.directory.models import Gender, Person, StakeholderCategory
from meetcoord.directory.regions import zone_for_region
from meetcoord.extensions import db
from meetcoord.materials import services as materials
from meetcoord.meetings.models import Invitation, Meeting
from meetcoord.questions import services as questions
from meetcoord.registration import services as registration
from meetcoord.registration.models import Registration, RegistrationStatus

ZONE = "Asia/Jakarta"
VIDEO_LABEL = "Zoom Meeting"
VIDEO_PASSCODE = "KSPD2026"
LIVESTREAM = (
    "Siaran langsung YouTube Bappenas",
    "https://www.youtube.example/watch?v=KSPD2026live",
)
RECORDING = ("Rekaman webinar", "https://www.youtube.example/watch?v=KSPD2026rekam")

# Each speaker's material by agenda position: (file name, title on its first page); the
# names are short enough for the report's file column to hold on one line.
MATERIALS = {
    1: ("Arahan_Deputi_PEPP.pdf", "Arahan Deputi Bidang PEPP"),
    2: ("Inovasi_Temanggung.pptx", "Kolaborasi pemerintah dan masyarakat Temanggung"),
    3: ("Bangka_Eks_Tambang.pptx", "Lahan eks tambang timah Kabupaten Bangka"),
    4: ("Poso_Schistosomiasis.pdf", "Menuntaskan Schistosomiasis di Kabupaten Poso"),
}
# Registrations the secretariat did not accept: (name, region, status).
NOT_ACCEPTED = (
    ("Rudi Hartono", "Kota Bekasi, Jawa Barat", RegistrationStatus.WAITLISTED),
    ("Wa Ode Rahmawati", "Kota Baubau, Sulawesi Tenggara", RegistrationStatus.WAITLISTED),
    ("Paulus Kogoya", "Kabupaten Mimika, Papua Tengah", RegistrationStatus.WAITLISTED),
    ("Promo Hadiah Gratis", None, RegistrationStatus.REJECTED),
    ("Test Test", None, RegistrationStatus.REJECTED),
)
# The discussion's questions: (asker, anonymous, text, chair's answer note or None (merged),
# the registrants who voted for it). The fifth is merged into the second (same question).
QUESTIONS = (
    (
        "Irwan Lamadjido",
        False,
        "Bagaimana daerah lain dapat meniru kelompok terpadu Poso untuk penyakit menular "
        "yang ada di daerahnya?",
        "Pemerintah Kabupaten Poso bersedia berbagi modul sosialisasi kelompok terpadu; "
        "Bappenas memfasilitasinya melalui jejaring berbagi pengetahuan.",
        ("Sartika Tandi", "Andi Nurfadillah", "Johanis Pattiasina"),
    ),
    (
        "Elisabeth Rumbiak",
        True,
        "Bagaimana menjaga kolaborasi dengan masyarakat ketika anggaran daerah sangat terbatas?",
        "Kolaborasi dimulai dari membuka ruang bagi ide masyarakat; pengalaman Temanggung "
        "menunjukkan anggaran bukan syarat utamanya.",
        ("Yosias Wenda", "Stevanus Mandacan", "Agustina Kambu", "Marlina Latuconsina"),
    ),
    (
        "Nurul Aini",
        False,
        "Skema pembiayaan apa yang dipakai Kabupaten Bangka untuk memulihkan lahan eks tambang "
        "timah?",
        "Bupati Bangka menjelaskan pemulihan lahan dikerjakan bersama BUMD, swasta dan kelompok "
        "tani dalam skema kemitraan.",
        ("Andi Firmansyah",),
    ),
    (
        "Ni Kadek Sri Wahyuni",
        False,
        "Apakah buku success stories akan memuat capaian dan narahubung setiap program?",
        "Ya; buku memuat capaian utama dan narahubung setiap daerah.",
        (),
    ),
    (
        "Yohanes Dappa Loka",
        False,
        "Kalau dana desa terbatas, bagaimana pemerintah tetap bisa bermitra dengan warga?",
        None,
        (),
    ),
)


# --- channels ------------------------------------------------------------------------------


def set_up_channels(staff: User, meeting: Meeting) -> None:
    """The video meeting (the link invitations carry) and the YouTube livestream."""
    video = primary_video(meeting.id)
    assert video is not None  # created with the meeting's link
    channels.update_channel(staff, video, {"label": VIDEO_LABEL, "passcode": VIDEO_PASSCODE})
    label, url = LIVESTREAM
    channels.add_channel(
        staff, meeting, {"kind": "livestream", "label": label, "url": url, "audience": "everyone"}
    )


def add_recording(staff: User, meeting: Meeting) -> None:
    label, url = RECORDING
    channels.add_channel(staff, meeting, {"kind": "recording", "label": label, "url": url})


# --- registration --------------------------------------------------------------------------


def _local(day: date, hour: int) -> str:
    return f"{datetime.combine(day, time(hour, 0)):%Y-%m-%dT%H:%M}"


def open_registration(staff: User, meeting: Meeting, day: date, registrants: list[Person]) -> None:
    """Registration as it was: opened three weeks before, closed two days before, full at
    its capacity; the registrants in the directory are its accepted registrations."""
    registration.enable(staff, meeting)
    registration.update_settings(
        staff,
        meeting,
        {
            "opens_at": _local(day - timedelta(days=21), 8),
            "closes_at": _local(day - timedelta(days=2), 17),
            "capacity": len(registrants),
            "auto_accept": False,
            "fields": {
                "position": "required",
                "organization": "optional",
                "region": "required",
                "phone": "optional",
                "gender": "required",
                "category": "required",
                "disability": "optional",
            },
        },
    )
    decided = utcnow()
    for person in registrants:
        db.session.add(
            Registration(
                meeting_id=meeting.id,
                email=person.email,
                name=person.name,
                position=person.position,
                region=person.region,
                phone=person.phone,
                gender=person.gender,
                category=person.category,
                zone=zone_for_region(person.region) or ZONE,
                status=RegistrationStatus.ACCEPTED,
                decided_at=decided,
                decided_by_id=staff.id,
                person_id=person.id,
                matched_by="email",
            )
        )
    for n, (name, region, status) in enumerate(NOT_ACCEPTED, 1):
        db.session.add(
            Registration(
                meeting_id=meeting.id,
                email=f"pendaftar{n:02d}@daftar-webinar.example",
                name=name,
                region=region,
                gender=Gender.MALE if status is RegistrationStatus.WAITLISTED else None,
                category=StakeholderCategory.GOVERNMENT if region else None,
                zone=zone_for_region(region) if region else None,
                status=status,
                decided_at=decided if status is RegistrationStatus.REJECTED else None,
                decided_by_id=staff.id if status is RegistrationStatus.REJECTED else None,
            )
        )
    db.session.commit()


# --- materials -----------------------------------------------------------------------------


def tiny_pdf(title: str, speaker: str) -> bytes:
    """A one-page landscape PDF: the slide a speaker would open with."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=landscape(A4))
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 24)
    page.drawString(60, 400, title)
    page.setFont("Helvetica", 16)
    page.drawString(60, 360, speaker)
    page.drawString(60, 330, "Webinar Knowledge Sharing Pembangunan Daerah")
    page.showPage()
    page.save()
    return out.getvalue()


_PPTX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/ppt/presentation.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_PPTX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="ppt/presentation.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    '<Relationship Id="rId2" Target="docProps/core.xml" Type="http://schemas.'
    'openxmlformats.org/package/2006/relationships/metadata/core-properties"/>'
    "</Relationships>"
)
_PPTX_PRESENTATION = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
    '<p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>'
    "</p:presentation>"
)


def tiny_pptx(title: str, speaker: str) -> bytes:
    """The smallest presentation package the content check takes: ``[Content_Types].xml``,
    its relationships, ``ppt/presentation.xml`` and the title in its core properties."""
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:creator>{speaker}</dc:creator>"
        "</cp:coreProperties>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _PPTX_TYPES)
        package.writestr("_rels/.rels", _PPTX_RELS)
        package.writestr("docProps/core.xml", core)
        package.writestr("ppt/presentation.xml", _PPTX_PRESENTATION)
    return out.getvalue()


def attach_materials(staff: User, meeting: Meeting) -> None:
    """The Deputi's directions through the secretariat; each regency uploads its own
    through its speaker link (issued without an address: nothing is mailed)."""
    for item in meeting.agenda:
        found = MATERIALS.get(item.position)
        if found is None:
            continue
        name, title = found
        make = tiny_pdf if name.endswith(".pdf") else tiny_pptx
        content = io.BytesIO(make(title, item.presenter or ""))
        if item.position == 1:
            materials.upload(staff, item, content, name)
        else:
            link, _token = materials.issue_link(staff, item, {"name": item.presenter})
            materials.upload(None, item, content, name, link=link)


# --- questions -----------------------------------------------------------------------------


def discuss(chair: Actor, meeting: Meeting, item_id: int) -> None:
    """The discussion item running: participants ask from their phones, the chair approves,
    others support, the chair merges the repeated one, picks and answers the rest in turn.
    Through the live commands, so the event log holds them as the room saw them."""
    by_name = {
        inv.person.name: inv
        for inv in db.session.scalars(select(Invitation).where(Invitation.meeting_id == meeting.id))
    }
    asked: list[int] = []
    for name, anonymous, text, _note, _voters in QUESTIONS:
        actor = Actor(invitation=by_name[name])
        _seq, question_id = questions.ask_question(
            actor,
            meeting.id,
            {"text": text, "anonymous": anonymous, "agenda_item_id": item_id},
        )
        assert question_id is not None
        asked.append(question_id)
    merged_into = asked[1]
    for question_id in asked[:-1]:
        questions.moderate_question(
            chair, meeting.id, {"question_id": question_id, "action": "approve"}
        )
    questions.moderate_question(
        chair, meeting.id, {"question_id": asked[-1], "action": "merge", "into_id": merged_into}
    )
    for question_id, (*_ignored, voters) in zip(asked, QUESTIONS, strict=True):
        for voter in voters:
            questions.vote_question(
                Actor(invitation=by_name[voter]), meeting.id, {"question_id": question_id}
            )
    # The most supported first, as the chair reads them from the list.
    answered = sorted(zip(asked[:-1], QUESTIONS[:-1], strict=True), key=lambda p: -len(p[1][4]))
    for question_id, (_name, _anonymous, _text, note, _voters) in answered:
        questions.pick_question(chair, meeting.id, {"question_id": question_id})
        questions.answer_question(chair, meeting.id, {"question_id": question_id, "note": note})
