"""Accounts and API tokens over the API (issue 17.1): the same services and rules as the
administrator's pages; a token issued here is shown once, has a time window and stops
working the moment it is revoked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from meetcoord.accounts.models import ApiToken, Role, User
from meetcoord.core.audit import AuditEntry
from meetcoord.core.db import utcnow
from meetcoord.extensions import db
from tests import factories
from tests.helpers import count

ACCOUNTS = "/api/v1/accounts"
TOKENS = "/api/v1/tokens"
NEW_PASSWORD = "kata-sandi-baru-yang-panjang-2026"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_administrator_creates_an_account_in_an_institution(
    client: FlaskClient, api_token: Any
) -> None:
    _admin, headers = api_token(Role.ADMIN)
    ntb = factories.institution(name="Bappeda Provinsi Nusa Tenggara Barat")
    body = {
        "email": "Notulis@NTBprov.go.id",
        "name": "Baiq Nurul",
        "role": "secretariat",
        "password": NEW_PASSWORD,
        "institution_id": ntb.id,
    }
    made = client.post(ACCOUNTS, json=body, headers=headers)
    assert made.status_code == 201, made.get_json()
    account = made.get_json()
    assert account["email"] == "notulis@ntbprov.go.id"
    assert account["active"] is True
    assert account["role_label"] == "Sekretariat"
    assert account["memberships"] == [
        {"institution_id": ntb.id, "institution_name": ntb.name, "role": "secretariat"}
    ]
    assert "password" not in account
    assert "password_hash" not in account
    assert made.headers["Location"].endswith(f"{ACCOUNTS}/{account['id']}")
    assert client.get(made.headers["Location"], headers=headers).get_json() == account

    again = client.post(ACCOUNTS, json=body, headers=headers)
    assert again.status_code == 409
    assert again.get_json()["existing_id"] == account["id"]

    before = count(User)
    bad = client.post(
        ACCOUNTS,
        json={"email": "x", "name": "", "role": "chief", "password": "123", "institution_id": 9999},
        headers=headers,
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) >= {"email", "name", "role", "password", "institution_id"}
    assert count(User) == before  # bad input changes nothing


def test_list_filters_by_institution_role_and_active(client: FlaskClient, api_token: Any) -> None:
    _admin, headers = api_token(Role.ADMIN)
    ntb = factories.institution(name="Bappeda Provinsi Nusa Tenggara Barat")
    clerk = factories.user(Role.SECRETARIAT, institution=ntb, name="Lalu Ahmad")
    watcher = factories.user(Role.VIEWER, institution=ntb, name="Lalu Budi")
    watcher.is_active_account = False
    db.session.commit()

    def emails(query: str) -> list[str]:
        response = client.get(f"{ACCOUNTS}?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [item["email"] for item in response.get_json()["items"]]

    assert emails(f"institution_id={ntb.id}&sort=name") == [clerk.email, watcher.email]
    assert emails(f"institution_id={ntb.id}&role=viewer") == [watcher.email]
    assert emails(f"institution_id={ntb.id}&active=true") == [clerk.email]
    assert emails("q=lalu&active=false") == [watcher.email]
    page = client.get(f"{ACCOUNTS}?per_page=1", headers=headers).get_json()
    assert page["per_page"] == 1
    assert page["total"] >= 3
    assert len(page["items"]) == 1
    assert client.get(f"{ACCOUNTS}?role=chief", headers=headers).status_code == 422
    assert client.get(f"{ACCOUNTS}?sort=password_hash", headers=headers).status_code == 422


def test_update_deactivate_reset_and_the_last_administrator(
    client: FlaskClient, api_token: Any
) -> None:
    admin, headers = api_token(Role.ADMIN)
    staff = factories.user(Role.SECRETARIAT)
    url = f"{ACCOUNTS}/{staff.id}"
    changed = client.patch(url, json={"role": "viewer", "name": "Maria Bulu"}, headers=headers)
    assert changed.status_code == 200
    assert (changed.get_json()["role"], changed.get_json()["name"]) == ("viewer", "Maria Bulu")
    assert client.patch(url, json={"role": "chief"}, headers=headers).status_code == 422
    assert client.patch(url, json={"password_hash": "x"}, headers=headers).status_code == 422

    off = client.post(f"{url}/deactivate", headers=headers)
    assert off.status_code == 200
    assert off.get_json()["active"] is False
    assert client.post(f"{url}/deactivate", headers=headers).status_code == 200  # again: same
    assert client.patch(url, json={"active": True}, headers=headers).get_json()["active"]

    reset = client.post(f"{url}/password", json={"password": NEW_PASSWORD}, headers=headers)
    assert reset.status_code == 204
    db.session.expire_all()
    assert db.session.get(User, staff.id).check_password(NEW_PASSWORD)
    assert (
        client.post(f"{url}/password", json={"password": "1"}, headers=headers).status_code == 422
    )
    ended = client.post(f"{url}/sessions/end", headers=headers)
    assert ended.status_code == 200
    assert ended.get_json() == {"ended": 0}

    # Every other administrator off: this one is the last and stays.
    for other in db.session.scalars(db.select(User).where(User.role == Role.ADMIN)):
        if other.id != admin.id:
            other.is_active_account = False
    db.session.commit()
    last = client.post(f"{ACCOUNTS}/{admin.id}/deactivate", headers=headers)
    assert last.status_code == 409
    assert db.session.get(User, admin.id).is_active_account
    assert client.get(f"{ACCOUNTS}/999999", headers=headers).status_code == 404
    audited = {
        e.action for e in db.session.scalars(db.select(AuditEntry)) if e.entity_id == staff.id
    }
    assert {"update", "reset_password", "end_sessions"} <= audited


def test_only_administrators_administer_accounts(client: FlaskClient, api_token: Any) -> None:
    staff, headers = api_token(Role.SECRETARIAT)
    before = count(User)
    assert client.get(ACCOUNTS, headers=headers).status_code == 403
    assert client.get(f"{ACCOUNTS}/{staff.id}", headers=headers).status_code == 403
    refused = client.post(
        ACCOUNTS,
        json={"email": "a@b.go.id", "name": "A", "role": "admin", "password": NEW_PASSWORD},
        headers=headers,
    )
    assert refused.status_code == 403
    assert (
        client.patch(f"{ACCOUNTS}/{staff.id}", json={"role": "admin"}, headers=headers).status_code
        == 403
    )
    assert count(User) == before
    assert db.session.get(User, staff.id).role is Role.SECRETARIAT
    assert client.get(ACCOUNTS).status_code == 401


def test_a_token_issued_through_the_api_is_shown_once_used_and_revoked(
    client: FlaskClient, api_token: Any
) -> None:
    _admin, headers = api_token(Role.ADMIN)
    staff = factories.user(Role.SECRETARIAT)
    issued = client.post(
        TOKENS, json={"name": "sinkron SIPD", "user_id": staff.id, "days": 7}, headers=headers
    )
    assert issued.status_code == 201, issued.get_json()
    assert issued.headers["Cache-Control"] == "no-store"
    body = issued.get_json()
    secret = body["secret"]
    assert secret.startswith("mc_")
    assert secret.startswith(body["prefix"])
    assert body["user_id"] == staff.id
    assert body["state"] == "active"
    token = db.session.get(ApiToken, body["id"])
    assert secret not in (token.token_hash, token.prefix)  # only its hash is kept
    assert timedelta(days=6) < token.expires_at - utcnow() <= timedelta(days=7)

    # Used: the staff member reads their own tokens — never a secret in any list or read.
    own = client.get(TOKENS, headers=bearer(secret))
    assert own.status_code == 200
    assert [item["id"] for item in own.get_json()["items"]] == [token.id]
    item = own.get_json()["items"][0]
    assert item["last_used_at"] is not None
    assert {"name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"} <= set(item)
    for response in (
        own,
        client.get(f"{TOKENS}?all=true", headers=headers),
        client.get(f"{TOKENS}/{token.id}", headers=headers),
    ):
        assert response.status_code == 200
        assert secret not in response.get_data(as_text=True)
        assert "secret" not in response.get_data(as_text=True)

    # Revoked, then refused at once; revoking again is harmless.
    assert client.delete(f"{TOKENS}/{token.id}", headers=headers).status_code == 204
    assert client.get(f"{TOKENS}/{token.id}", headers=headers).get_json()["state"] == "revoked"
    assert client.get(TOKENS, headers=bearer(secret)).status_code == 401
    assert client.delete(f"{TOKENS}/{token.id}", headers=headers).status_code == 204


def test_every_token_has_a_window_from_config_and_never_outlives_its_issuer(
    app: Flask, client: FlaskClient, api_token: Any
) -> None:
    admin, headers = api_token(Role.ADMIN)
    default = client.post(TOKENS, json={"name": "bawaan"}, headers=headers).get_json()
    token = db.session.get(ApiToken, default["id"])
    assert token.user_id == admin.id
    days = app.config["API_TOKEN_DEFAULT_DAYS"]
    assert timedelta(days=days - 1) < token.expires_at - utcnow() <= timedelta(days=days)

    maximum = app.config["API_TOKEN_MAX_DAYS"]
    too_long = client.post(TOKENS, json={"name": "x", "days": maximum + 1}, headers=headers)
    assert too_long.status_code == 422
    assert set(too_long.get_json()["errors"]) == {"days"}

    # A token issued with a 2-day token ends when that one does, not in 30 days.
    short = client.post(TOKENS, json={"name": "pendek", "days": 2}, headers=headers).get_json()
    child = client.post(
        TOKENS, json={"name": "anak", "days": 30}, headers=bearer(short["secret"])
    ).get_json()
    parent = db.session.get(ApiToken, short["id"])
    assert db.session.get(ApiToken, child["id"]).expires_at == parent.expires_at


def test_only_administrators_issue_tokens_and_nobody_touches_anothers(
    client: FlaskClient, api_token: Any
) -> None:
    _staff, headers = api_token(Role.SECRETARIAT)
    other, other_headers = api_token(Role.SECRETARIAT)
    before = count(ApiToken)
    assert client.post(TOKENS, json={"name": "lagi"}, headers=headers).status_code == 403
    assert count(ApiToken) == before
    mine = client.get(TOKENS, headers=other_headers).get_json()["items"][0]
    assert client.get(f"{TOKENS}/{mine['id']}", headers=headers).status_code == 404
    assert client.delete(f"{TOKENS}/{mine['id']}", headers=headers).status_code == 404
    assert client.get(f"{TOKENS}?all=true", headers=headers).status_code == 403
    assert client.get(f"{TOKENS}?user_id={other.id}", headers=headers).status_code == 403
    assert db.session.get(ApiToken, mine["id"]).revoked_at is None
