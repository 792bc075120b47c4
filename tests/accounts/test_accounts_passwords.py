"""A minimum password strength, the same at every door that sets one (issue 11, point 4)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from meetcoord.accounts import admin, services
from meetcoord.accounts.models import User
from meetcoord.core.errors import ValidationError
from meetcoord.demo import DEMO_LOGINS
from meetcoord.extensions import db
from tests import factories
from tests.helpers import field_error, text

WEAK = [
    "pendek",  # too short
    "password123",  # English list
    "qwertyuiop",
    "1234567890",
    "bismillah123",  # Indonesian list (Pwdb via SecLists), digits around a listed word
    "Indonesia2026!",
    "sayangku123",
    "rahasia-2026",
    "aaaaaaaaaaaa",  # no list needed to guess it
    "abababababab",
]
GOOD = ["Tambolaka-2026", "kopi-lontar-weekuri-88", "Sumba Barat Daya 2026"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_named(password: str) -> None:
    from meetcoord.accounts.passwords import password_problems

    assert password_problems(password)


@pytest.mark.parametrize("password", GOOD)
def test_good_passwords_pass(password: str) -> None:
    from meetcoord.accounts.passwords import password_problems

    assert password_problems(password) == []


def test_the_lists_ship_with_the_package_and_name_their_source() -> None:
    from meetcoord.accounts.passwords import DATA, common_passwords

    words = common_passwords()
    assert len(words) > 19_000
    assert {"password", "qwerty", "bismillah", "rahasia", "sayang", "indonesia"} <= words
    sources = (DATA / "SOURCES.md").read_text()
    assert "roycewilliams" in sources
    assert "Indonesian_Pwdb_common-password-list-top-150.txt" in sources


def test_every_demo_login_passes_the_rule() -> None:
    from meetcoord.accounts.passwords import password_problems

    for login in DEMO_LOGINS:
        assert password_problems(login.password) == [], login.email


def test_create_user_refuses_a_common_password_and_stores_nothing() -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_user(
            None,
            email="staf@bappeda.example.go.id",
            name="Staf",
            password="bismillah123",
            role="viewer",
        )
    assert "terlalu umum" in str(caught.value.errors["password"][0])
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize("command", ["create-admin", "create-user"])
def test_cli_refuses_a_common_password(runner: Any, command: str) -> None:
    args = [command, "--email", "operator@malukuprov.go.id", "--name", "Operator"]
    if command == "create-user":
        args += ["--role", "secretariat"]
    result = runner.invoke(args=[*args, "--password", "Password2026!"])
    assert result.exit_code == 2, result.output
    assert "password: Kata sandi ini terlalu umum" in result.output
    assert services.find_by_email("operator@malukuprov.go.id") is None


def test_admin_page_refuses_a_common_password(client: Any, auth: Any) -> None:
    auth.login("admin")
    response = auth.post(
        "/admin/users/new",
        {
            "email": "notulis@bappeda-sbd.example.go.id",
            "name": "Notulis",
            "role": "secretariat",
            "password": "indonesia2026",
        },
    )
    assert response.status_code == 422
    assert "terlalu umum" in field_error(text(response), "password")
    assert services.find_by_email("notulis@bappeda-sbd.example.go.id") is None


def test_admin_reset_refuses_a_common_password(client: Any, auth: Any) -> None:
    auth.login("admin")
    staff = factories.user("viewer")
    response = auth.post(f"/admin/users/{staff.id}/password", {"password": "sayangku123"})
    assert response.status_code == 422
    assert "terlalu umum" in field_error(text(response), "password")
    assert staff.check_password(factories.PASSWORD)
    with pytest.raises(ValidationError):
        admin.reset_password(auth.user, staff, "qwertyuiop123")


def test_own_password_change_refuses_a_common_password(client: Any, auth: Any) -> None:
    user = auth.login("secretariat")
    response = auth.change_password(factories.PASSWORD, "bismillah2026")
    assert response.status_code == 422
    assert "terlalu umum" in field_error(text(response), "new_password")
    assert user.check_password(factories.PASSWORD)
