"""The berita acara kesepakatan and the surat undangan through the secretariat's pages
(issue 6): parties chosen with checkboxes and signing in order through their personal
links, and invitation letters numbered from the yearly sequence and rendered to PDF.
"""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from meetcoord.core.outbox import OutboxMessage
from meetcoord.documents.models import Document, DocumentKind, DocumentStatus, RenderState
from meetcoord.documents.pdf.letter import ROMAN_MONTHS
from meetcoord.extensions import db
from meetcoord.meetings import invitations
from meetcoord.meetings.models import Invitation
from tests import factories
from tests.documents.test_documents_views import Link, document_id_from, reload, state, text_of
from tests.documents_support import ClosedRakor, attend, ensure_ca, rendered
from tests.kiosk_support import Rakor, phone

WITA = ZoneInfo("Asia/Makassar")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def today_in_wita() -> datetime:
    return datetime.now(UTC).astimezone(WITA)


# --- berita acara kesepakatan -------------------------------------------------------------


@pytest.fixture
def rakor(app: Flask) -> ClosedRakor:
    """The closed Rakor Pangan, with the chair and the Ambon coordinator each speaking for
    an agency of their own (the participants share the food-security office)."""
    ensure_ca(app)
    closed = ClosedRakor(app)
    for invitation, name in (
        (closed.chair, "Sekretariat Daerah Sumba Barat Daya"),
        (closed.coordinator, "Bappeda Provinsi Maluku"),
    ):
        invitation.person.organization_id = factories.organization(name=name).id
    # Everyone came but the third participant, who declined and never checked in.
    attend(closed.participants[0], closed.participants[1], closed.chair, closed.coordinator)
    db.session.commit()
    return closed


@pytest.fixture
def staff(auth: Any, rakor: ClosedRakor) -> Any:
    auth.login(user=rakor.staff)
    return auth


def parties(rakor: ClosedRakor) -> list[Invitation]:
    """In signing order: the food-security office, the regency, the province."""
    return [rakor.participant, rakor.chair, rakor.coordinator]


def create_agreement(staff: Any, rakor: ClosedRakor, chosen: list[Invitation]) -> Any:
    return staff.post(
        f"/meetings/{rakor.meeting.id}/documents/agreement",
        {
            "parties": [str(inv.id) for inv in chosen],
            "points": "Cadangan pangan dinaikkan 10 persen.\nDistribusi beras mulai Desember.",
        },
    )


def test_the_documents_page_offers_every_agency_representative_as_a_party(
    staff: Any, rakor: ClosedRakor
) -> None:
    page = staff.client.get(f"/meetings/{rakor.meeting.id}/documents")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    offered = set(re.findall(r'name="parties" value="(\d+)"', body))
    present = {rakor.participants[0], rakor.participants[1], rakor.chair, rakor.coordinator}
    expected = {str(inv.id) for inv in present}
    assert offered == expected
    assert str(rakor.ambon_participant.id) not in offered  # no agency, cannot be a party
    assert str(rakor.participants[2].id) not in offered  # never came, cannot be a party
    # The points start from the decisions the live room recorded.
    assert "Cadangan pangan daerah dinaikkan 10 persen" in text_of(page)


def test_an_agreement_needs_two_parties_of_different_agencies(
    staff: Any, rakor: ClosedRakor
) -> None:
    def documents() -> list[int]:
        return list(
            db.session.scalars(select(Document.id).where(Document.meeting_id == rakor.meeting.id))
        )

    one = create_agreement(staff, rakor, [rakor.chair])
    assert one.status_code == 422
    body = one.get_data(as_text=True)
    fieldset = re.search(r'<fieldset class="field has-error">(.*?)</fieldset>', body, re.S)
    assert fieldset, "the parties field is not marked"
    assert "Pilih paling sedikit dua pihak" in html.unescape(fieldset.group(1))
    # What was typed and ticked is kept.
    assert f'value="{rakor.chair.id}" checked' in body
    assert "Distribusi beras mulai Desember." in text_of(one)
    assert documents() == []

    same_agency = create_agreement(staff, rakor, [rakor.participants[0], rakor.participants[1]])
    assert same_agency.status_code == 422
    assert "Setiap instansi diwakili satu orang saja." in text_of(same_agency)
    assert documents() == []

    stranger = create_agreement(
        staff, rakor, [rakor.chair, rakor.coordinator, Rakor("Rakor Lain").invitee(0)]
    )
    assert stranger.status_code == 422
    assert "tidak diundang ke rapat ini" in text_of(stranger)
    assert documents() == []


