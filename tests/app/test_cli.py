"""The ``meetcoord`` administrative commands."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meetcoord.accounts.models import ApiToken, Role, User
from meetcoord.accounts.services import find_by_email, user_for_token
from meetcoord.extensions import db
from tests import factories


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_create_admin_with_password_option(runner: Any) -> None:
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "Kepala.Bappeda@NTBProv.go.id",
            "--name",
            "Ir. Iswandi",
            "--password",
            "rahasia-admin-2026",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created admin kepala.bappeda@ntbprov.go.id" in result.output
    admin = find_by_email("kepala.bappeda@ntbprov.go.id")
    assert admin is not None
    assert admin.role is Role.ADMIN
    assert admin.check_password("rahasia-admin-2026")


def test_create_admin_reads_password_from_environment(runner: Any) -> None:
    result = runner.invoke(
        args=["create-admin", "--email", "admin@bappeda-sbd.go.id"],
        env={"MEETCOORD_ADMIN_PASSWORD": "dari-lingkungan-123"},
    )
    assert result.exit_code == 0, result.output
    admin = find_by_email("admin@bappeda-sbd.go.id")
    assert admin is not None
    assert admin.check_password("dari-lingkungan-123")


def test_create_admin_prompts_for_password_when_not_given(runner: Any) -> None:
    result = runner.invoke(
        args=["create-admin", "--email", "operator@malukuprov.go.id"],
        input="ketik-dua-kali-1\nketik-dua-kali-1\n",
    )
    assert result.exit_code == 0, result.output
    assert find_by_email("operator@malukuprov.go.id").check_password("ketik-dua-kali-1")


def test_create_user_with_bad_email_exits_2_and_creates_nothing(runner: Any) -> None:
    before = user_count()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "bukan-email",
            "--name",
            "Staf Sekretariat",
            "--role",
            "secretariat",
            "--password",
            "cukup-panjang-123",
        ]
    )
    assert result.exit_code == 2
    assert "error:" in result.output
    assert "email" in result.output.lower()
    assert user_count() == before


def test_create_user_with_short_password_and_duplicate_email(runner: Any) -> None:
    existing = factories.user(Role.SECRETARIAT)
    before = user_count()
    short = runner.invoke(
        args=[
            *("create-user", "--email", "baru@bappenas.go.id", "--name", "Baru"),
            *("--role", "viewer", "--password", "pendek"),
        ]
    )
    assert short.exit_code == 2
    assert "password" in short.output
    duplicate = runner.invoke(
        args=[
            *("create-user", "--email", existing.email, "--name", "Kembar"),
            *("--role", "viewer", "--password", "cukup-panjang-123"),
        ]
    )
    assert duplicate.exit_code == 2
    assert "email" in duplicate.output
    assert user_count() == before


def _authenticated_api_url(app: Flask) -> str | None:
    """A GET endpoint under /api/v1 that needs authentication (the directory adds them)."""
    for rule in app.url_map.iter_rules():
        if (
            rule.rule.startswith("/api/v1/")
            and not rule.arguments
            and "GET" in (rule.methods or ())
            and not rule.rule.endswith("openapi.json")
            and rule.rule.count("/") == 3
        ):
            return rule.rule
    return None


def test_create_token_prints_a_working_bearer_token_and_stores_only_its_hash(
    app: Flask, client: FlaskClient, runner: Any
) -> None:
    account = factories.user(Role.SECRETARIAT)
    result = runner.invoke(args=["create-token", "--email", account.email, "--name", "sinkron"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret.startswith("mc_")
    assert len(secret) >= 3 + 22  # ≥ 128 random bits after the prefix

    assert user_for_token(secret) == account
    assert user_for_token(secret + "x") is None

    url = _authenticated_api_url(app)
    if url is not None:
        assert client.get(url).status_code == 401
        response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    spec = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {secret}"})
    assert spec.status_code == 200

    rows = db.session.execute(select(ApiToken.__table__)).all()
    assert len(rows) == 1
    stored = " ".join(str(value) for value in rows[0])
    assert secret not in stored


def test_create_token_for_unknown_account_exits_2(runner: Any) -> None:
    result = runner.invoke(args=["create-token", "--email", "siapa@example.go.id", "--name", "x"])
    assert result.exit_code == 2
    assert "no account with email siapa@example.go.id" in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_where_names_the_function_that_answers_a_url_and_its_permission(runner: Any) -> None:
    result = runner.invoke(args=["where", "/i/some-token/live"])
    assert result.exit_code == 0, result.output
    assert "meetcoord.portal.live_views:phone" in result.output
    assert "live.watch" in result.output
    api = runner.invoke(args=["where", "/api/v1/meetings/41"]).output
    assert "meetcoord.meetings.api:MeetingItem.patch" in api
    assert "meeting.arrange" in api
    everything = runner.invoke(args=["where"]).output.splitlines()
    assert len(everything) > 150
    assert not [line for line in everything if "UNDECLARED" in line]
    missing = runner.invoke(args=["where", "/no/such/page"])
    assert missing.exit_code == 1
    assert "no route answers /no/such/page" in missing.output
