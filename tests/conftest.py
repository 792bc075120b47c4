"""Fixtures: one app per test session, and a database transaction rolled back per test.

The schema is built by running the Alembic migrations (not ``create_all``), so every test
run also proves the migrations produce what the models expect. Set
``MEETCOORD_TEST_BACKEND=postgres`` (with ``MEETCOORD_TEST_DATABASE_URL``) to run the
whole suite on PostgreSQL.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from meetcoord import create_app
from meetcoord.accounts.models import Role, User
from meetcoord.extensions import db
from meetcoord.i18n_tools import compile_catalogs
from tests import factories

REQUIRE_SERVICES = os.environ.get("MEETCOORD_TEST_REQUIRE_SERVICES") == "1"


def postgres_url() -> str | None:
    return os.environ.get("MEETCOORD_TEST_DATABASE_URL") or None


def skip_or_fail(reason: str) -> None:
    """Skip a test that needs a missing service — or fail, when CI demands the services."""
    if REQUIRE_SERVICES:
        pytest.fail(f"MEETCOORD_TEST_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def reset_postgres(url: str) -> None:
    """Empty the test database so migrations start from nothing."""
    from sqlalchemy import create_engine

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def test_config(tmp_path: Path, database_url: str) -> dict[str, Any]:
    return {
        "MEETCOORD_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SOCKETIO_ASYNC_MODE": "threading",
        "SOCKETIO_MESSAGE_QUEUE": "",
        "INSTANCE_PATH": tmp_path / "instance",
        "SERVER_NAME": None,
    }


def _fresh_g(sender: Flask, **extra: Any) -> None:
    """Give each test request an empty ``g``, as a real request's own app context has.

    ``db_session`` keeps one app context open for the whole test, and the test client reuses
    it, so without this the locale Flask-Babel caches on ``g`` (and Flask-Login's user)
    would leak from one request into the next.
    """
    for name in list(vars(g)):
        delattr(g, name)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("app")
    if os.environ.get("MEETCOORD_TEST_BACKEND") == "postgres":
        url = postgres_url()
        if not url:
            pytest.exit("MEETCOORD_TEST_BACKEND=postgres needs MEETCOORD_TEST_DATABASE_URL", 2)
        reset_postgres(url)
        database_url = url
    else:
        database_url = f"sqlite:///{tmp / 'test.db'}"
    # Flask-Babel caches catalogs per process: compile before any test renders English.
    compile_catalogs()
    application = create_app(test_config(tmp, database_url))
    with application.app_context():
        upgrade()
    request_started.connect(_fresh_g, application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def db_session(app: Flask) -> Iterator[Any]:
    """Every test runs inside one outer transaction that is rolled back at the end.

    Services commit as usual; with ``create_savepoint`` their commits release savepoints
    inside the outer transaction, so nothing reaches the database file.
    """
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        # A plain Session: Flask-SQLAlchemy's own picks its engine and ignores ``bind``.
        session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        original = db.session
        db.session = session
        try:
            yield session
        finally:
            session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def fresh_rate_limits(app: Flask) -> None:
    """Every test starts with full budgets: rolled back, SQLite hands the next test the
    same row ids, and the live room counts commands per user or invitation id. Presence
    likewise: a socket a test left open would count at the next test's site of that id."""
    from meetcoord.extensions import limiter
    from meetcoord.live import presence

    limiter.reset()
    presence.forget_all()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


_ips = itertools.count(1)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class AuthActions:
    """Log in through the real login form (CSRF included) and post forms as that user."""

    def __init__(self, client: FlaskClient):
        self.client = client
        self.csrf_token: str | None = None
        self.user: User | None = None
        # Each helper gets its own address so login rate limits never leak between tests.
        n = next(_ips)
        self.ip = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        # Every request of this client comes from that address: the "strong" session
        # protection ends a session whose address changes.
        client.environ_base["REMOTE_ADDR"] = self.ip

    def login(self, role: Role | str = Role.SECRETARIAT, user: User | None = None) -> User:
        self.user = user or factories.user(role)
        page = self.client.get("/login", environ_base={"REMOTE_ADDR": self.ip})
        self.csrf_token = self.token_from(page.get_data(as_text=True))
        response = self.client.post(
            "/login",
            data={
                "email": self.user.email,
                "password": factories.PASSWORD,
                "csrf_token": self.csrf_token,
            },
            environ_base={"REMOTE_ADDR": self.ip},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return self.user

    @staticmethod
    def token_from(html: str) -> str:
        match = _CSRF.search(html)
        assert match, "page has no csrf_token field"
        return match.group(1)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf_token)
        return self.client.post(url, data=payload, **kwargs)

    def logout(self) -> Any:
        return self.post("/logout")

    def change_password(self, current: str, new: str, confirm: str | None = None) -> Any:
        """Post the signed-in person's own password change form."""
        return self.post(
            "/account/password",
            {
                "current_password": current,
                "new_password": new,
                "confirm_password": new if confirm is None else confirm,
            },
        )


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def api_token(app: Flask) -> Any:
    """``api_token(role)`` → (user, headers) with a real bearer token."""
    from meetcoord.accounts.services import create_token

    def make(role: Role | str = Role.SECRETARIAT) -> tuple[User, dict[str, str]]:
        account = factories.user(role)
        _token, secret = create_token(None, account, "test")
        return account, {"Authorization": f"Bearer {secret}"}

    return make
