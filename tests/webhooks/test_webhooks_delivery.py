"""Webhooks delivered to a real HTTP server on loopback: once, signed, retried after the
receiver fails, only to subscribed endpoints of the owning institution, never to a
private address without the flag."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from meetcoord import webhooks
from meetcoord.core.db import utcnow
from meetcoord.extensions import db
from meetcoord.webhooks import delivery, services
from meetcoord.webhooks.models import DeliveryStatus, WebhookDelivery
from tests import factories
from tests.live_support import LiveRakor, command, connect
from tests.webhooks.support import Receiver, receiver_fixture, register


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from receiver_fixture()


@pytest.fixture
def rakor() -> LiveRakor:
    rakor = LiveRakor()
    rakor.items = [item.id for item in rakor.add_items("Pembukaan", "Ketahanan pangan")]
    return rakor


def record_decision(app: Any, rakor: LiveRakor, text: str = "Disepakati") -> int:
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    assert command(chair, "item.activate", item_id=rakor.items[0])["ok"]
    ack = command(chair, "decision.record", text=text)
    assert ack["ok"], ack
    return int(ack["id"])


def deliveries(event_type: str | None = None) -> list[WebhookDelivery]:
    query = select(WebhookDelivery).order_by(WebhookDelivery.id)
    if event_type is not None:
        query = query.where(WebhookDelivery.event_type == event_type)
    return list(db.session.scalars(query))


def verify(secret: str, header: str, body: bytes) -> bool:
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_a_recorded_decision_is_delivered_once_and_signed(app, rakor, receiver):
    endpoint, secret = register(receiver.url, ["decision.recorded"])
    decision_id = record_decision(app, rakor)

    [row] = deliveries()
    assert (row.endpoint_id, row.event_type, row.status) == (
        endpoint.id,
        "decision.recorded",
        DeliveryStatus.PENDING,
    )
    assert delivery.deliver_due() == 1
    assert delivery.deliver_due() == 0  # nothing twice

    [got] = receiver.requests
    assert got.path == "/hooks/meetcoord"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Meetcoord-Event"] == "decision.recorded"
    assert got.headers["X-Meetcoord-Delivery"] == str(row.id)
    assert verify(secret, got.headers["X-Meetcoord-Signature"], got.body)
    assert not verify(secret + "x", got.headers["X-Meetcoord-Signature"], got.body)
    body = json.loads(got.body)
    assert body["id"] == row.event_id
    assert body["type"] == "decision.recorded"
    data = body["data"]
    assert data["decision"]["id"] == decision_id
    assert data["decision"]["meeting_id"] == rakor.meeting.id
    assert data["institution_id"] == rakor.meeting.institution_id
    assert "token" not in got.body.decode()
    assert "zoom" not in got.body.decode()

    db.session.refresh(row)
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.SENT, 1, 200)
    assert row.sent_at is not None


def test_a_failing_receiver_is_retried_after_backoff_with_the_same_event(app, rakor, receiver):
    register(receiver.url, ["decision.recorded"])
    receiver.answers = [500]
    record_decision(app, rakor)
    [row] = deliveries()

    assert delivery.deliver_due() == 1
    db.session.refresh(row)
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.PENDING, 1, 500)
    assert row.last_error == "HTTP 500"
    assert row.next_attempt_at > utcnow() + timedelta(seconds=20)  # backoff: about 30 s
    assert delivery.deliver_due() == 0  # not due yet
    assert len(receiver.requests) == 1

    later = row.next_attempt_at + timedelta(seconds=1)
    assert delivery.deliver_due(clock=lambda: later) == 1
    db.session.refresh(row)
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.SENT, 2, 200)
    first, second = receiver.requests
    assert json.loads(first.body)["id"] == json.loads(second.body)["id"] == row.event_id
    assert first.body == second.body
    assert first.headers["X-Meetcoord-Delivery"] == second.headers["X-Meetcoord-Delivery"]


def test_after_the_last_attempt_a_delivery_fails_and_a_person_can_retry_it(
    app, rakor, receiver, monkeypatch
):
    monkeypatch.setitem(app.config, "WEBHOOKS_MAX_ATTEMPTS", 1)
    _endpoint, _secret = register(receiver.url, ["decision.recorded"])
    receiver.answers = [503]
    record_decision(app, rakor)
    [row] = deliveries()
    delivery.deliver_due()
    db.session.refresh(row)
    assert row.status is DeliveryStatus.FAILED

    admin = factories.user("admin")
    services.retry_delivery(admin, row)
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 0)
    assert delivery.deliver_due() == 1
    db.session.refresh(row)
    assert row.status is DeliveryStatus.SENT
    assert len(receiver.requests) == 2


def test_an_unsubscribed_event_and_another_institution_get_nothing(app, rakor, receiver):
    mine, _ = register(receiver.url, ["meeting.cancelled"])
    other_institution = factories.institution()
    theirs, _ = register(receiver.url, ["decision.recorded"], other_institution)
    inactive, _ = register(receiver.url, ["decision.recorded"])
    services.update_endpoint(factories.user("admin"), inactive, {"active": False})

    record_decision(app, rakor)
    assert deliveries() == []
    assert delivery.deliver_due() == 0
    assert receiver.requests == []

    # The subscribed event of the same meeting does reach the meeting's institution only.
    from meetcoord.meetings import services as meetings

    meetings.cancel_meeting(rakor.staff, rakor.meeting)
    [row] = deliveries()
    assert (row.endpoint_id, row.event_type) == (mine.id, "meeting.cancelled")
    assert row.payload["meeting"]["status"] == "cancelled"
    assert theirs.id not in {r.endpoint_id for r in deliveries()}


def test_a_rolled_back_change_announces_nothing(app, rakor, receiver):
    register(receiver.url, ["meeting.changed"])
    nested = db.session.begin_nested()
    webhooks.meeting_changed(rakor.meeting, {"title"})
    db.session.flush()
    assert len(deliveries()) == 1
    nested.rollback()
    assert deliveries() == []


def test_private_addresses_are_refused_without_the_flag(app, receiver, monkeypatch):
    endpoint, _ = register(receiver.url, ["meeting.scheduled"])  # registered with the flag
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_LOOPBACK", False)
    admin = factories.user("admin")
    for url in (
        receiver.url,
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "ftp://example.com/hook",
    ):
        with pytest.raises(services.ValidationError) as refused:
            services.create_endpoint(admin, {"url": url, "events": ["meeting.scheduled"]})
        assert "url" in refused.value.errors, url

    # Already registered: refused again at delivery, and the receiver hears nothing.
    factories.schedule(factories.meeting(by=factories.user("secretariat")))
    [row] = deliveries()
    assert row.endpoint_id == endpoint.id
    delivery.deliver_due()
    db.session.refresh(row)
    assert receiver.requests == []
    assert row.status is DeliveryStatus.PENDING
    assert row.attempts == 1
    assert "only https" in (row.last_error or "")


def test_a_name_resolving_to_a_private_address_is_refused_at_delivery(monkeypatch):
    import socket

    def fake(host: str, port: int, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    outcome = delivery.post("https://hooks.example.com/x", b"{}", {}, timeout=1, loopback=True)
    assert not outcome.ok
    assert "10.0.0.7" in (outcome.error or "")
    assert delivery.check_url("https://hooks.example.com/x?a=1", False)[1:] == (
        "hooks.example.com",
        443,
        "/x?a=1",
    )
