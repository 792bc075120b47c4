"""The outbox over the API (issue 17.1): delivery status per message and per invitation,
retry, scoped like the page, and never a message body (it holds personal links)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.extensions import db
from meetcoord.meetings import links
from tests import factories
from tests.smtp_support import REFUSED, make_message

API = "/api/v1/outbox"


def _mail(n: int, invitation: Any, recipient: str | None = None) -> OutboxMessage:
    message = make_message(n, recipient)
    message.ref_type, message.ref_id = "invitation", invitation.id
    return message


def test_invitation_mail_is_listed_with_its_delivery_status_but_never_its_body(
    client: FlaskClient, api_token: Any
) -> None:
    staff, headers = api_token(Role.SECRETARIAT)
    meeting = factories.meeting(by=staff)
    invited = factories.invitation(meeting)
    factories.invitation(meeting)
    factories.schedule(meeting)  # the invitations go out: mail carrying personal links
    token = links.personal_token(invited)
    sent = db.session.query(OutboxMessage).filter_by(ref_id=invited.id).one()
    assert token.encode() in sent.message  # the body does hold the link...

    listing = client.get(f"{API}?ref_type=invitation&ref_id={invited.id}", headers=headers)
    assert listing.status_code == 200
    body = listing.get_json()
    assert set(body) == {"items", "page", "per_page", "total", "pages"}
    assert [item["id"] for item in body["items"]] == [sent.id]
    item = body["items"][0]
    assert item["status"] == "pending"
    assert item["status_label"] == "menunggu"
    assert item["kind"] == "invitation"
    assert item["kind_label"] == "Undangan rapat"
    assert item["attempts"] == 0
    assert item["next_attempt_at"] is not None
    assert item["sent_at"] is None
    assert item["zone_label"] == "WIB"
    one = client.get(f"{API}/{sent.id}", headers=headers)
    assert one.status_code == 200
    assert one.get_json() == item
    for response in (listing, one, client.get(API, headers=headers)):  # ...no answer does
        assert token not in response.get_data(as_text=True)
        assert "message" not in response.get_json()
    everything = client.get(API, headers=headers).get_json()
    assert everything["total"] == 2


def test_filters_narrow_and_unknown_values_are_refused(client: FlaskClient, api_token: Any) -> None:
    staff, headers = api_token(Role.SECRETARIAT)
    invited = factories.invitation(factories.meeting(by=staff))
    pending = _mail(1, invited)
    failed = _mail(2, invited, recipient=REFUSED)
    failed.status = OutboxStatus.FAILED
    failed.kind = "update"
    db.session.commit()

    def ids(query: str) -> list[int]:
        response = client.get(f"{API}?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert ids("status=failed") == [failed.id]
    assert ids("status=pending") == [pending.id]
    assert ids("kind=update") == [failed.id]
    assert ids(f"recipient={REFUSED.upper()}") == [failed.id]
    assert ids("order=asc") == [pending.id, failed.id]
    assert ids("order=desc") == [failed.id, pending.id]
    assert ids(f"ref_type=invitation&ref_id={invited.id + 1000}") == []
    assert ids("q=ditolak") == [failed.id]
    bad = client.get(f"{API}?status=lost", headers=headers)
    assert bad.status_code == 422
    assert "status" in bad.get_json()["errors"]
    counts = client.get(f"{API}/counts", headers=headers).get_json()
    assert counts == {"pending": 1, "sent": 0, "failed": 1}


def test_retry_puts_a_failed_message_back_in_the_queue_once(
    client: FlaskClient, api_token: Any
) -> None:
    staff, headers = api_token(Role.SECRETARIAT)
    invited = factories.invitation(factories.meeting(by=staff))
    failed = _mail(1, invited, recipient=REFUSED)
    failed.status = OutboxStatus.FAILED
    failed.attempts = 8
    failed.last_error = "SMTP 550 5.1.1 mailbox unavailable"
    db.session.commit()
    before = client.get(f"{API}/{failed.id}", headers=headers).get_json()
    assert (before["status"], before["attempts"]) == ("failed", 8)
    assert before["last_error"] == "SMTP 550 5.1.1 mailbox unavailable"
    assert before["next_attempt_at"] is None

    retried = client.post(f"{API}/{failed.id}/retry", headers=headers)
    assert retried.status_code == 200
    assert (retried.get_json()["status"], retried.get_json()["attempts"]) == ("pending", 0)
    db.session.expire_all()
    row = db.session.get(OutboxMessage, failed.id)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    again = client.post(f"{API}/{failed.id}/retry", headers=headers)
    assert again.status_code == 409  # no longer failed: nothing changes
    assert again.headers["Content-Type"].startswith("application/problem+json")
    assert client.post(f"{API}/999999/retry", headers=headers).status_code == 404


def test_another_institution_sees_none_of_it_and_viewers_none_at_all(
    client: FlaskClient, api_token: Any
) -> None:
    owner = factories.user(Role.SECRETARIAT)
    invited = factories.invitation(factories.meeting(by=owner))
    failed = _mail(1, invited, recipient=REFUSED)
    failed.status = OutboxStatus.FAILED
    db.session.commit()
    ntb = factories.institution(name="Bappeda Provinsi Nusa Tenggara Barat")
    stranger = factories.user(Role.SECRETARIAT, institution=ntb, member=True)
    from meetcoord.accounts.services import create_token

    _t, secret = create_token(None, stranger, "ntb")
    other = {"Authorization": f"Bearer {secret}"}
    assert client.get(API, headers=other).get_json()["total"] == 0
    listed = client.get(f"{API}?ref_type=invitation&ref_id={invited.id}", headers=other)
    assert listed.get_json()["items"] == []
    assert client.get(f"{API}/{failed.id}", headers=other).status_code == 404
    assert client.post(f"{API}/{failed.id}/retry", headers=other).status_code == 404
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).status is OutboxStatus.FAILED

    _viewer, viewer_headers = api_token(Role.VIEWER)
    assert client.get(API, headers=viewer_headers).status_code == 403
    assert client.post(f"{API}/{failed.id}/retry", headers=viewer_headers).status_code == 403
    assert client.get(API).status_code == 401

    _admin, admin_headers = api_token(Role.ADMIN)
    assert client.get(f"{API}/{failed.id}", headers=admin_headers).status_code == 200
