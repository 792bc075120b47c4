"""Accounts: password storage, authentication and bearer tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from meetcoord.accounts import services
from meetcoord.accounts.models import ApiToken, User
from meetcoord.core.errors import Conflict, ValidationError
from meetcoord.extensions import db
from tests import factories


def test_password_is_hashed_and_checked():
    user = services.create_user(
        None,
        email="Admin@Bappeda.example.go.id",
        name="Admin",
        password="sangat-rahasia",
        role="admin",
    )
    assert user.email == "admin@bappeda.example.go.id"
    assert "sangat-rahasia" not in user.password_hash
    assert services.authenticate("ADMIN@bappeda.example.go.id", "sangat-rahasia") == user
    assert services.authenticate("admin@bappeda.example.go.id", "salah-sandi!") is None
    assert user.last_login_at is not None


def test_bad_account_data_reports_each_field():
    with pytest.raises(ValidationError) as caught:
        services.create_user(None, email="x", name=" ", password="pendek", role="raja")
    assert set(caught.value.errors) == {"email", "name", "password", "role"}
    assert db.session.scalar(select(User)) is None


def test_duplicate_email_refused():
    factories.user(email="staf@bappeda.example.go.id")
    with pytest.raises(Conflict):
        services.create_user(
            None,
            email="STAF@bappeda.example.go.id",
            name="B",
            password="Waikabubak-2026",
            role="viewer",
        )


def test_inactive_account_cannot_log_in():
    user = factories.user(is_active_account=False)
    assert services.authenticate(user.email, factories.PASSWORD) is None


def test_token_secret_is_never_stored_and_can_be_revoked():
    user = factories.user()
    token, secret = services.create_token(None, user, "sinkronisasi SIPD")
    assert secret.startswith("mc_")
    assert len(secret) > 40
    stored = db.session.scalar(select(ApiToken))
    assert secret not in (stored.token_hash, stored.prefix)
    assert services.user_for_token(secret) == user
    assert token.last_used_at is not None
    assert services.user_for_token(secret + "x") is None
    assert services.user_for_token("not-a-token") is None
    services.revoke_token(None, token)
    assert services.user_for_token(secret) is None


def test_token_of_inactive_user_refused():
    user = factories.user()
    _token, secret = services.create_token(None, user, "x")
    user.is_active_account = False
    assert services.user_for_token(secret) is None


@pytest.mark.parametrize("days", [None, "", "  "])
def test_a_token_issued_without_days_gets_the_default_window_not_forever(app, days):
    """The page, the CLI and the API all leave ``days`` empty at times: every door gives
    the configured window, so no token runs "until revoked"."""
    from datetime import timedelta

    from meetcoord.core.db import utcnow

    app.config["API_TOKEN_DEFAULT_DAYS"] = 30
    token, _secret = services.create_token(None, factories.user(), "ekspor SIPD", days=days)
    expires_at = token.expires_at.replace(tzinfo=token.expires_at.tzinfo or utcnow().tzinfo)
    assert timedelta(days=29, hours=23) < expires_at - utcnow() <= timedelta(days=30)
