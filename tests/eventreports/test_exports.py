"""The event report's files (PDF read back with pypdf, DOCX with python-docx), the public
page, a series' book, and the API twin with its versions."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import pytest
from pypdf import PdfReader

from meetcoord.accounts.models import Role
from meetcoord.eventreports import facts, services
from meetcoord.extensions import db
from meetcoord.meetings.models import Series
from meetcoord.public import services as public
from meetcoord.public.models import SubjectType
from tests import factories
from tests.eventreports.support import held_webinar, sections

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MATERIAL = {
    "agenda_item_id": None,
    "item_title": "Pembukaan",
    "item_position": 1,
    "presenter": "Taufik Hanafi",
    "filename": "paparan-deputi.pdf",
    "kind": "pdf",
    "size": 1234,
    "uploaded_at": datetime(2026, 9, 24, 1, 0, tzinfo=UTC),
}
QUESTION = {
    "agenda_item_id": None,
    "item_title": "Pembukaan",
    "item_position": 1,
    "text": "Bagaimana daerah lain dapat meniru inovasi ini?",
    "asker": "Peserta dari Poso",
    "votes": 5,
    "answer": "Melalui jejaring pengetahuan antardaerah.",
    "answered_at": datetime(2026, 9, 24, 2, 0, tzinfo=UTC),
}


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def _docx_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def written(monkeypatch):
    """A held webinar with a saved report; materials and questions from fakes (the merge
    wires the real queries)."""
    meeting = held_webinar()
    first = meeting.agenda[0].id
    monkeypatch.setattr(facts, "materials_of", lambda m: [{**MATERIAL, "agenda_item_id": first}])
    monkeypatch.setattr(facts, "questions_of", lambda m: [{**QUESTION, "agenda_item_id": first}])
    report = services.start_draft(meeting.created_by, meeting)
    services.save(meeting.created_by, report, sections(meeting), 1)
    return meeting, report


def test_pdf_has_letterhead_sections_and_figures(auth, written):
    meeting, _report = written
    auth.login(user=meeting.created_by)
    response = auth.client.get(f"/meetings/{meeting.id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert meeting.institution.name.upper() in text.replace("\n", " ")
    for expected in (
        "LAPORAN KEGIATAN",
        "I. PENDAHULUAN",
        "II. MAKSUD DAN TUJUAN",
        "III. PELAKSANAAN KEGIATAN",
        "IV. RINGKASAN PER SESI",
        "V. HASIL DAN KESIMPULAN",
        "VI. REKOMENDASI DAN RENCANA TINDAK LANJUT",
        "VII. PENUTUP",
        "09.00–12.00 WIB",
        "10.00–13.00 WITA",
        "11.00–14.00 WIT",
        "Taufik Hanafi",
        "paparan-deputi.pdf",
        "Kehadiran per provinsi",
        "Sulawesi Tengah",
        "Hadir 7 orang dari 8 undangan.",
        "Kolaborasi adalah kunci.",
        "Deputi membuka webinar.",
        "Melalui jejaring pengetahuan antardaerah.",
        "Praktik baik dihimpun dalam buku.",
        "DRAF",
    ):
        assert expected in text, expected


def test_docx_reads_back(auth, written):
    meeting, _report = written
    auth.login(user=meeting.created_by)
    response = auth.client.get(f"/meetings/{meeting.id}/report.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX
    text = _docx_text(response.data)
    for expected in (
        meeting.institution.name.upper(),
        "LAPORAN KEGIATAN",
        "I. PENDAHULUAN",
        "VII. PENUTUP",
        "10.00–13.00 WITA",
        "Kehadiran per jenis kelamin",
        "Perempuan",
        "Bagaimana daerah lain dapat meniru inovasi ini?",
        "Menyusun buku success stories",
        "Demikian laporan ini.",
    ):
        assert expected in text, expected


def test_public_page_shows_a_final_report_only(client, written):
    meeting, report = written
    publication = public.enable(meeting.created_by, SubjectType.MEETING, meeting)
    db.session.commit()
    html = client.get(f"/p/{publication.slug}").get_data(as_text=True)
    assert "Kolaborasi adalah kunci." not in html  # a draft stays private
    services.save(meeting.created_by, report, sections(meeting), report.version, finalize=True)
    html = client.get(f"/p/{publication.slug}").get_data(as_text=True)
    assert "Laporan kegiatan" in html
    assert "Kolaborasi adalah kunci." in html
    assert "Taufik Hanafi" in html
    assert "Sulawesi Tengah" in html
    # aggregate figures only: no attendee, no asker
    for person in meeting.invitations:
        assert person.person.name not in html
    assert "Peserta dari Poso" not in html
    api = client.get(f"/api/v1/public/{publication.slug}")
    assert api.status_code == 200  # the JSON twin carries the same public fields
    shown = api.get_json()["meetings"][0]["report"]
    assert shown["present"] == 7
    assert "Peserta dari Poso" not in str(shown)


def test_series_book_contains_each_final_report(auth):
    staff = auth.login(Role.SECRETARIAT)
    series = Series(
        title="Webinar Knowledge Sharing Pembangunan Daerah",
        rrule="FREQ=MONTHLY",
        timezone="Asia/Jakarta",
        institution_id=factories.default_institution().id,
    )
    db.session.add(series)
    db.session.flush()
    titles = []
    for n in range(2):
        meeting = held_webinar(staff)
        meeting.title = f"Webinar Seri ke-{n + 1}"
        meeting.series_id = series.id
        db.session.commit()
        report = services.start_draft(staff, meeting)
        closing = f"Penutup laporan ke-{n + 1}."
        services.save(staff, report, sections(meeting, closing=closing), 1, finalize=True)
        titles.append((meeting.title, closing))
    draft = held_webinar(staff)
    draft.title = "Webinar Seri Draf"
    draft.series_id = series.id
    db.session.commit()
    services.start_draft(staff, draft)
    response = auth.client.get(f"/series/{series.id}/reports.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = _pdf_text(response.data)
    assert "BUKU SUCCESS STORIES" in text
    assert "DAFTAR ISI" in text
    for title, closing in titles:
        assert title in text
        assert closing in text
    assert "Webinar Seri Draf" not in text
    toc = reader.pages[1].extract_text()
    assert "Webinar Seri ke-1" in toc
    assert "Webinar Seri ke-2" in toc
    other = factories.institution()
    auth.logout()
    auth.login(user=factories.user(Role.SECRETARIAT, institution=other))
    assert auth.client.get(f"/series/{series.id}/reports.pdf").status_code == 404


def test_api_get_put_with_etag_and_version(api_token):
    staff, headers = api_token(Role.SECRETARIAT)
    meeting = held_webinar(staff)
    from flask import current_app

    client = current_app.test_client()
    url = f"/api/v1/meetings/{meeting.id}/report"
    assert client.get(url, headers=headers).status_code == 404
    created = client.post(url, headers=headers)
    assert created.status_code == 201
    assert created.headers["ETag"] == '"1"'
    body = {"sections": sections(meeting)}
    assert client.put(url, json=body, headers=headers).status_code == 422  # no version
    saved = client.put(url, json=body, headers={**headers, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.get_json()
    assert saved.headers["ETag"] == '"2"'
    assert saved.get_json()["sections"]["conclusions"] == "Kolaborasi adalah kunci."
    stale = client.put(url, json=body, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.get_json()["version"] == 2
    stale = client.put(url, json={**body, "version": 1}, headers=headers)
    assert stale.status_code == 409
    final = client.put(url, json={**body, "version": 2, "status": "final"}, headers=headers)
    assert final.get_json()["status"] == "final"
    for path, mimetype in (("pdf", "application/pdf"), ("docx", DOCX)):
        got = client.get(f"{url}/{path}", headers=headers)
        assert got.status_code == 200
        assert got.mimetype == mimetype
    outsider = factories.user(Role.SECRETARIAT, institution=factories.institution())
    from meetcoord.accounts.services import create_token

    _t, secret = create_token(None, outsider, "test")
    assert client.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code == 404
