"""``/api/v1/webhooks``: institution admins register, change, test and watch endpoints;
the secret is answered once; others see nothing or are refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meetcoord.accounts.services import create_token
from meetcoord.webhooks import delivery
from meetcoord.webhooks.models import WebhookDelivery
from tests import factories
from tests.webhooks.support import Receiver, institution_admin, receiver_fixture

BASE = "/api/v1/webhooks"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from receiver_fixture()


def bearer(account) -> dict[str, str]:
    _token, secret = create_token(None, account, "test")
    return {"Authorization": f"Bearer {secret}"}


def test_an_institution_admin_manages_an_endpoint_over_the_api(client, receiver, db_session):
    headers = bearer(institution_admin())
    created = client.post(
        BASE, json={"url": receiver.url, "events": ["decision.recorded"]}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["secret"].startswith("whsec_")
    assert len(body["secret"]) > 40
    assert created.headers["Location"].endswith(f"{BASE}/{body['id']}")
    item = f"{BASE}/{body['id']}"

    read = client.get(item, headers=headers).get_json()
    assert "secret" not in read
    assert "secret_salt" not in read
    listed = client.get(BASE, headers=headers).get_json()
    assert [e["id"] for e in listed["items"]] == [body["id"]]
    assert {"page", "per_page", "total", "pages"} <= set(listed)

    patched = client.patch(
        item, json={"events": ["meeting.cancelled", "decision.recorded"]}, headers=headers
    )
    assert patched.status_code == 200
    assert patched.get_json()["events"] == ["decision.recorded", "meeting.cancelled"]
    bad = client.patch(item, json={"events": ["meeting.exploded"]}, headers=headers)
    assert bad.status_code == 422

    rotated = client.post(f"{item}/rotate-secret", headers=headers).get_json()["secret"]
    assert rotated != body["secret"]

    ping = client.post(f"{item}/test", headers=headers)
    assert ping.status_code == 202
    assert ping.get_json()["event_type"] == "ping"
    assert delivery.deliver_due() == 1
    [got] = receiver.requests
    assert got.headers["X-Meetcoord-Event"] == "ping"
    assert delivery.verify_signature(rotated, got.headers["X-Meetcoord-Signature"], got.body)
    assert not delivery.verify_signature(
        body["secret"], got.headers["X-Meetcoord-Signature"], got.body
    )

    sent = client.get(f"{item}/deliveries", query_string={"status": "sent"}, headers=headers)
    assert [d["event_type"] for d in sent.get_json()["items"]] == ["ping"]
    pending = client.get(f"{item}/deliveries", query_string={"status": "pending"}, headers=headers)
    assert pending.get_json()["items"] == []
    retry = client.post(f"{BASE}/deliveries/{ping.get_json()['id']}/retry", headers=headers)
    assert retry.status_code == 409  # only a failed one

    assert client.delete(item, headers=headers).status_code == 204
    assert client.get(item, headers=headers).status_code == 404
    assert db_session.query(WebhookDelivery).count() == 0


def test_a_private_url_is_a_field_error(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_LOOPBACK", False)
    headers = bearer(institution_admin())
    answer = client.post(
        BASE,
        json={"url": "https://192.168.1.5/hook", "events": ["decision.recorded"]},
        headers=headers,
    )
    assert answer.status_code == 422
    assert "url" in answer.get_json()["errors"]


def test_secretariat_is_refused_and_another_institution_sees_nothing(client, receiver):
    admin = institution_admin()
    created = client.post(
        BASE, json={"url": receiver.url, "events": ["meeting.scheduled"]}, headers=bearer(admin)
    ).get_json()
    item = f"{BASE}/{created['id']}"

    secretariat = bearer(factories.user("secretariat"))
    assert client.get(item, headers=secretariat).status_code == 403
    assert client.get(BASE, headers=secretariat).get_json()["items"] == []
    refused = client.post(
        BASE, json={"url": receiver.url, "events": ["meeting.scheduled"]}, headers=secretariat
    )
    assert refused.status_code == 403

    stranger = bearer(institution_admin(factories.institution()))
    assert client.get(item, headers=stranger).status_code == 404
    assert client.post(f"{item}/rotate-secret", headers=stranger).status_code == 404
    assert client.get(BASE, headers=stranger).get_json()["items"] == []

    viewer = bearer(factories.user("viewer"))
    assert client.get(BASE, headers=viewer).status_code == 403


def test_the_settings_page_lists_endpoints_and_their_deliveries(client, auth, receiver):
    admin = institution_admin()
    from meetcoord.webhooks import services

    endpoint, _ = services.create_endpoint(
        admin, {"url": receiver.url, "events": ["meeting.scheduled"], "description": "SIPD"}
    )
    services.send_test(admin, endpoint)
    auth.login(user=admin)
    page = client.get("/settings/webhooks")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert receiver.url in html
    assert "SIPD" in html
    assert "ping" in html
    assert "menunggu" in html
    assert " WIB" in html  # the delivery's time in the installation's zone, labelled
