"""Signed minutes through the pages (issue 6): the secretariat's document pages, the
personal-link pages of the minute-taker, the chair and the participants, signing with our
CA or an uploaded PKCS#12, the public verification page, and the addendum.

The services themselves are tested in ``test_documents_workflow.py``; here every step goes
through a real request (CSRF token included) and the tests check the response and what the
database holds afterwards.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.core.outbox import OutboxMessage
from meetcoord.documents.models import Document, DocumentKind, DocumentStatus, RenderState
from meetcoord.documents.signing import ca as ca_module
from meetcoord.documents.signing.ca import CertificateAuthority, create_ca
from meetcoord.extensions import db
from meetcoord.meetings.links import personal_token
from meetcoord.meetings.models import Invitation
from tests.documents.test_documents_signing import (
    P12_PASSWORD,
    PASSPHRASE,
    WriteWatch,
    listing,
    p12_for,
)
from tests.documents_support import ClosedRakor, ensure_ca, mailed_code, rendered
from tests.kiosk_support import Rakor, phone

CHAIR_NAME = "Ir. Yohanes Bili, M.Si."
TAKER_NAME = "Maria Kaka"
TEXTAREA = r'<textarea id="{key}" name="{key}"[^>]*>(.*?)</textarea>'
# The secretariat closes the comment round at once (these scenes need no comments).
EARLY = "Semua peserta menyetujui rancangan di akhir rapat."


# --- helpers -------------------------------------------------------------------------------


def text_of(response: Any) -> str:
    """The page as a reader sees it: entities decoded (names with dots and apostrophes)."""
    return html.unescape(response.get_data(as_text=True))


def textarea(response: Any, key: str) -> str:
    match = re.search(TEXTAREA.format(key=key), response.get_data(as_text=True), re.S)
    assert match, f"no textarea {key}"
    return html.unescape(match.group(1))


def field_error(response: Any, name: str) -> str:
    """The error list rendered beside field ``name`` (the errs macro's id)."""
    match = re.search(
        rf'<ul class="field-errors" id="{name}-error">(.*?)</ul>',
        response.get_data(as_text=True),
        re.S,
    )
    assert match, f"no error beside {name}"
    return html.unescape(match.group(1))


def reload(document_id: int) -> Document:
    db.session.expire_all()
    doc = db.session.get(Document, document_id)
    assert doc is not None
    return doc


def state(document_id: int) -> dict[str, Any]:
    """Everything a refused step could have changed."""
    doc = reload(document_id)
    return {
        "status": doc.status,
        "version": doc.version,
        "content": doc.content,
        "files": [f.sha256 for f in doc.files],
        "signed": [(s.signed_at, s.certificate_issuer) for s in doc.signatories],
        "steps": [s.step for s in doc.steps],
        "comments": [c.body for c in doc.comments],
        "outbox": db.session.scalar(select(db.func.count()).select_from(OutboxMessage)),
    }


def document_id_from(response: Any) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    match = re.search(r"/documents/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


class Link:
    """A phone opening one invitation's personal link (its own address and session)."""

    def __init__(self, app: Flask, invitation: Invitation) -> None:
        self.client: FlaskClient = phone(app)
        self.invitation = invitation
        self.token = personal_token(invitation)
        self.csrf: str | None = None

    def url(self, document_id: int, step: str | None = None) -> str:
        base = f"/i/{self.token}/documents/{document_id}"
        return f"{base}/{step}" if step else base

    def get(self, document_id: int, **kwargs: Any) -> Any:
        response = self.client.get(self.url(document_id), **kwargs)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
        if match:
            self.csrf = match.group(1)
        return response

    def post(self, document_id: int, step: str, data: dict[str, Any] | None = None) -> Any:
        if self.csrf is None:
            self.get(document_id)
        payload = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(self.url(document_id, step), data=payload)

    def sign(self, document_id: int) -> Any:
        """Ask for the code, read it in this person's own mail, and sign with it."""
        asked = self.post(document_id, "code")
        assert asked.status_code == 302, text_of(asked)[:800]
        code = mailed_code(self.invitation)
        return self.post(document_id, "sign", {"key": "code", "code": code})


@pytest.fixture
def rakor(app: Flask) -> ClosedRakor:
    ensure_ca(app)
    return ClosedRakor(app)


@pytest.fixture
def staff(auth: Any, rakor: ClosedRakor) -> Any:
    auth.login(user=rakor.staff)
    return auth


def future_local(days: int = 3) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def create_minutes(staff: Any, rakor: ClosedRakor) -> int:
    return document_id_from(staff.post(f"/meetings/{rakor.meeting.id}/documents/minutes"))


def circulated_minutes(staff: Any, rakor: ClosedRakor) -> int:
    doc_id = create_minutes(staff, rakor)
    response = staff.post(f"/documents/{doc_id}/circulate", {"deadline": future_local()})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return doc_id


def final_minutes(staff: Any, rakor: ClosedRakor) -> int:
    """Circulated, finalised by the secretariat and rendered by the worker."""
    doc_id = circulated_minutes(staff, rakor)
    response = staff.post(
        f"/documents/{doc_id}/finalise", {"version": reload(doc_id).version, "early_close": EARLY}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    rendered(reload(doc_id))
    return doc_id


def signed_minutes(app: Flask, staff: Any, rakor: ClosedRakor) -> int:
    doc_id = final_minutes(staff, rakor)
    for who in (rakor.chair, rakor.minute_taker):
        response = Link(app, who).sign(doc_id)
        assert response.status_code == 302, text_of(response)[:800]
    return doc_id


# --- 1. the secretariat's pages: create, edit, circulate --------------------------------


def test_minutes_are_created_only_for_a_closed_meeting(app: Flask, auth: Any) -> None:
    ensure_ca(app)
    scheduled = Rakor("Rakor belum ditutup")
    auth.login(user=scheduled.staff)
    page = auth.client.get(f"/meetings/{scheduled.meeting.id}/documents")
    assert page.status_code == 200
    assert "Notulen disusun setelah rapat ditutup di konsol rapat." in text_of(page)
    assert "/documents/minutes" not in page.get_data(as_text=True)

    refused = auth.post(f"/meetings/{scheduled.meeting.id}/documents/minutes")
    assert refused.status_code == 409
    assert "Notulen disusun setelah rapat ditutup." in text_of(refused)
    assert (
        db.session.scalars(
            select(Document).where(Document.meeting_id == scheduled.meeting.id)
        ).all()
        == []
    )


def test_staff_create_minutes_from_the_documents_page(staff: Any, rakor: ClosedRakor) -> None:
    page = staff.client.get(f"/meetings/{rakor.meeting.id}/documents")
    assert page.status_code == 200
    assert f'action="/meetings/{rakor.meeting.id}/documents/minutes"' in page.get_data(as_text=True)

    doc_id = create_minutes(staff, rakor)
    doc = reload(doc_id)
    assert (doc.kind, doc.status, doc.meeting_id) == (
        DocumentKind.MINUTES,
        DocumentStatus.DRAFT,
        rakor.meeting.id,
    )
    shown = staff.client.get(f"/documents/{doc_id}")
    assert shown.status_code == 200
    assert "Notulen Rakor Pangan" in text_of(shown)
    assert textarea(shown, "notes-2") == "Stok beras aman 3 bulan."
    listed = staff.client.get(f"/meetings/{rakor.meeting.id}/documents")
    assert f'href="/documents/{doc_id}"' in listed.get_data(as_text=True)

    # A second set of minutes for the same meeting is refused on the page.
    again = staff.post(f"/meetings/{rakor.meeting.id}/documents/minutes")
    assert again.status_code == 409
    assert "Rapat ini sudah punya notulen." in text_of(again)


def test_notes_are_saved_and_a_stale_version_keeps_the_text(staff: Any, rakor: ClosedRakor) -> None:
    doc_id = create_minutes(staff, rakor)
    saved = staff.post(
        f"/documents/{doc_id}/edit",
        {"version": "1", "notes-1": "Dibuka oleh Sekda pukul 09.10 WITA.", "notes-2": "Stok aman."},
    )
    assert saved.status_code == 302
    doc = reload(doc_id)
    assert [a["notes"] for a in doc.content["agenda"]] == [
        "Dibuka oleh Sekda pukul 09.10 WITA.",
        "Stok aman.",
    ]
    assert doc.version == 2
    page = staff.client.get(f"/documents/{doc_id}")
    assert textarea(page, "notes-1") == "Dibuka oleh Sekda pukul 09.10 WITA."
    assert "Perubahan tersimpan." in text_of(page)

    before = state(doc_id)
    stale = staff.post(
        f"/documents/{doc_id}/edit",
        {"version": "1", "notes-1": "Teks dari tab lama & <belum> tersimpan"},
    )
    assert stale.status_code == 409
    assert "sudah diubah orang lain (versi 2)" in text_of(stale)
    # The writer's text is still in the form, escaped, not lost …
    assert textarea(stale, "notes-1") == "Teks dari tab lama & <belum> tersimpan"
    assert "&lt;belum&gt;" in stale.get_data(as_text=True)
    # … and nothing was saved.
    assert state(doc_id) == before


def test_circulating_needs_a_future_deadline_read_in_the_host_zone(
    staff: Any, rakor: ClosedRakor
) -> None:
    assert rakor.meeting.sites[0].venue.timezone == "Asia/Makassar"  # WITA, UTC+8
    doc_id = create_minutes(staff, rakor)
    page = staff.client.get(f"/documents/{doc_id}")
    assert "Batas waktu komentar (WITA)" in text_of(page)

    before = state(doc_id)
    past = staff.post(f"/documents/{doc_id}/circulate", {"deadline": "2024-01-01T10:00"})
    assert past.status_code == 422
    assert "Harus setelah saat ini." in field_error(past, "deadline")
    assert 'value="2024-01-01T10:00"' in past.get_data(as_text=True)
    assert state(doc_id) == before

    garbled = staff.post(f"/documents/{doc_id}/circulate", {"deadline": "besok pagi"})
    assert garbled.status_code == 422
    assert "Gunakan format tanggal dan jam yang valid." in field_error(garbled, "deadline")
    assert state(doc_id) == before

    day = (datetime.now(UTC) + timedelta(days=14)).date()  # within the 90-day bound
    typed = f"{day:%Y-%m-%d}T10:00"  # 10.00 WITA at the host in Tambolaka
    done = staff.post(f"/documents/{doc_id}/circulate", {"deadline": typed})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/documents/{doc_id}")
    doc = reload(doc_id)
    assert doc.status is DocumentStatus.CIRCULATED
    deadline = doc.comment_deadline_at
    assert deadline is not None
    if deadline.tzinfo is None:  # stored as naive UTC on SQLite
        deadline = deadline.replace(tzinfo=UTC)
    assert deadline == datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)

    mails = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == "circulation", OutboxMessage.ref_id == doc_id
        )
    ).all()
    invited = {
        i.person.email for i in rakor.meeting.invitations if i.person.email and not i.withdrawn_at
    }
    assert {m.recipient for m in mails} == invited
    assert len(mails) == len(invited) > 0

    shown = text_of(staff.client.get(f"/documents/{doc_id}"))
    assert "Diedarkan untuk komentar" in shown
    assert f"Notulen diedarkan; {len(invited)} surel menunggu dikirim." in shown
    assert "10.00 WITA" in shown  # the deadline as the host site reads it


