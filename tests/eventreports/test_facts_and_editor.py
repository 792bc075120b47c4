"""The event report's draft facts and its structured editor (versions, refusals, audit)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from meetcoord.accounts.models import Role
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import Conflict, ValidationError
from meetcoord.eventreports import services
from meetcoord.eventreports.models import EventReport, ReportStatus
from meetcoord.extensions import db
from tests import factories
from tests.eventreports.support import form, held_webinar, sections


def _counts(rows):
    return {row["label"]: row["count"] for row in rows}


def test_draft_facts_three_zones_and_breakdown():
    meeting = held_webinar()
    report = services.start_draft(meeting.created_by, meeting)
    f = report.facts
    assert f["organizers"] == [meeting.institution.name]
    assert [(t["label"], t["time"]) for t in f["times"]] == [
        ("WIB", "09.00–12.00 WIB"),
        ("WITA", "10.00–13.00 WITA"),
        ("WIT", "11.00–14.00 WIT"),
    ]
    assert f["date"] == "Kamis, 24 September 2026"
    assert [s["presenter"] for s in f["speakers"]] == ["Taufik Hanafi", "Al Khadziq"]
    a = f["attendance"]
    assert (a["present"], a["invited"]) == (7, 8)
    assert _counts(a["by_site"]) == {
        meeting.sites[0].venue.name: 2,
        meeting.sites[1].venue.name: 1,
        "Daring": 4,
    }
    assert _counts(a["by_mode"]) == {"Luring (di lokasi)": 3, "Daring": 4}
    assert _counts(a["by_province"]) == {
        "Sulawesi Tengah": 2,
        "Jawa Barat": 1,
        "DKI Jakarta": 1,
        "Sulawesi Selatan": 1,
        "Papua": 1,
        "Maluku": 1,
    }
    assert a["by_province"][0]["label"] == "Sulawesi Tengah"  # most first
    assert "Nusa Tenggara Timur" not in _counts(a["by_province"])  # invited, absent
    assert _counts(a["by_category"]) == {
        "Pemerintah": 4,
        "LSM": 1,
        "Akademisi": 1,
        "Tokoh masyarakat": 1,
    }
    assert _counts(a["by_gender"]) == {"Laki-laki": 3, "Perempuan": 3, "Tidak diisi": 1}
    assert [d["text"] for d in f["decisions"]] == [
        "Praktik baik dihimpun dalam buku.",
        "Jejaring antardaerah dibentuk.",
    ]
    assert f["actions"][0]["agency"].startswith("Bappeda Kabupaten Uji Poso")
    assert report.sections["purpose"] == "Berbagi praktik cerdas pembangunan dari daerah."


def test_draft_is_refused_for_a_meeting_not_held_and_twice():
    staff = factories.user(Role.SECRETARIAT)
    draft = factories.meeting(by=staff)
    with pytest.raises(Conflict):
        services.start_draft(staff, draft)
    meeting = held_webinar(staff)
    services.start_draft(staff, meeting)
    with pytest.raises(Conflict):
        services.start_draft(staff, meeting)


def test_editor_saves_sections_and_refresh_keeps_the_text(auth):
    staff = auth.login(Role.SECRETARIAT)
    meeting = held_webinar(staff)
    assert auth.post(f"/meetings/{meeting.id}/report/start").status_code == 303
    page = auth.client.get(f"/meetings/{meeting.id}/report").get_data(as_text=True)
    for heading in ("I. PENDAHULUAN", "II. MAKSUD DAN TUJUAN", "VII. PENUTUP"):
        assert heading in page
    assert 'name="session-' in page
    assert "09.00–12.00 WIB" in page

    response = auth.post(f"/meetings/{meeting.id}/report", form(meeting, 1))
    assert response.status_code == 303
    report = db.session.scalar(select(EventReport))
    assert report.version == 2
    assert report.sections["conclusions"] == "Kolaborasi adalah kunci."
    assert report.sections["sessions"] == {str(meeting.agenda[0].id): "Deputi membuka webinar."}

    # a person arrives late in the record; refreshing keeps every word written
    late = factories.person(region="Kota Sorong, Papua Barat Daya")
    factories.attendance(meeting_id=meeting.id, person_id=late.id)
    db.session.commit()
    response = auth.post(
        f"/meetings/{meeting.id}/report", form(meeting, 2, "refresh", closing="Penutup baru.")
    )
    assert response.status_code == 303
    db.session.refresh(report)
    assert report.version == 3
    assert report.facts["attendance"]["present"] == 8
    assert report.sections["closing"] == "Penutup baru."
    assert report.sections["conclusions"] == "Kolaborasi adalah kunci."
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "event_reports")
    ).all()
    assert actions == ["create", "update", "update"]


def test_stale_save_is_refused_and_the_text_comes_back(auth):
    staff = auth.login(Role.SECRETARIAT)
    meeting = held_webinar(staff)
    report = services.start_draft(staff, meeting)
    services.save(staff, report, sections(meeting, closing="Ditulis lebih dulu."), 1)
    mine = "Teks saya yang tidak boleh hilang <b>tebal</b>."
    response = auth.post(f"/meetings/{meeting.id}/report", form(meeting, 1, closing=mine))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "sudah diubah orang lain" in html
    assert "Teks saya yang tidak boleh hilang &lt;b&gt;tebal&lt;/b&gt;." in html
    db.session.refresh(report)
    assert report.version == 2
    assert report.sections["closing"] == "Ditulis lebih dulu."


def test_final_report_no_longer_changes_and_bad_input_changes_nothing():
    meeting = held_webinar()
    staff = meeting.created_by
    report = services.start_draft(staff, meeting)
    with pytest.raises(ValidationError) as refused:
        services.save(staff, report, sections(meeting, closing="x" * 20_001), 1)
    assert "closing" in refused.value.errors
    with pytest.raises(ValidationError) as refused:
        services.save(staff, report, sections(meeting, sessions={"999999": "?"}), 1)
    assert "sessions.999999" in refused.value.errors
    db.session.rollback()
    assert report.version == 1
    services.save(staff, report, sections(meeting), 1, finalize=True)
    assert report.status is ReportStatus.FINAL
    with pytest.raises(Conflict):
        services.save(staff, report, sections(meeting), 2)


def test_viewer_reads_but_cannot_edit(auth):
    meeting = held_webinar()
    services.start_draft(meeting.created_by, meeting)
    auth.login(Role.VIEWER)
    page = auth.client.get(f"/meetings/{meeting.id}/report")
    assert page.status_code == 200
    assert "<textarea" not in page.get_data(as_text=True)
    assert auth.post(f"/meetings/{meeting.id}/report", form(meeting, 1)).status_code == 403


def test_other_institution_is_not_found(auth):
    meeting = held_webinar()
    services.start_draft(meeting.created_by, meeting)
    other = factories.institution()
    auth.login(user=factories.user(Role.SECRETARIAT, institution=other))
    for url in ("report", "report.pdf", "report.docx"):
        assert auth.client.get(f"/meetings/{meeting.id}/{url}").status_code == 404
    assert auth.post(f"/meetings/{meeting.id}/report", form(meeting, 1)).status_code == 404
    assert auth.post(f"/meetings/{meeting.id}/report/start").status_code == 404
