"""The API twin: settings, registrants, decisions, and the public form as JSON."""

from __future__ import annotations

from sqlalchemy import func, select

from meetcoord.extensions import db
from meetcoord.registration.models import Registration
from tests import factories
from tests.registration.support import form, fresh_ip, open_registration, post, token


def _count() -> int:
    return db.session.scalar(select(func.count(Registration.id))) or 0


def test_settings_get_put_turn_on_and_off(client, api_token) -> None:
    meeting = factories.meeting()
    _user, headers = api_token()
    url = f"/api/v1/meetings/{meeting.id}/registration"
    # the meeting's own editor's token
    from meetcoord.accounts.services import create_token

    _t, secret = create_token(None, meeting.created_by, "test")
    headers = {"Authorization": f"Bearer {secret}"}
    got = client.get(url, headers=headers)
    assert got.status_code == 200
    assert got.json["enabled"] is False
    bad = client.put(url, json={"capacity": 2**63}, headers=headers)
    assert bad.status_code == 422
    assert bad.headers["Content-Type"].startswith("application/problem+json")
    bad = client.put(url, json={"fields": {"shoe_size": "required"}}, headers=headers)
    assert bad.status_code == 422
    put = client.put(
        url,
        json={
            "enabled": True,
            "capacity": 5,
            "auto_accept": False,
            "fields": {"phone": "required"},
        },
        headers=headers,
    )
    assert put.status_code == 200, put.json
    assert put.json["enabled"] is True
    assert put.json["capacity"] == 5
    assert put.json["fields"]["phone"] == "required"
    assert put.json["url"].endswith(put.json["url"].rsplit("/", 1)[1])
    off = client.put(url, json={"enabled": False}, headers=headers)
    assert off.json["enabled"] is False
    _other, other_headers = api_token()  # another account of the same institution: a secretary
    assert (
        client.get("/api/v1/meetings/999999/registration", headers=other_headers).status_code == 404
    )


def test_public_json_post_guarded_and_answered_alike(client) -> None:
    _meeting, settings = open_registration()
    url = f"/api/v1/registration/{settings.slug}"
    page = client.get(f"{url}?zone=Asia/Makassar", environ_base={"REMOTE_ADDR": fresh_ip()})
    assert page.status_code == 200
    assert page.json["zone_label"] == "WITA"
    assert page.json["fields"]["region"] == "required"
    assert page.json["form_token"]
    ip = fresh_ip()
    env = {"REMOTE_ADDR": ip}
    fast = client.post(
        url, json={**form(1), "form_token": page.json["form_token"]}, environ_base=env
    )
    assert fast.status_code == 400
    assert fast.json["reason"] == "fast"
    trap = client.post(
        url, json={**form(1), "form_token": token(settings.slug), "website": "x"}, environ_base=env
    )
    assert trap.status_code == 400
    invalid = client.post(
        url, json={**form(1, email="nope"), "form_token": token(settings.slug)}, environ_base=env
    )
    assert invalid.status_code == 422
    assert "email" in invalid.json["errors"]
    assert _count() == 0
    first = client.post(url, json={**form(1), "form_token": token(settings.slug)}, environ_base=env)
    again = client.post(url, json={**form(1), "form_token": token(settings.slug)}, environ_base=env)
    assert first.status_code == again.status_code == 202
    assert first.json == again.json
    assert _count() == 1
    # one budget per address for both doors (10 a minute): 5 used above, 4 by the page
    for n in range(2, 6):
        assert post(client, settings.slug, form(n), ip=ip).status_code == 303
    tenth = client.post(url, json={**form(6), "form_token": token(settings.slug)}, environ_base=env)
    assert tenth.status_code == 202
    over = client.post(url, json={**form(7), "form_token": token(settings.slug)}, environ_base=env)
    assert over.status_code == 429
    assert post(client, settings.slug, form(8), ip=ip).status_code == 429


def test_registrants_list_filter_and_decisions(client) -> None:
    meeting, settings = open_registration(capacity=2)
    url = f"/api/v1/registration/{settings.slug}"
    for n in range(3):
        client.post(
            url,
            json={**form(n), "form_token": token(settings.slug)},
            environ_base={"REMOTE_ADDR": fresh_ip()},
        )
    from meetcoord.accounts.services import create_token

    _t, secret = create_token(None, meeting.created_by, "test")
    headers = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/meetings/{meeting.id}/registrants"
    listed = client.get(f"{base}?status=waitlisted", headers=headers)
    assert listed.status_code == 200
    assert listed.json["total"] == 1
    assert client.get(f"{base}?status=bogus", headers=headers).status_code == 422
    assert client.get(f"{base}?per_page=1&page=2", headers=headers).json["page"] == 2
    ids = [r["id"] for r in client.get(f"{base}?status=pending", headers=headers).json["items"]]
    accepted = client.post(f"{base}/accept", json={"ids": ids}, headers=headers)
    assert accepted.status_code == 200
    assert accepted.json["done"] == 2
    rejected = client.post(f"{base}/reject", json={"ids": ids[:1]}, headers=headers)
    assert rejected.json["done"] == 1
    counts = client.get(f"/api/v1/meetings/{meeting.id}/registration", headers=headers).json[
        "counts"
    ]
    assert counts == {**counts, "accepted": 1, "rejected": 1, "pending": 1, "waitlisted": 0}
    assert client.post(f"{base}/accept", json={"ids": [2**40]}, headers=headers).status_code == 422