def test_agreement_is_signed_by_the_parties_in_order_and_verifies_as_final(
    app: Flask, staff: Any, rakor: ClosedRakor
) -> None:
    chosen = parties(rakor)
    doc_id = document_id_from(create_agreement(staff, rakor, chosen))
    doc = reload(doc_id)
    assert doc.kind is DocumentKind.AGREEMENT
    assert doc.status is DocumentStatus.DRAFT
    assert doc.content["party_invitations"] == [inv.id for inv in chosen]
    assert doc.content["points"] == [
        "Cadangan pangan dinaikkan 10 persen.",
        "Distribusi beras mulai Desember.",
    ]
    page = text_of(staff.client.get(f"/documents/{doc_id}"))
    assert "Berita Acara Kesepakatan Rakor Pangan" in page
    assert "Bappeda Provinsi Maluku" in page

    # Through the links, nobody can finalise an agreement: that is the secretariat's. A
    # draft is not even visible there (the same 404 as a forged link).
    before = state(doc_id)
    refused = Link(app, rakor.chair).post(doc_id, "finalise", {"version": "1"})
    assert refused.status_code == 404
    assert state(doc_id) == before

    finalised = staff.post(f"/documents/{doc_id}/finalise", {"version": "1"})
    assert finalised.status_code == 302
    doc = reload(doc_id)
    assert doc.status is DocumentStatus.FINAL
    assert [(s.position, s.invitation_id) for s in doc.signatories] == [
        (1, chosen[0].id),
        (2, chosen[1].id),
        (3, chosen[2].id),
    ]
    assert doc.signatories[1].role_label == "PIHAK KEDUA (Sekretariat Daerah Sumba Barat Daya)"
    rendered(doc)
    assert reload(doc_id).render_state is RenderState.READY

    links = [Link(app, inv) for inv in chosen]
    assert "doc-sign-form" in links[0].get(doc_id).get_data(as_text=True)
    assert "doc-sign-form" not in links[1].get(doc_id).get_data(as_text=True)

    before = state(doc_id)
    early = links[1].post(doc_id, "sign", {"key": "ca"})
    assert early.status_code == 409
    assert "Belum giliran" in text_of(early)
    assert state(doc_id) == before
    also_early = links[2].post(doc_id, "sign", {"key": "ca"})
    assert also_early.status_code == 409
    assert state(doc_id) == before

    mails_before = db.session.scalar(
        select(db.func.count()).select_from(OutboxMessage).where(OutboxMessage.ref_id == doc_id)
    )
    for n, link in enumerate(links, start=1):
        response = link.sign(doc_id)
        assert response.status_code == 302, text_of(response)[:800]
        assert [s.signed_at is not None for s in reload(doc_id).signatories] == [
            i < n for i in range(3)
        ]
    doc = reload(doc_id)
    assert doc.status is DocumentStatus.DISTRIBUTED
    assert len(doc.files) == 4  # unsigned, then one revision per party
    distributed = db.session.scalar(
        select(db.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.ref_id == doc_id, OutboxMessage.kind != "circulation")
    )
    assert distributed > mails_before

    verified = text_of(phone(app).get(f"/verify/{doc.verify_code}"))
    assert "ASLI dan FINAL." in verified
    for n, signatory in enumerate(doc.signatories, start=1):
        assert f"{n}. {signatory.name}" in verified
    assert len(re.findall(r'<article class="verify-signature is-ok">', verified)) == 3

    text = pdf_text(doc.files[-1].pdf)
    assert "BERITA ACARA KESEPAKATAN" in text
    assert "PIHAK KEDUA" in text
    assert "PIHAK KETIGA" in text
    assert "Distribusi beras mulai Desember." in text


# --- surat undangan ---------------------------------------------------------------------


@pytest.fixture
def scheduled(app: Flask, auth: Any) -> Rakor:
    """Rakor Pangan, scheduled: hosted in Tambolaka (WITA), linked to Ambon (WIT), with a
    second agency invited besides the food-security office."""
    ensure_ca(app)
    meeting = Rakor()
    agency = factories.organization(name="Dinas Kesehatan Provinsi Maluku")
    person = factories.person(name="Dr. Ambon Sehat", organization_id=agency.id)
    invitations.invite(
        meeting.staff,
        meeting.meeting,
        {"person_ids": [person.id], "site_id": meeting.other_site.id},
    )
    auth.login(user=meeting.staff)
    return meeting