# --- 2. personal links: read, comment, headers, no editing ----------------------------------


def test_participant_reads_and_comments_through_the_personal_link(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = circulated_minutes(staff, rakor)
    participant = Link(app, rakor.participant)
    page = participant.get(doc_id)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    shown = text_of(page)
    assert "Notulen Rakor Pangan" in shown
    assert "Stok beras aman 3 bulan." in shown
    assert '<textarea id="notes-1"' not in page.get_data(as_text=True)  # reads, no edit form

    sent = participant.post(
        doc_id, "comment", {"section": "Agenda 2", "body": "Mohon tambahkan stok jagung."}
    )
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(participant.url(doc_id))
    assert sent.headers["Cache-Control"] == "no-store"
    doc = reload(doc_id)
    assert [(c.invitation_id, c.section, c.body) for c in doc.comments] == [
        (rakor.participant.id, "Agenda 2", "Mohon tambahkan stok jagung.")
    ]
    assert "Mohon tambahkan stok jagung." in text_of(participant.get(doc_id))

    # The secretariat and the minute-taker read every comment …
    assert "Mohon tambahkan stok jagung." in text_of(staff.client.get(f"/documents/{doc_id}"))
    assert "Mohon tambahkan stok jagung." in text_of(Link(app, rakor.minute_taker).get(doc_id))
    # … another participant sees only their own (none yet).
    other = Link(app, rakor.ambon_participant).get(doc_id)
    assert other.status_code == 200
    assert "Mohon tambahkan stok jagung." not in text_of(other)
    assert "Belum ada komentar." in text_of(other)

    # An empty comment is refused beside the field, and nothing is added.
    before = state(doc_id)
    empty = participant.post(doc_id, "comment", {"body": "   "})
    assert empty.status_code == 422
    assert "Isi komentar Anda" in field_error(empty, "body")
    assert empty.headers["Cache-Control"] == "no-store"
    assert state(doc_id) == before


def test_after_the_deadline_the_comment_form_gives_way_to_a_notice(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = circulated_minutes(staff, rakor)
    participant = Link(app, rakor.participant)
    assert 'action="' + participant.url(doc_id) + '/comment"' in participant.get(doc_id).get_data(
        as_text=True
    )
    doc = reload(doc_id)
    doc.comment_deadline_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    page = participant.get(doc_id)
    assert "/comment" not in page.get_data(as_text=True)
    assert "Batas waktu komentar sudah lewat." in text_of(page)
    # The service refuses a late comment that was typed before the deadline passed.
    late = participant.post(doc_id, "comment", {"body": "Terlambat sedikit."})
    assert late.status_code == 409
    assert reload(doc_id).comments == []


def test_a_link_of_another_meeting_or_a_forged_link_finds_nothing(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = circulated_minutes(staff, rakor)
    stranger = Link(app, Rakor("Rakor Lain").invitee(0))
    assert stranger.client.get(stranger.url(doc_id)).status_code == 404
    assert stranger.client.get(stranger.url(doc_id) + "/pdf").status_code == 404

    forged = Link(app, rakor.participant)
    forged.token = personal_token(rakor.participant)[:-4] + "AAAA"
    response = forged.client.get(forged.url(doc_id))
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"

    own = Link(app, rakor.participant)
    assert own.get(doc_id).status_code == 200
    assert own.client.get(own.url(doc_id + 999)).status_code == 404

    # A comment through the other meeting's link (with a valid form token from that
    # person's own invitation page) is refused too, and changes nothing.
    before = state(doc_id)
    own_page = stranger.client.get(f"/i/{stranger.token}")
    assert own_page.status_code == 200
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', own_page.get_data(as_text=True))
    assert csrf
    posted = stranger.client.post(
        stranger.url(doc_id, "comment"), data={"csrf_token": csrf.group(1), "body": "Halo"}
    )
    assert posted.status_code == 404
    assert state(doc_id) == before


def test_a_participant_cannot_edit_through_the_link(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = circulated_minutes(staff, rakor)
    participant = Link(app, rakor.participant)
    participant.get(doc_id)
    before = state(doc_id)
    refused = participant.post(doc_id, "edit", {"version": "1", "notes-1": "Diubah peserta"})
    assert refused.status_code == 403
    assert "Hanya notulis dan sekretariat" in text_of(refused)
    assert refused.headers["Cache-Control"] == "no-store"
    assert state(doc_id) == before
    for step in ("finalise", "circulate"):
        response = participant.post(doc_id, step, {"version": "1", "deadline": future_local()})
        assert response.status_code == 403, step
    assert state(doc_id) == before

    # The minute-taker, through the same kind of link, may.
    taker = Link(app, rakor.minute_taker)
    page = taker.get(doc_id)
    assert '<textarea id="notes-1"' in page.get_data(as_text=True)
    saved = taker.post(doc_id, "edit", {"version": "1", "notes-1": "Dicatat notulis."})
    assert saved.status_code == 302
    assert reload(doc_id).content["agenda"][0]["notes"] == "Dicatat notulis."


def test_a_draft_before_circulation_is_not_shown_to_participants(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = create_minutes(staff, rakor)
    assert reload(doc_id).status is DocumentStatus.DRAFT
    # The minute-taker works on it through their link …
    assert Link(app, rakor.minute_taker).get(doc_id).status_code == 200
    # … a participant has nothing to read until it is circulated.
    assert Link(app, rakor.participant).get(doc_id).status_code == 404


# --- 3. finalise, render, download, sign in order -------------------------------------


def test_finalise_render_download_and_sign_in_order(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = circulated_minutes(staff, rakor)
    finalised = staff.post(f"/documents/{doc_id}/finalise", {"version": "1", "early_close": EARLY})
    assert finalised.status_code == 302
    doc = reload(doc_id)
    assert (doc.status, doc.render_state) == (DocumentStatus.FINAL, RenderState.PENDING)

    pending = staff.client.get(f"/documents/{doc_id}")
    assert '<meta http-equiv="refresh"' in pending.get_data(as_text=True)
    assert "PDF sedang disusun" in text_of(pending)
    assert staff.client.get(f"/documents/{doc_id}/pdf").status_code == 404
    # Nobody can sign before the file exists: the chair sees no form yet.
    chair = Link(app, rakor.chair)
    assert "doc-sign-form" not in chair.get(doc_id).get_data(as_text=True)

    rendered(reload(doc_id))
    ready = staff.client.get(f"/documents/{doc_id}")
    body = ready.get_data(as_text=True)
    assert '<meta http-equiv="refresh"' not in body
    assert f'href="/documents/{doc_id}/pdf"' in body
    pdf = staff.client.get(f"/documents/{doc_id}/pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == (
        f'attachment; filename="notulen-{rakor.meeting.id}.pdf"'
    )
    assert hashlib.sha256(pdf.data).hexdigest() == reload(doc_id).sha256

    # The chair signs first; the minute-taker is told they come after the chair.
    chair_page = chair.get(doc_id)
    assert "doc-sign-form" in chair_page.get_data(as_text=True)
    assert chair.url(doc_id, "sign") in chair_page.get_data(as_text=True)
    taker = Link(app, rakor.minute_taker)
    taker_page = taker.get(doc_id)
    assert "doc-sign-form" not in taker_page.get_data(as_text=True)
    # One period after "M.Si." (issue 16): the name's own closes the sentence.
    assert CHAIR_NAME.endswith(".")
    assert f"Anda menandatangani setelah {CHAIR_NAME}" in text_of(taker_page)
    assert f"{CHAIR_NAME}." not in text_of(taker_page)

    before = state(doc_id)
    early = taker.post(doc_id, "sign", {"key": "ca"})
    assert early.status_code == 409
    assert "Belum giliran" in text_of(early)
    assert CHAIR_NAME in text_of(early)
    assert state(doc_id) == before

    # A participant who is no signatory is refused outright.
    outsider = Link(app, rakor.participant).post(doc_id, "sign", {"key": "ca"})
    assert outsider.status_code == 403
    assert state(doc_id) == before

    first = chair.sign(doc_id)
    assert first.status_code == 302
    assert first.headers["Location"].endswith(chair.url(doc_id))
    doc = reload(doc_id)
    assert [s.signed_at is not None for s in doc.signatories] == [True, False]
    assert len(doc.files) == 2
    assert doc.status is DocumentStatus.FINAL
    # The chair cannot sign twice, and the minute-taker now sees the form.
    assert "doc-sign-form" not in chair.get(doc_id).get_data(as_text=True)
    assert "doc-sign-form" in taker.get(doc_id).get_data(as_text=True)

    second = taker.sign(doc_id)
    assert second.status_code == 302
    doc = reload(doc_id)
    assert doc.status is DocumentStatus.DISTRIBUTED
    assert len(doc.files) == 3
    issuer = ensure_ca(app).name  # the deployment's own CA
    assert [(s.name, s.key_source, s.certificate_issuer) for s in doc.signatories] == [
        (CHAIR_NAME, "ca", issuer),
        (TAKER_NAME, "ca", issuer),
    ]

    page = text_of(staff.client.get(f"/documents/{doc_id}"))
    assert "Ditandatangani dan dibagikan" in page
    assert page.count("ditandatangani") >= 2
    assert page.count(f"(sertifikat dari {issuer}; kode sekali pakai ke surel)") == 2
    assert "giliran menandatangani" not in page
    latest = staff.client.get(f"/documents/{doc_id}/pdf")
    assert hashlib.sha256(latest.data).hexdigest() == doc.sha256
    first_rev = staff.client.get(f"/documents/{doc_id}/pdf?revision=1")
    assert first_rev.status_code == 200
    assert hashlib.sha256(first_rev.data).hexdigest() == doc.files[1].sha256
    assert "revisi-1" in first_rev.headers["Content-Disposition"]
    assert staff.client.get(f"/documents/{doc_id}/pdf?revision=9").status_code == 404

    # Frozen: an edit through the page is refused and changes nothing.
    before = state(doc_id)
    frozen = staff.post(f"/documents/{doc_id}/edit", {"notes-1": "Koreksi terlambat"})
    assert frozen.status_code == 409
    assert "sudah final" in text_of(frozen)
    assert state(doc_id) == before
    frozen_taker = taker.post(doc_id, "edit", {"notes-1": "Koreksi terlambat"})
    assert frozen_taker.status_code == 409
    assert state(doc_id) == before


# --- 4. an uploaded PKCS#12 from another CA -----------------------------------------------


@pytest.fixture(scope="module")
def national_ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    """Stands in for a national e-signature CA: a separate root, not the deployment's."""
    return create_ca(tmp_path_factory.mktemp("national-views"), PASSPHRASE, "Balai Sertifikasi Uji")


def trust(app: Flask, authority: CertificateAuthority, folder: Path, monkeypatch: Any) -> None:
    """Make ``authority`` a configured trust root (``MEETCOORD_TRUST_ROOTS``)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    pem = folder / "trust-roots.pem"
    pem.write_bytes(authority.certificate.public_bytes(Encoding.PEM))
    monkeypatch.setitem(app.config, "TRUST_ROOTS", str(pem))


def upload(p12: bytes, passphrase: str, name: str = "kunci.p12") -> dict[str, Any]:
    return {"key": "pkcs12", "certificate": (io.BytesIO(p12), name), "passphrase": passphrase}


def sign_upload(link: Link, doc_id: int, data: dict[str, Any]) -> Any:
    if link.csrf is None:
        link.get(doc_id)
    return link.client.post(
        link.url(doc_id, "sign"),
        data={"csrf_token": link.csrf, **data},
        content_type="multipart/form-data",
    )


def test_wrong_passphrase_is_refused_beside_the_field_then_the_right_one_signs_in_memory(
    app: Flask,
    staff: Any,
    rakor: ClosedRakor,
    national_ca: CertificateAuthority,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc_id = final_minutes(staff, rakor)
    chair = Link(app, rakor.chair)
    chair.get(doc_id)
    p12 = p12_for(national_ca, name="YOHANES BILI")  # the chair, titles aside
    trust(app, national_ca, tmp_path, monkeypatch)

    before = state(doc_id)
    wrong = sign_upload(chair, doc_id, upload(p12, "bukan-sandinya"))
    assert wrong.status_code == 422
    assert "kata sandi salah" in field_error(wrong, "passphrase")
    assert 'value="pkcs12" checked' in wrong.get_data(as_text=True)  # the choice is kept
    assert "bukan-sandinya" not in wrong.get_data(as_text=True)  # the passphrase is not
    assert state(doc_id) == before

    watched = [Path(app.config["INSTANCE_PATH"]), ca_module.ca_dir(app.config["INSTANCE_PATH"])]
    watched.append(Path(__file__).resolve().parents[2] / "instance")
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(own_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(own_tmp))
    listed = {folder: listing(folder) for folder in watched}
    WriteWatch.writes = []
    WriteWatch.active = True
    try:
        signed = sign_upload(chair, doc_id, upload(p12, P12_PASSWORD))
    finally:
        WriteWatch.active = False
    assert signed.status_code == 302, text_of(signed)[:800]
    assert WriteWatch.writes == []
    assert {folder: listing(folder) for folder in watched} == listed
    assert listing(own_tmp) == set()

    doc = reload(doc_id)
    chair_row = doc.signatories[0]
    assert chair_row.signed_at is not None
    assert (chair_row.key_source, chair_row.certificate_issuer) == ("pkcs12", national_ca.name)
    assert len(doc.files) == 2
    page = text_of(staff.client.get(f"/documents/{doc_id}"))
    assert f"sertifikat dari {national_ca.name}" in page


def test_an_oversized_or_missing_certificate_file_is_refused_with_a_clear_message(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = final_minutes(staff, rakor)
    chair = Link(app, rakor.chair)
    before = state(doc_id)
    WriteWatch.writes = []
    WriteWatch.active = True
    try:
        big = sign_upload(chair, doc_id, upload(b"\x30" * (64 * 1024 + 1), P12_PASSWORD))
    finally:
        WriteWatch.active = False
    assert big.status_code == 422
    assert "paling besar 64 KB" in field_error(big, "certificate")
    assert WriteWatch.writes == []
    assert state(doc_id) == before

    missing = sign_upload(chair, doc_id, {"key": "pkcs12", "passphrase": P12_PASSWORD})
    assert missing.status_code == 422
    assert "Pilih berkas sertifikat PKCS#12" in field_error(missing, "certificate")
    assert state(doc_id) == before

    garbage = sign_upload(chair, doc_id, upload(b"bukan berkas p12", P12_PASSWORD))
    assert garbage.status_code == 422
    assert "tidak dapat dibuka" in field_error(garbage, "passphrase")
    assert state(doc_id) == before


def test_even_a_very_large_certificate_upload_never_reaches_the_disk(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = final_minutes(staff, rakor)
    chair = Link(app, rakor.chair)
    chair.get(doc_id)
    # A raw body, so that the test client itself does not spool it.
    boundary = "grenzeUji"
    fields = {"csrf_token": chair.csrf, "key": "pkcs12", "passphrase": P12_PASSWORD}
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="certificate"; '
        'filename="kunci.p12"\r\nContent-Type: application/x-pkcs12\r\n\r\n'
    ).encode()
    body += b"\x30" * (600 * 1024) + f"\r\n--{boundary}--\r\n".encode()
    before = state(doc_id)
    WriteWatch.writes = []
    WriteWatch.active = True
    try:
        response = chair.client.post(
            chair.url(doc_id, "sign"),
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
    finally:
        WriteWatch.active = False
    assert response.status_code in (413, 422)
    assert state(doc_id) == before
    assert WriteWatch.writes == []


def test_an_expired_uploaded_certificate_is_refused(
    app: Flask, staff: Any, rakor: ClosedRakor, national_ca: CertificateAuthority
) -> None:
    doc_id = final_minutes(staff, rakor)
    chair = Link(app, rakor.chair)
    old = p12_for(national_ca, now=datetime.now(UTC) - timedelta(days=800), days=730)
    before = state(doc_id)
    expired = sign_upload(chair, doc_id, upload(old, P12_PASSWORD))
    assert expired.status_code == 422
    assert "kedaluwarsa" in field_error(expired, "certificate")
    assert state(doc_id) == before


# --- 5. the public verification page ----------------------------------------------------


def test_verify_pages_after_the_chair_and_after_both_signed(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = final_minutes(staff, rakor)
    assert Link(app, rakor.chair).sign(doc_id).status_code == 302
    code = reload(doc_id).verify_code
    assert code is not None
    assert len(code) == 64
    public = phone(app)  # no login, no personal link

    half = public.get(f"/verify/{code}")
    assert half.status_code == 200
    shown = text_of(half)
    assert "Terdaftar, tetapi bukan versi final." in shown
    assert "Masih kurang 1 tanda tangan." in shown
    assert "ASLI dan FINAL" not in shown
    assert CHAIR_NAME in shown

    assert Link(app, rakor.minute_taker).sign(doc_id).status_code == 302
    doc = reload(doc_id)
    final = public.get(f"/verify/{code}")
    assert final.status_code == 200
    shown = text_of(final)
    assert "ASLI dan FINAL." in shown
    assert "Terdaftar, tetapi bukan versi final" not in shown
    assert "Ditandatangani dan dibagikan" in shown
    issuer = ensure_ca(app).name
    assert f"1. {CHAIR_NAME} — Pimpinan rapat" in shown
    assert f"2. {TAKER_NAME} — Notulis" in shown
    assert shown.count(f"<dt>Penerbit sertifikat</dt><dd>{issuer}</dd>") == 2
    assert shown.count('class="verify-signature is-ok"') == 2
    assert "Revisi berkas" in shown
    assert "2 / 2" in shown
    # Upper-case hex works too (a hash copied by hand).
    assert "ASLI dan FINAL." in text_of(public.get(f"/verify/{code.upper()}"))

    # The file with one signature, by its own SHA-256: registered, not the final one.
    first = public.get(f"/verify/{doc.files[1].sha256}")
    assert first.status_code == 200
    shown = text_of(first)
    assert "Terdaftar, tetapi bukan versi final." in shown
    assert "Masih kurang 1 tanda tangan." in shown
    assert "1 / 2" in shown

    unknown = public.get(f"/verify/{'ab' * 32}")
    assert unknown.status_code == 404
    assert "Tidak terdaftar." in text_of(unknown)
    assert public.get("/verify/bukan-kode").status_code == 404
    # The page never offers the file itself.
    assert f"/documents/{doc_id}/pdf" not in final.get_data(as_text=True)


def test_verify_uploads_final_changed_and_empty(app: Flask, staff: Any, rakor: ClosedRakor) -> None:
    doc_id = signed_minutes(app, staff, rakor)
    pdf = reload(doc_id).files[-1].pdf
    public = phone(app)
    form = public.get("/verify")
    assert form.status_code == 200
    assert "Periksa berkas PDF" in text_of(form)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.get_data(as_text=True))
    assert csrf

    def check(data: bytes | None, name: str = "notulen.pdf") -> Any:
        payload: dict[str, Any] = {"csrf_token": csrf.group(1)}
        if data is not None:
            payload["file"] = (io.BytesIO(data), name)
        return public.post("/verify", data=payload, content_type="multipart/form-data")

    final = check(pdf)
    assert final.status_code == 200
    shown = text_of(final)
    assert "ASLI dan FINAL." in shown
    assert "Berkas yang diperiksa: notulen.pdf" in shown
    assert CHAIR_NAME in shown
    assert TAKER_NAME in shown

    changed = bytearray(pdf)
    middle = len(changed) // 2
    changed[middle] = changed[middle] ^ 0x01
    modified = check(bytes(changed))
    assert modified.status_code == 200
    shown = text_of(modified)
    assert "DIUBAH." in shown
    assert "ASLI dan FINAL" not in shown

    empty = check(b"")
    assert empty.status_code == 422
    assert "Pilih berkas PDF yang akan diperiksa." in text_of(empty)
    nothing = check(None)
    assert nothing.status_code == 422
    assert "Pilih berkas PDF yang akan diperiksa." in text_of(nothing)


def test_verify_upload_of_a_non_pdf_says_it_cannot_be_read(app: Flask) -> None:
    public = phone(app)
    form = public.get("/verify")
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.get_data(as_text=True))
    assert csrf
    response = public.post(
        "/verify",
        data={
            "csrf_token": csrf.group(1),
            "file": (io.BytesIO(b"ini bukan PDF, hanya teks biasa"), "surat.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    shown = text_of(response)
    assert "Berkas tidak dapat dibaca sebagai PDF." in shown
    assert "DIUBAH" not in shown


# --- 6. the addendum ----------------------------------------------------------------------


def test_addendum_from_the_staff_page_refers_to_the_signed_minutes(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    doc_id = circulated_minutes(staff, rakor)
    # Before signing there is no addendum: the minutes themselves are still open.
    early = staff.post(f"/documents/{doc_id}/addendum", {"corrections": "Koreksi"})
    assert early.status_code == 409
    assert "Adendum dibuat untuk notulen yang sudah ditandatangani." in text_of(early)

    doc_id = signed_minutes_from_circulated(app, staff, rakor, doc_id)
    page = staff.client.get(f"/documents/{doc_id}")
    assert f'action="/documents/{doc_id}/addendum"' in page.get_data(as_text=True)

    empty = staff.post(f"/documents/{doc_id}/addendum", {"corrections": "  \n "})
    assert empty.status_code == 422
    assert "Isi paling sedikit satu butir" in field_error(empty, "corrections")

    made = staff.post(
        f"/documents/{doc_id}/addendum",
        {"corrections": "Nama desa tertulis Weepangali, seharusnya Wee Pangali.\nJam 09.10"},
    )
    new_id = document_id_from(made)
    assert new_id != doc_id
    addendum = reload(new_id)
    assert addendum.kind is DocumentKind.ADDENDUM
    assert addendum.parent_id == doc_id
    assert addendum.status is DocumentStatus.DRAFT
    assert addendum.content["corrections"] == [
        "Nama desa tertulis Weepangali, seharusnya Wee Pangali.",
        "Jam 09.10",
    ]
    shown = staff.client.get(f"/documents/{new_id}")
    assert shown.status_code == 200
    assert re.search(
        rf'mengoreksi\s*<a href="/documents/{doc_id}">Notulen Rakor Pangan</a>',
        shown.get_data(as_text=True),
    )
    assert "Mengoreksi notulen: Rakor Pangan" in text_of(shown)
    assert "Adendum dibuat: Adendum 1 Notulen Rakor Pangan" in text_of(shown)
    # The original is untouched, and its log records the addendum.
    original = reload(doc_id)
    assert original.status is DocumentStatus.DISTRIBUTED
    assert original.steps[-1].step == "addendum"


def signed_minutes_from_circulated(app: Flask, staff: Any, rakor: ClosedRakor, doc_id: int) -> int:
    response = staff.post(
        f"/documents/{doc_id}/finalise", {"version": reload(doc_id).version, "early_close": EARLY}
    )
    assert response.status_code == 302
    rendered(reload(doc_id))
    for who in (rakor.chair, rakor.minute_taker):
        assert Link(app, who).sign(doc_id).status_code == 302
    return doc_id
