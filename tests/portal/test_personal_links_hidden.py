"""Staff never read anyone's personal link (issue 11, point 1).

A personal link opens a participant's page, their documents and the request for their
signing code, so no staff page or API answer may show one: the meeting page offers "Kirim
ulang tautan" instead, which mails the invitee their own link through the outbox (with a
confirmation, an audit entry, a pace per invitation, and a clear word when there is no
address). Every other place a staff login could read a link is checked too: the API,
the outbox page (which lists subjects, never bodies), the audit trail, the documents.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from meetcoord.core.audit import AuditEntry
from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.meetings.links import personal_token
from meetcoord.meetings.models import Invitation, Meeting
from tests import factories
from tests.documents_support import ClosedRakor, ensure_ca, final_minutes, sign_with_code
from tests.helpers import count, text
from tests.kiosk_support import phone
from tests.live_support import LiveRakor

API = "/api/v1"


def tokens(meeting: Meeting) -> list[str]:
    return [personal_token(inv) for inv in meeting.invitations]


def assert_no_link(body: str, meeting: Meeting, where: str) -> None:
    leaked = [t for t in tokens(meeting) if t in body]
    assert leaked == [], f"{where} shows a personal link"
    assert "/i/" not in body, where


@pytest.fixture
def rakor(app: Flask) -> LiveRakor:
    return LiveRakor()


@pytest.fixture
def staff(auth: Any, rakor: LiveRakor) -> Any:
    auth.login(user=rakor.staff)
    return auth


def link_mails(invitation: Invitation) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind == "personal_link", OutboxMessage.ref_id == invitation.id
            )
        )
    )


# --- the meeting page ----------------------------------------------------------------------


def test_the_meeting_page_shows_no_personal_link_and_offers_to_mail_it(
    staff: Any, rakor: LiveRakor
) -> None:
    for tab in ("overview", "sites", "agenda", "invitees", "checkin", "live", "documents"):
        shown = staff.client.get(f"/meetings/{rakor.meeting.id}?tab={tab}")
        assert shown.status_code == 200
        assert_no_link(text(shown), rakor.meeting, f"the meeting page's {tab} tab")
    page = staff.client.get(f"/meetings/{rakor.meeting.id}?tab=invitees")
    body = text(page)
    for inv in rakor.meeting.invitations:
        assert f"/invitations/{inv.id}/resend-link" in body
    assert "Kirim ulang tautan" in body


def test_send_the_link_again_asks_first_then_mails_the_invitee_and_audits(
    staff: Any, rakor: LiveRakor
) -> None:
    url = f"/meetings/{rakor.meeting.id}/invitations/{rakor.chair.id}/resend-link"
    asked = staff.client.get(url)
    assert asked.status_code == 200
    assert "Kirim ulang tautan pribadi?" in text(asked)
    assert rakor.chair.person.email in text(asked)
    assert_no_link(text(asked), rakor.meeting, "the confirmation")
    assert link_mails(rakor.chair) == []  # a GET sends nothing

    done = staff.post(url, follow_redirects=True)
    assert done.status_code == 200
    assert f"dikirim ulang ke {rakor.chair.person.email}" in text(done)
    assert_no_link(text(done), rakor.meeting, "the page after sending")
    (mail,) = link_mails(rakor.chair)
    assert mail.recipient == rakor.chair.person.email
    assert personal_token(rakor.chair) not in mail.subject
    body = message_from_bytes(mail.message, policy=default_policy).get_body()
    assert f"/i/{personal_token(rakor.chair)}" in body.get_content()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "resend_link")).one()
    assert (entry.actor_id, entry.entity_type, entry.entity_id) == (
        rakor.staff.id,
        "invitations",
        rakor.chair.id,
    )
    # Without the form's CSRF token nothing is sent.
    forged = staff.client.post(url, data={})
    assert forged.status_code == 400
    assert len(link_mails(rakor.chair)) == 1


def test_sending_again_is_paced_and_needs_an_address(
    staff: Any, auth: Any, rakor: LiveRakor
) -> None:
    url = f"/meetings/{rakor.meeting.id}/invitations/{rakor.participant.id}/resend-link"
    for _ in range(3):
        assert staff.post(url).status_code == 302
    fourth = staff.post(url)
    assert fourth.status_code == 429
    assert "sudah dikirim ulang 3 kali dalam satu jam" in text(fourth)
    assert len(link_mails(rakor.participant)) == 3
    # An hour later it may go again.
    for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "resend_link")):
        entry.at = datetime.now(UTC) - timedelta(hours=2)
    db.session.commit()
    assert staff.post(url).status_code == 302

    rakor.minute_taker.person.email = None
    db.session.commit()
    no_mail = staff.post(
        f"/meetings/{rakor.meeting.id}/invitations/{rakor.minute_taker.id}/resend-link"
    )
    assert no_mail.status_code == 422
    assert "tidak punya alamat surel" in text(no_mail)
    assert link_mails(rakor.minute_taker) == []
    page = text(staff.client.get(f"/meetings/{rakor.meeting.id}?tab=invitees"))
    assert "tanpa surel" in page


def test_a_viewer_cannot_send_links(client: Any, auth: Any, rakor: LiveRakor) -> None:
    auth.login("viewer")
    url = f"/meetings/{rakor.meeting.id}/invitations/{rakor.chair.id}/resend-link"
    assert auth.client.get(url).status_code == 403
    assert auth.post(url).status_code == 403
    assert link_mails(rakor.chair) == []


# --- the API -------------------------------------------------------------------------------


@pytest.fixture
def api(app: Flask) -> Any:
    return phone(app)  # an address of its own: rate limits never leak between tests


def test_the_api_twin_mails_the_link_and_answers_only_where_it_went(
    api: Any, api_token: Any, rakor: LiveRakor
) -> None:
    _editor, headers = api_token("secretariat")
    url = f"{API}/meetings/{rakor.meeting.id}/invitations/{rakor.chair.id}/resend-link"
    response = api.post(url, headers=headers)
    assert response.status_code == 202, text(response)
    assert response.get_json() == {"sent_to": rakor.chair.person.email}
    assert_no_link(text(response), rakor.meeting, "the API answer")
    assert len(link_mails(rakor.chair)) == 1

    _viewer, read_only = api_token("viewer")
    assert api.post(url, headers=read_only).status_code == 403
    assert api.post(url).status_code == 401
    other = LiveRakor("Rakor Lain")
    foreign = f"{API}/meetings/{rakor.meeting.id}/invitations/{other.chair.id}/resend-link"
    assert api.post(foreign, headers=headers).status_code == 404
    rakor.participant.person.email = None
    db.session.commit()
    no_mail = api.post(
        f"{API}/meetings/{rakor.meeting.id}/invitations/{rakor.participant.id}/resend-link",
        headers=headers,
    )
    assert no_mail.status_code == 422
    assert no_mail.mimetype == "application/problem+json"
    assert len(link_mails(rakor.chair)) == 1

    draft = factories_meeting_draft(rakor)
    refused = api.post(
        f"{API}/meetings/{draft.id}/invitations/{draft.invitations[0].id}/resend-link",
        headers=headers,
    )
    assert refused.status_code == 409


def factories_meeting_draft(rakor: LiveRakor) -> Meeting:
    """A draft meeting with one invitee: its invitations have not gone out yet."""
    from meetcoord.meetings import invitations, services

    meeting = services.create_meeting(
        rakor.staff,
        {
            "title": "Rapat draf",
            "kind": "coordination",
            "host_venue_id": rakor.site.venue_id,
            "start_at": "2030-01-10T09:00",
            "end_at": "2030-01-10T11:00",
        },
    )
    person = factories.person(name="Peserta Draf")
    invitations.invite(rakor.staff, meeting, {"person_ids": [person.id]})
    return meeting


# --- everywhere else a staff login can look ----------------------------------------------


def test_no_staff_page_or_api_answer_holds_a_personal_link(
    app: Flask, auth: Any, api: Any, api_token: Any
) -> None:
    """A closed meeting whose minutes were circulated (every invitee got their link by
    mail, so the outbox holds them all) and signed by the chair with a mailed code."""
    ensure_ca(app)
    rakor = ClosedRakor(app)
    doc = final_minutes(rakor)
    sign_with_code(rakor.chair, doc.id)
    assert count(OutboxMessage, OutboxMessage.kind == "circulation") > 0
    meeting = rakor.meeting

    auth.login("admin")
    for url in (
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/documents",
        f"/documents/{doc.id}",
        "/outbox",
        "/outbox?status=pending",
        "/admin/audit",
        f"/meetings/{meeting.id}/attendance",
        f"/meetings/{meeting.id}/live",
    ):
        response = auth.client.get(url)
        assert response.status_code == 200, url
        assert_no_link(text(response), meeting, url)

    _editor, headers = api_token("secretariat")
    for url in (
        f"{API}/meetings/{meeting.id}",
        f"{API}/meetings/{meeting.id}/invitations",
        f"{API}/meetings/{meeting.id}/documents",
        f"{API}/documents/{doc.id}",
        f"{API}/meetings/{meeting.id}/attendance",
    ):
        response = api.get(url, headers=headers)
        assert response.status_code == 200, url
        body = text(response)
        assert not any(t in body for t in tokens(meeting)), url
        assert not re.search(r"/i/[A-Za-z0-9_-]{20,}", body), url