def issue_letter(auth: Any, meeting_id: int) -> Any:
    return auth.post(f"/meetings/{meeting_id}/documents/invitation-letter")


def test_invitation_letters_are_numbered_in_sequence_and_rendered(
    app: Flask, auth: Any, scheduled: Rakor
) -> None:
    year = today_in_wita().year
    page = auth.client.get(f"/meetings/{scheduled.meeting.id}/documents")
    assert (
        f'action="/meetings/{scheduled.meeting.id}/documents/invitation-letter"'
        in page.get_data(as_text=True)
    )

    first_id = document_id_from(issue_letter(auth, scheduled.meeting.id))
    first = reload(first_id)
    assert first.kind is DocumentKind.INVITATION_LETTER
    assert first.number == f"005/001/BAPPEDA/{year}"
    assert first.status is DocumentStatus.FINAL  # frozen at once: its number is given out
    assert first.signatories == []
    shown = text_of(auth.client.get(f"/documents/{first_id}"))
    assert f"Nomor 005/001/BAPPEDA/{year}" in shown
    assert "Dinas Kesehatan Provinsi Maluku" in shown

    second_id = document_id_from(issue_letter(auth, scheduled.meeting.id))
    assert reload(second_id).number == f"005/002/BAPPEDA/{year}"

    rendered(reload(first_id))
    pdf = auth.client.get(f"/documents/{first_id}/pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert (
        f'filename="surat-undangan-{scheduled.meeting.id}.pdf"'
        in pdf.headers["Content-Disposition"]
    )
    text = pdf_text(pdf.data)
    assert f"005/001/BAPPEDA/{year}" in text
    assert "WITA" in text
    assert re.search(r"\bWIT\b", text), "the Ambon site's time in WIT"
    assert "Dinas Ketahanan Pangan SBD" in text
    assert "Dinas Kesehatan Provinsi Maluku" in text
    assert "Rakor Pangan" in text

    # A letter has no signatures: once rendered, its own page on /verify is final.
    verified = text_of(phone(app).get(f"/verify/{reload(first_id).verify_code}"))
    assert "ASLI dan FINAL." in verified
    listed = text_of(auth.client.get(f"/meetings/{scheduled.meeting.id}/documents"))
    assert f"005/001/BAPPEDA/{year}" in listed
    assert f"005/002/BAPPEDA/{year}" in listed


def test_no_letter_for_a_closed_meeting_and_a_refusal_uses_no_number(
    app: Flask, auth: Any, scheduled: Rakor
) -> None:
    closed = ClosedRakor(app, title="Rakor Selesai")
    page = auth.client.get(f"/meetings/{closed.meeting.id}/documents")
    assert "/documents/invitation-letter" not in page.get_data(as_text=True)
    refused = issue_letter(auth, closed.meeting.id)
    assert refused.status_code == 409
    assert "Surat undangan dibuat untuk rapat yang belum berlangsung." in text_of(refused)
    assert (
        db.session.scalars(
            select(Document).where(Document.kind == DocumentKind.INVITATION_LETTER)
        ).all()
        == []
    )

    letter = reload(document_id_from(issue_letter(auth, scheduled.meeting.id)))
    assert letter.number == f"005/001/BAPPEDA/{today_in_wita().year}"


def test_letter_number_follows_the_institutions_pattern(
    app: Flask, auth: Any, scheduled: Rakor
) -> None:
    """The meeting's institution numbers the letter (the settings only seeded the first)."""
    scheduled.meeting.institution.letter_number_pattern = "B-{seq:04d}/UND/{month_roman}/{year}"
    db.session.commit()
    doc_id = document_id_from(issue_letter(auth, scheduled.meeting.id))
    today = today_in_wita()
    expected = f"B-0001/UND/{ROMAN_MONTHS[today.month - 1]}/{today.year}"
    assert reload(doc_id).number == expected
    again = reload(document_id_from(issue_letter(auth, scheduled.meeting.id)))
    assert again.number == expected.replace("B-0001", "B-0002")
    rendered(reload(doc_id))
    assert expected in pdf_text(reload(doc_id).files[0].pdf)
    assert expected in clean_page_text(auth.client.get(f"/documents/{doc_id}"))


def clean_page_text(response: Any) -> str:
    assert response.status_code == 200
    assert 'class="field-errors"' not in response.get_data(as_text=True)
    return text_of(response)
