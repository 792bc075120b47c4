"""Clients of the attack server (``tests.app.test_attacks_http``): browsers, its database, a
``/healthz`` watch.

- :class:`Browser`: one cookie jar at one client address (``X-Forwarded-For``, the server
  trusting one proxy), redirects not followed, every text answer kept in
  ``AttackServer.answers`` so that a test can say what no answer ever held.
- :class:`Database`: the server's database read from outside (SQLite file or PostgreSQL),
  to show that a refused attack changed nothing.
- :class:`HealthWatch` and :func:`watched`: ``/healthz`` asked every 50 ms while an attack
  runs; every answer must come, and the log must stay free of tracebacks.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import create_engine, text

from tests.support import ServerProcess, http_get, psycopg_url

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"')
_addresses = itertools.count(1)


@dataclass
class AttackServer:
    """The server process, what was seeded, its database, and every answer a browser got."""

    server: ServerProcess
    seeded: dict[str, Any]
    database: Database
    answers: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.base_url

    def signed_in_as(self, account: str) -> Browser:
        """A new browser signed in through the login form as a seeded account."""
        browser = Browser(self)
        who = self.seeded["accounts"][account]
        assert browser.login(who["email"], self.seeded["password"]).status_code == 302
        return browser

    def post(
        self,
        path: str,
        *,
        files: dict[str, tuple[str, bytes]] | None = None,
        fields: dict[str, str] | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> tuple[int, dict[str, Any]]:
        """POST multipart (``files``/``fields``) or JSON; the status and the JSON answer."""
        response = Browser(self).post(
            path, files=files, data=fields, json=json_body, headers=headers, timeout=timeout
        )
        return response.status_code, answer(response)


def answer(response: requests.Response) -> dict[str, Any]:
    """The JSON body, or ``{"text": ...}`` when there is none."""
    if response.text.startswith("{"):
        return response.json()
    return {"text": response.text}


class Browser:
    """One browser: its own cookie jar, at its own client address (``address``, or a new
    one), said in ``X-Forwarded-For`` as the one trusted proxy (MEETCOORD_PROXY_COUNT=1)
    would: rate limits per address never leak from one test into the next.

    Redirects are not followed (the tests look at them); every text answer is added to
    ``server.answers``, so a test can say what no answer ever held.
    """

    def __init__(self, server: AttackServer, address: str | None = None) -> None:
        self.server = server
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "id"
        if address is None:
            n = next(_addresses)
            address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        self.address = address
        self.session.headers["X-Forwarded-For"] = address
        self.csrf: str | None = None

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        response = self.session.request(method, self.server.url + path, **kwargs)
        kind = response.headers.get("Content-Type", "")
        if kind.startswith(("text/", "application/json", "application/problem+json")):
            self.server.answers.append(response.text)
            if found := _CSRF.search(response.text):
                self.csrf = found.group(1)
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def submit(self, path: str, data: dict[str, Any], **kwargs: Any) -> requests.Response:
        """POST a form with the CSRF token of the last page this browser read."""
        if self.csrf is None:
            self.get("/login")
        return self.post(path, data={"csrf_token": self.csrf, **data}, **kwargs)

    def login(self, email: str, password: str, *, remember: bool = False, query: str = "") -> Any:
        self.get("/login")
        form = {"email": email, "password": password, **({"remember": "y"} if remember else {})}
        return self.submit("/login" + query, form)

    def signed_in(self, page: str = "/directory/organizations") -> bool:
        response = self.get(page)
        assert response.status_code in (200, 302), response.status_code
        return response.status_code == 200

    def copy(self, *names: str, address: str | None = None) -> Browser:
        """Another browser holding a copy of these cookies (a stolen or shared one)."""
        other = Browser(self.server, address)
        for cookie in self.session.cookies:
            if cookie.name in names:
                other.session.cookies.set_cookie(cookie)
        return other


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the first form on a page (csrf_token, nonce, ...)."""
    found: dict[str, str] = {}
    for name, value in _HIDDEN.findall(html):
        found.setdefault(name, value.replace("&amp;", "&"))
    return found


class Database:
    """The server's database, read from outside (SQLite file or PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(psycopg_url(url))

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(text(sql), params))

    def count(self, table: str, where: str = "1=1", **params: Any) -> int:
        return int(self.scalar(f"SELECT count(*) FROM {table} WHERE {where}", **params))  # noqa: S608

    def close(self) -> None:
        self.engine.dispose()


@dataclass
class HealthWatch:
    """Asks ``/healthz`` every 50 ms from its own thread; the latencies it saw."""

    url: str
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                status, _h, _b = http_get(self.url + "/healthz", timeout=30)
                if status != 200:
                    self.failures.append(f"status {status}")
            except OSError as exc:
                self.failures.append(repr(exc))
            self.latencies.append(time.perf_counter() - started)
            self._stop.wait(0.05)

    def during(self, attack: Callable[[], Any]) -> Any:
        watcher = threading.Thread(target=self.run)
        watcher.start()
        try:
            time.sleep(0.2)
            return attack()
        finally:
            self._stop.set()
            watcher.join()


def watched(server: AttackServer, attack: Callable[[], Any]) -> tuple[Any, HealthWatch]:
    """Run ``attack`` while ``/healthz`` is asked; its result and what the watch saw."""
    watch = HealthWatch(server.url)
    result = watch.during(attack)
    assert not watch.failures, watch.failures
    assert len(watch.latencies) >= 3
    assert "Traceback" not in server.server.log(), server.server.log()
    return result, watch


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def form(**values: str) -> dict[str, tuple[None, str]]:
    """Plain fields sent as multipart/form-data (the signing API's body)."""
    return {name: (None, value) for name, value in values.items()}
