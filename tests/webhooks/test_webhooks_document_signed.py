"""``document.signed`` reaches a receiver once, when the last signature completes the
minutes: signed with the endpoint's secret, ids and fingerprint only, no personal link."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from meetcoord.documents.models import DocumentStatus
from meetcoord.extensions import db
from meetcoord.meetings.links import personal_token
from meetcoord.webhooks import delivery
from meetcoord.webhooks.models import EVENTS, DeliveryStatus, WebhookDelivery
from tests.documents_support import ClosedRakor, ensure_ca, final_minutes, sign_with_code
from tests.webhooks.support import Receiver, receiver_fixture, register
from tests.webhooks.test_webhooks_delivery import verify


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from receiver_fixture()


@pytest.fixture
def rakor(app: Any) -> ClosedRakor:
    ensure_ca(app)
    return ClosedRakor(app)


def signed_events() -> list[WebhookDelivery]:
    query = select(WebhookDelivery).where(WebhookDelivery.event_type == "document.signed")
    return list(db.session.scalars(query))


def test_the_last_signature_sends_document_signed_once(rakor, receiver):
    endpoint, secret = register(receiver.url, ["document.signed"])
    _other, _ = register(receiver.url, [e for e in EVENTS if e != "document.signed"])
    doc = final_minutes(rakor)

    sign_with_code(rakor.chair, doc.id)
    assert signed_events() == []  # one signature of two: not signed yet
    sign_with_code(rakor.minute_taker, doc.id)
    db.session.refresh(doc)
    assert doc.status is DocumentStatus.DISTRIBUTED

    [row] = signed_events()  # one, to the subscribed endpoint only
    assert row.endpoint_id == endpoint.id
    sent = delivery.deliver_due()
    assert sent >= 1
    assert delivery.deliver_due() == 0  # nothing twice
    [got] = [r for r in receiver.requests if r.headers["X-Meetcoord-Event"] == "document.signed"]
    assert got.headers["X-Meetcoord-Delivery"] == str(row.id)
    assert verify(secret, got.headers["X-Meetcoord-Signature"], got.body)
    body = json.loads(got.body)
    assert (body["id"], body["type"]) == (row.event_id, "document.signed")
    document = body["data"]["document"]
    assert document["id"] == doc.id
    assert document["meeting_id"] == rakor.meeting.id
    assert document["sha256"] == doc.sha256 == doc.files[-1].sha256  # the signed file
    assert document["signed_at"] is not None
    assert body["data"]["institution_id"] == rakor.meeting.institution_id

    text = got.body.decode()
    for invitation in rakor.meeting.invitations:
        assert personal_token(invitation) not in text
        if invitation.person.email:
            assert invitation.person.email not in text
    assert "token" not in text
    db.session.refresh(row)
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 1)
