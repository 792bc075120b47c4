"""The seed 004 webinar in the demo: held by Bappenas, attended from three zones, and its
final event report — as PDF and DOCX, opened and read back — on its public page."""

from __future__ import annotations

import io
import time

import docx
import pytest
from pypdf import PdfReader

from meetcoord.demo import load_demo
from meetcoord.demo.webinar import TITLE, find_webinar
from meetcoord.demo.webinar_online import MATERIALS, QUESTIONS
from meetcoord.eventreports import services
from meetcoord.eventreports.models import ReportStatus
from meetcoord.public.models import SubjectType
from meetcoord.public.services import publication_of


@pytest.fixture
def webinar(db_session):
    started = time.perf_counter()
    load_demo()
    meeting = find_webinar()
    assert meeting is not None
    return meeting, time.perf_counter() - started


def test_the_webinar_and_its_report(webinar):
    meeting, _seconds = webinar
    assert meeting.institution.short_name == "Bappenas"
    assert meeting.host_venue.timezone == "Asia/Jakarta"
    assert meeting.start_at.month == 9
    assert meeting.start_at.day == 24
    report = services.report_of(meeting)
    assert report is not None
    assert report.status is ReportStatus.FINAL
    a = report.facts["attendance"]
    modes = {row["key"]: row["count"] for row in a["by_mode"]}
    assert modes["online"] > modes["site"] > 0
    provinces = {row["label"] for row in a["by_province"]}
    assert {"DKI Jakarta", "Sulawesi Tengah", "Papua", "Maluku", "Bali"} <= provinces
    assert [t["label"] for t in report.facts["times"]] == ["WIB", "WITA", "WIT"]
    presenters = " ".join(s["presenter"] for s in report.facts["speakers"])
    for name in ("Taufik Hanafi", "Al Khadziq", "Mulkan", "Poso"):
        assert name in presenters
    assert len(report.facts["decisions"]) == 3
    assert publication_of(SubjectType.MEETING, meeting.id).is_enabled


def test_the_webinar_had_everything_online_issue_15_adds(webinar):
    """Channels, registration, materials and questions, read back from their packages."""
    meeting, _seconds = webinar
    from meetcoord.channels.models import ChannelKind, channels_of
    from meetcoord.registration import services as registration

    kinds = [c.kind for c in channels_of(meeting.id)]
    assert kinds == [ChannelKind.VIDEO_MEETING, ChannelKind.LIVESTREAM, ChannelKind.RECORDING]
    assert all(c.url.startswith("https://") for c in channels_of(meeting.id))
    assert meeting.online_url == channels_of(meeting.id)[0].url
    settings = registration.settings_of(meeting.id)
    assert settings is not None
    assert settings.is_enabled
    assert registration.window(settings) == "closed"
    counts = registration.counts(meeting.id)
    online = [i for i in meeting.invitations if i.site is None]
    assert counts["accepted"] == len(online) == settings.capacity
    assert counts["waitlisted"] == 3
    assert counts["rejected"] == 2
    report = services.report_of(meeting)
    names = [m["filename"] for m in report.facts["materials"]]
    assert names == [name for name, _title in MATERIALS.values()]
    assert {m["kind"] for m in report.facts["materials"]} == {"pdf", "pptx"}
    asked = report.facts["questions"]
    assert len(asked) == len(QUESTIONS) - 1  # the fifth was merged into the second
    assert [q["asker"] for q in asked].count("Anonim") == 1
    assert all(q["answer"] for q in asked)
    assert {q["item_title"] for q in asked} == {"Diskusi dan tanya jawab"}
    assert max(q["votes"] for q in asked) == 4


def test_demo_loads_again_without_a_second_webinar(webinar):
    load_demo()
    from sqlalchemy import func, select

    from meetcoord.extensions import db
    from meetcoord.meetings.models import Meeting

    assert db.session.scalar(select(func.count()).where(Meeting.title == TITLE)) == 1


def test_the_seed_webinars_report_as_pdf_and_docx_opened_and_read_back(webinar, auth):
    meeting, _seconds = webinar
    from meetcoord.access.models import MemberRole
    from meetcoord.accounts.models import Role
    from tests import factories

    staff = factories.user(Role.SECRETARIAT, member=False)
    factories.membership(staff, meeting.institution, MemberRole.SECRETARIAT)
    auth.login(user=staff)
    pdf = auth.client.get(f"/meetings/{meeting.id}/report.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for expected in (
        "KEMENTERIAN PERENCANAAN PEMBANGUNAN NASIONAL/BAPPENAS",
        "LAPORAN KEGIATAN",
        TITLE,
        "09.00–12.00 WIB",
        "10.00–13.00 WITA",
        "11.00–14.00 WIT",
        "Taufik Hanafi",
        "Bupati Temanggung",
        "Bupati Bangka",
        "Schistosomiasis",
        "Kehadiran per provinsi",
        "buku success stories",
        "VII. PENUTUP",
    ):
        assert expected in flat, expected
    assert "DRAF" not in flat
    answered = QUESTIONS[0][2]  # the first asker's, named
    for expected in (*(name for name, _title in MATERIALS.values()), "Anonim", answered):
        assert expected in flat, expected
    word = auth.client.get(f"/meetings/{meeting.id}/report.docx")
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.data))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "LAPORAN KEGIATAN" in body
    assert TITLE in body
    assert "lahan eks tambang timah" in body
    assert "Sulawesi Tengah" in cells
    for zone_time in ("09.00–12.00 WIB", "10.00–13.00 WITA", "11.00–14.00 WIT"):
        assert zone_time in cells, zone_time
    for expected in (*(name for name, _title in MATERIALS.values()), "Anonim", QUESTIONS[1][2]):
        assert expected in cells, expected
    assert document.core_properties.author.startswith("Kementerian Perencanaan")
