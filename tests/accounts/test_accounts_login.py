"""Signing in: equal time for every answer, and a limit per account (issue 11, point 4)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from meetcoord.accounts import services
from tests import factories
from tests.conftest import AuthActions
from tests.helpers import text

_addresses = itertools.count(1)


def _address() -> str:
    n = next(_addresses)
    return f"10.77.{n // 256}.{n % 256}"


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hash method of every password hash checked (``scrypt:32768:8:1``)."""
    from meetcoord.accounts import passwords

    seen: list[str] = []
    real = passwords.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        seen.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    return seen


def test_every_answer_checks_exactly_one_hash_of_the_same_kind(checked: list[str]) -> None:
    """An unknown or inactive address costs what a wrong password costs: one hash of the
    same method and cost, so the time taken tells nothing about which accounts exist."""
    user = factories.user("secretariat")
    inactive = factories.user("secretariat", is_active_account=False)
    method = user.password_hash.split("$", 1)[0]

    cases = [
        ("tidak.ada@bappeda.example.go.id", factories.PASSWORD, None),
        (inactive.email, factories.PASSWORD, None),
        (user.email, "salah-sekali-123", None),
        (user.email, factories.PASSWORD, user),
    ]
    for email, password, expected in cases:
        checked.clear()
        assert services.authenticate(email, password) == expected
        assert checked == [method], email


def _post_login(client: Any, email: str, password: str, address: str) -> Any:
    token = AuthActions.token_from(
        text(client.get("/login", environ_base={"REMOTE_ADDR": address}))
    )
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture
def three_tries(app: Any, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_RATE_LIMIT", "3 per 15 minutes")
    return 3


def test_an_account_locks_after_failures_from_many_addresses(
    app: Any, three_tries: int, checked: list[str]
) -> None:
    user = factories.user("secretariat")
    spellings = [user.email, user.email.upper(), user.email.title()]  # one account
    for spelling in spellings:
        response = _post_login(app.test_client(), spelling, "tebakan-salah-1", _address())
        assert response.status_code == 401

    checked.clear()
    client = app.test_client()
    before = datetime.now(UTC)
    locked = _post_login(client, user.email, factories.PASSWORD, _address())
    html = text(locked)
    assert locked.status_code == 429
    assert "akun ini dikunci sementara: coba lagi dalam 15 menit" in html
    assert " WIB)" in html  # MEETCOORD_TIMEZONE, with its label
    assert 14 * 60 <= int(locked.headers["Retry-After"]) <= 15 * 60 + 1
    assert checked == []  # locked: not even the right password is tried
    assert client.get("/directory/organizations").status_code == 302  # not signed in
    from meetcoord.accounts.throttle import LoginLocked

    with pytest.raises(LoginLocked) as caught:
        services.sign_in(user.email, factories.PASSWORD, remember=False)
    assert before + timedelta(minutes=14) < caught.value.retry_at
    assert caught.value.retry_at <= before + timedelta(minutes=15, seconds=2)

    # Another account is not affected.
    other = factories.user("secretariat")
    assert (
        _post_login(app.test_client(), other.email, factories.PASSWORD, _address()).status_code
        == 302
    )


def test_the_lock_reads_the_same_for_an_unknown_address(app: Any, three_tries: int) -> None:
    email = "belum.terdaftar@bappeda.example.go.id"
    for _ in range(three_tries):
        assert (
            _post_login(app.test_client(), email, "tebakan-salah-1", _address()).status_code == 401
        )
    locked = _post_login(app.test_client(), email, "tebakan-salah-1", _address())
    assert locked.status_code == 429
    assert "akun ini dikunci sementara" in text(locked)


def test_successful_sign_ins_do_not_count(app: Any, three_tries: int) -> None:
    user = factories.user("secretariat")
    for _ in range(three_tries + 2):
        assert services.sign_in(user.email, factories.PASSWORD, remember=False) == user
    from meetcoord.accounts import throttle

    throttle.check(user.email)  # not locked


def test_the_english_message_says_when_too(app: Any, three_tries: int) -> None:
    email = "another.guess@bappeda.example.go.id"
    for _ in range(three_tries):
        _post_login(app.test_client(), email, "tebakan-salah-1", _address())
    client = app.test_client()
    token = AuthActions.token_from(text(client.get("/login")))
    client.post("/lang", data={"lang": "en", "next": "/login", "csrf_token": token})
    locked = _post_login(client, email, "tebakan-salah-1", _address())
    assert locked.status_code == 429
    assert "try again in 15 minutes" in text(locked)


def test_wrong_current_passwords_count_against_the_account(
    client: Any, auth: Any, three_tries: int
) -> None:
    """A stolen session cannot be used to guess the password on the change form."""
    user = auth.login("secretariat")
    for n in range(three_tries):
        wrong = auth.change_password(f"tebakan-{n}-salah", "Weekuri-Lagoon-2026")
        assert wrong.status_code == 422
    locked = auth.change_password(factories.PASSWORD, "Weekuri-Lagoon-2026")
    assert locked.status_code == 429
    assert "akun ini dikunci sementara" in text(locked)
    assert user.check_password(factories.PASSWORD)
