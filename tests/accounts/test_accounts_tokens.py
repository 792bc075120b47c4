"""API tokens: an optional expiry, and listing and revoking them on the administrator's
page, from the command line and through the API (issue 11, point 3)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from meetcoord.accounts import admin, services
from meetcoord.accounts.models import ApiToken, Role
from meetcoord.core.db import utcnow
from meetcoord.core.errors import ValidationError
from meetcoord.extensions import db
from tests import factories
from tests.helpers import count, field_error, text

TOKENS = "/api/v1/tokens"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def expire(token: ApiToken) -> None:
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(expires_at=utcnow()))
    db.session.commit()


def test_a_token_with_an_expiry_stops_working_when_it_expires(client: FlaskClient) -> None:
    user = factories.user()
    token, secret = services.create_token(None, user, "sinkron SIPD", days=30)
    assert token.expires_at is not None
    assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)
    assert services.user_for_token(secret) == user
    assert client.get(TOKENS, headers=bearer(secret)).status_code == 200
    expire(token)
    assert services.user_for_token(secret) is None
    response = client.get(TOKENS, headers=bearer(secret))
    assert response.status_code == 401
    assert token.state == "expired"


@pytest.mark.parametrize("days", ["0", "abc", "4000", "-5", "٣"])
def test_a_bad_expiry_is_refused_and_nothing_is_issued(days: str) -> None:
    user = factories.user()
    with pytest.raises(ValidationError) as caught:
        services.create_token(None, user, "x", days=days)
    assert set(caught.value.errors) == {"days"}
    assert count(ApiToken) == 0


def test_administrator_issues_lists_and_revokes_tokens_on_the_account_page(
    client: FlaskClient, auth: Any
) -> None:
    auth.login("admin")
    staff = factories.user("secretariat")
    response = auth.post(
        f"/admin/users/{staff.id}/tokens", {"name": "layar ruang rapat", "days": "7"}
    )
    assert response.status_code == 201
    html = text(response)
    secret = re.search(r"<code>(mc_[A-Za-z0-9_-]+)</code>", html).group(1)
    assert "hanya ditampilkan sekali" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert services.user_for_token(secret) == staff
    token = staff.tokens[0]
    assert token.expires_at is not None

    page = text(client.get(f"/admin/users/{staff.id}"))
    assert "layar ruang rapat" in page
    assert f"{token.prefix}…" in page
    assert secret not in page  # shown once, never again
    assert "WIB" in page

    refused = auth.post(f"/admin/users/{staff.id}/tokens", {"name": "", "days": "nanti"})
    assert refused.status_code == 422
    assert "Wajib diisi." in field_error(text(refused), "name")
    assert "Isi bilangan bulat 1 sampai 3650." in field_error(text(refused), "days")
    assert len(staff.tokens) == 1

    response = auth.post(f"/admin/users/{staff.id}/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert token.is_revoked
    assert services.user_for_token(secret) is None
    assert "dicabut" in text(client.get(f"/admin/users/{staff.id}"))


def test_only_administrators_reach_the_token_pages(client: FlaskClient, auth: Any) -> None:
    staff = auth.login("secretariat")
    token, _secret = services.create_token(None, staff, "x")
    assert auth.post(f"/admin/users/{staff.id}/tokens", {"name": "lagi"}).status_code == 403
    revoke = auth.post(f"/admin/users/{staff.id}/tokens/{token.id}/revoke")
    assert revoke.status_code == 403
    assert not token.is_revoked


def test_cli_issues_lists_and_revokes(runner: Any) -> None:
    staff = factories.user("secretariat", email="meja@bappeda-sbd.go.id")
    issued = runner.invoke(
        args=["create-token", "--email", staff.email, "--name", "meja", "--days", "7"]
    )
    assert issued.exit_code == 0, issued.output
    secret = issued.output.strip()
    token = staff.tokens[0]
    assert token.expires_at is not None

    listing = runner.invoke(args=["tokens", "list"])
    assert listing.exit_code == 0, listing.output
    line = next(row for row in listing.output.splitlines() if token.prefix in row)
    assert staff.email in line
    assert "active" in line
    assert f"{token.expires_at:%Y-%m-%d}" in line
    assert secret not in listing.output

    revoked = runner.invoke(args=["tokens", "revoke", str(token.id)])
    assert revoked.exit_code == 0, revoked.output
    assert f"revoked token {token.id}" in revoked.output
    assert services.user_for_token(secret) is None
    mine = runner.invoke(args=["tokens", "list", "--email", staff.email])
    assert "revoked" in mine.output

    assert runner.invoke(args=["tokens", "revoke", "999999"]).exit_code != 0
    bad = runner.invoke(args=["create-token", "--email", staff.email, "--name", "x", "--days", "0"])
    assert bad.exit_code == 2
    assert "days:" in bad.output


def test_api_lists_own_tokens_and_revokes_them(client: FlaskClient, api_token: Any) -> None:
    user, headers = api_token(Role.SECRETARIAT)
    other, _ = api_token(Role.SECRETARIAT)
    spare, spare_secret = services.create_token(None, user, "cadangan", days=3)

    listing = client.get(TOKENS, headers=headers)
    assert listing.status_code == 200
    items = listing.get_json()["items"]
    assert {item["name"] for item in items} == {"test", "cadangan"}
    assert all(item["user_id"] == user.id for item in items)
    assert all("token_hash" not in item for item in items)
    [mine] = [item for item in items if item["id"] == spare.id]
    assert mine["state"] == "active"
    assert mine["expires_at"] is not None

    assert client.get(f"{TOKENS}?user_id={other.id}", headers=headers).status_code == 403
    assert client.get(f"{TOKENS}?all=true", headers=headers).status_code == 403
    other_token = other.tokens[0]
    assert client.delete(f"{TOKENS}/{other_token.id}", headers=headers).status_code == 404
    assert not other_token.is_revoked

    assert client.delete(f"{TOKENS}/{spare.id}", headers=headers).status_code == 204
    assert services.user_for_token(spare_secret) is None
    assert client.get(TOKENS, headers=bearer(spare_secret)).status_code == 401


def test_api_administrator_sees_and_revokes_anyones(client: FlaskClient, api_token: Any) -> None:
    _admin, headers = api_token(Role.ADMIN)
    staff, staff_headers = api_token(Role.SECRETARIAT)
    listing = client.get(f"{TOKENS}?user_id={staff.id}", headers=headers)
    assert [item["email"] for item in listing.get_json()["items"]] == [staff.email]
    everyone = client.get(f"{TOKENS}?all=true", headers=headers).get_json()["items"]
    assert {item["user_id"] for item in everyone} >= {staff.id, _admin.id}
    assert client.get(f"{TOKENS}?user_id=999999", headers=headers).status_code == 404

    response = client.delete(f"{TOKENS}/{staff.tokens[0].id}", headers=headers)
    assert response.status_code == 204
    assert client.get(TOKENS, headers=staff_headers).status_code == 401


def test_api_token_routes_are_documented(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    listing = spec["paths"][TOKENS]["get"]
    revoke = spec["paths"][TOKENS + "/{id}"]["delete"]
    assert listing["summary"]
    assert revoke["summary"]
    assert {"200", "401", "403"} <= set(listing["responses"])
    assert {"204", "401", "404"} <= set(revoke["responses"])
    assert "application/problem+json" in revoke["responses"]["404"]["content"]


def test_a_password_reset_kills_the_tokens(app: Flask) -> None:
    administrator = factories.user(Role.ADMIN)
    staff = factories.user(Role.SECRETARIAT)
    tokens = [services.create_token(None, staff, name)[0] for name in ("a", "b")]
    admin.reset_password(administrator, staff, "Loura-Kodi-2026")
    assert all(token.is_revoked for token in tokens)
