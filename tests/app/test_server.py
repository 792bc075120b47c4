"""The real server, started the way `make run` starts it, answers over HTTP.

Each test runs ``meetcoord db upgrade`` on its own database and then
``python -m meetcoord.server`` (what ``meetcoord serve`` execs) as a subprocess on a free
port, with the async mode under test; the fixture always stops the process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import postgres_url, skip_or_fail
from tests.support import (
    PROJECT_ROOT,
    ServerProcess,
    http_get,
    http_opener,
    http_post,
    run_cli,
    server_env,
    throwaway_postgres,
)

StartServer = Callable[..., ServerProcess]


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[StartServer]:
    started: list[ServerProcess] = []

    def start(database_url: str | None = None, **settings: str) -> ServerProcess:
        url = database_url or f"sqlite:///{tmp_path / 'server.db'}"
        env = server_env(url, **settings)
        run_cli(env, "db", "upgrade")
        server = ServerProcess(env, tmp_path / f"server-{len(started)}.log")
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


def assert_serves_login_page(server: ServerProcess) -> None:
    status, headers, body = http_get(server.base_url + "/login")
    assert status == 200, f"/login answered {status}; server log:\n{server.log()}"
    assert "Masuk" in body
    csp = headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def assert_serves_socketio(server: ServerProcess) -> None:
    """An Engine.IO polling handshake: the Socket.IO server is mounted and answering."""
    status, _headers, body = http_get(server.base_url + "/socket.io/?EIO=4&transport=polling")
    assert status == 200, body[:300]
    assert '"sid"' in body


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_server_serves_indonesian_login_page(start_server: StartServer, mode: str) -> None:
    server = start_server(MEETCOORD_ASYNC_MODE=mode)
    log = server.log()
    assert f"({mode})" in log
    # Patching must come before Flask is imported; eventlet complains (with a traceback)
    # when the package imported Flask first.
    assert "Traceback" not in log, log
    assert "deprecated" not in log.lower(), log
    assert_serves_login_page(server)
    assert_serves_socketio(server)


def websocket_handshake(server: ServerProcess) -> str:
    """The response head to a Socket.IO websocket upgrade that offers compression."""
    import base64
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(server.base_url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            assert chunk, f"connection closed after {head!r}"
            head += chunk
    return head.split(b"\r\n\r\n")[0].decode("latin-1")


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_websockets_are_not_compressed(start_server: StartServer, mode: str) -> None:
    """Per-client compression cost more than it saved (see server._no_websocket_compression)."""
    head = websocket_handshake(start_server(MEETCOORD_ASYNC_MODE=mode))
    assert head.startswith("HTTP/1.1 101"), head
    assert "sec-websocket-extensions" not in head.lower(), head


def test_server_refuses_bad_configuration(tmp_path: Path) -> None:
    server = ServerProcess(server_env(f"sqlite:///{tmp_path / 'x.db'}"), tmp_path / "bad.log")
    server.env["MEETCOORD_ASYNC_MODE"] = "tornado"
    try:
        with pytest.raises(AssertionError, match="exited with 1"):
            server.start()
        assert "configuration error: MEETCOORD_ASYNC_MODE='tornado'" in server.log()
    finally:
        server.stop()


def test_server_on_postgres_with_redis_queue_and_rate_limits(start_server: StartServer) -> None:
    pg, redis_url = postgres_url(), os.environ.get("MEETCOORD_TEST_REDIS_URL")
    if not pg or not redis_url:
        skip_or_fail("MEETCOORD_TEST_DATABASE_URL and MEETCOORD_TEST_REDIS_URL are needed")
    import redis

    with throwaway_postgres(pg) as database_url:
        server = start_server(
            database_url,
            MEETCOORD_ASYNC_MODE="eventlet",
            MEETCOORD_SOCKETIO_QUEUE=redis_url,
            MEETCOORD_RATELIMIT_STORAGE_URL=redis_url,
            MEETCOORD_DEPLOYMENT_ID=f"test-{os.getpid()}",
        )
        try:
            status, _headers, body = http_get(server.base_url + "/healthz")
            assert (status, json.loads(body)) == (200, {"status": "ok"})
            assert_serves_login_page(server)
            assert_serves_socketio(server)
            client = redis.Redis.from_url(redis_url)
            try:
                # After the first connection the Socket.IO manager subscribes to its channel.
                deadline = time.monotonic() + 10
                channel = f"meetcoord-test-{os.getpid()}".encode()
                while not (channels := client.pubsub_channels(channel)):
                    assert time.monotonic() < deadline, "no Socket.IO channel on the queue"
                    time.sleep(0.1)
                assert channels == [channel]  # this deployment's own channel
                # A login attempt is counted in the Redis rate-limit storage.
                client.delete(*client.keys("*LIMITER*") or [b"none"])
                browser = http_opener()
                _status, _headers, page = http_get(server.base_url + "/login", opener=browser)
                csrf_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
                assert csrf_token, "login form has no csrf_token"
                form = {
                    "email": "tidak.ada@example.go.id",
                    "password": "salah-sekali-123",
                    "csrf_token": csrf_token.group(1),
                }
                status, _headers, _body = http_post(
                    server.base_url + "/login", form, opener=browser
                )
                assert status == 401, status
                assert client.keys("*LIMITER*"), "no rate-limit counter in Redis"
            finally:
                client.close()
        finally:
            server.stop()  # before the database is dropped


ARRIVAL_SCENARIO = """
import json, socket
import meetcoord.server as server  # patches the standard library first (eventlet)
import eventlet

turns = server.ArrivalOrder() if "{impl}" == "queue" else None
order = []
desk_end, reader_end = socket.socketpair()

def wait_turn():
    if turns is None:
        eventlet.sleep(0)  # what the server did before ArrivalOrder
    else:
        turns.wait_turn()

def reader():
    reader_end.recv(1)  # in the hub until W1 sends: read in a poll
    wait_turn()
    order.append("R")

def desk(name):
    wait_turn()
    order.append(name)
    if name == "W1":
        desk_end.send(b"x")  # R's request arrives while W1 is being served
    wait_turn()  # the desk's next request was there already: read without a poll
    order.append(name + "'")

def killed():
    wait_turn()
    order.append("K")

threads = [eventlet.spawn(reader)] + [eventlet.spawn(desk, f"W{{i}}") for i in range(1, 6)]
victim = eventlet.spawn(killed)
eventlet.sleep(0)  # everyone has queued
victim.kill()
for thread in threads:
    thread.wait()
print(json.dumps(order))
"""


def arrival_order(impl: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETCOORD_")}
    env["MEETCOORD_ASYNC_MODE"] = "eventlet"
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", ARRIVAL_SCENARIO.format(impl=impl)],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_requests_start_in_arrival_order_under_eventlet() -> None:
    """A request read in a poll is not overtaken by a whole pass of quick keep-alive desks.

    W1..W5 are being served; R's request arrives while W1 is served, and each desk's next
    request is already there when it finishes. With a plain sleep(0) (eventlet runs all
    due timers before it polls) R went after all five repeat requests, a whole round later
    (checkin bench: p99 250-300 ms for a p50 of 100); in arrival order it goes after W1's
    only, which queued before the hub could see R. A request killed while it waits leaves
    the queue.
    """
    assert arrival_order("sleep") == [
        *("W1", "W2", "W3", "W4", "W5"),
        *("W1'", "W2'", "W3'", "W4'", "W5'", "R"),
    ]
    assert arrival_order("queue") == [
        *("W1", "W2", "W3", "W4", "W5"),
        *("W1'", "R", "W2'", "W3'", "W4'", "W5'"),
    ]


PSYCOPG_SCENARIO = """
import meetcoord.server  # patches first, as `python -m meetcoord.server` does
import json, os, time
import eventlet, psycopg
from psycopg import waiting

ticks = []

def ticker():
    for _ in range(25):
        ticks.append(time.monotonic())
        eventlet.sleep(0.02)

result = {"wait": waiting.wait.__name__}
url = os.environ.get("SCENARIO_DATABASE_URL")
if url:
    thread = eventlet.spawn(ticker)
    with psycopg.connect(url) as conn:
        start = time.monotonic()
        conn.execute("SELECT pg_sleep(0.3)")
        end = time.monotonic()
    thread.wait()
    result["ticks_during_query"] = sum(1 for t in ticks if start < t < end)
print(json.dumps(result))
"""


def test_postgres_queries_let_other_green_threads_run_under_eventlet() -> None:
    """psycopg's C wait blocks eventlet's hub; the server makes it wait in green select.

    Without PostgreSQL only the choice is checked; with it, a 0.3 s query leaves the
    other green threads running (a blocked hub would show no tick at all).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETCOORD_", "PSYCOPG_"))}
    env["MEETCOORD_ASYNC_MODE"] = "eventlet"
    url = os.environ.get("MEETCOORD_TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        env["SCENARIO_DATABASE_URL"] = url.replace("postgresql+psycopg://", "postgresql://")
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PSYCOPG_SCENARIO],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["wait"] == "wait_select"
    if "SCENARIO_DATABASE_URL" in env:
        assert seen["ticks_during_query"] >= 5


class TricklingInput:
    """A request body arriving in pieces, like a desk's headers and body in two packets."""

    def __init__(self, pieces: list[bytes], fail: bool = False):
        self.pieces, self.fail, self.reads = list(pieces), fail, 0

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        if not self.pieces:
            if self.fail:
                raise OSError("connection reset")
            return b""
        piece = self.pieces.pop(0)
        assert size >= len(piece)
        return piece


def test_small_bodies_are_read_before_the_request_queues(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app looks up the bearer token (a database turn under SQLite) before its view
    reads the body; a body still on its way must not keep the database from others."""
    import importlib

    monkeypatch.setenv("MEETCOORD_ASYNC_MODE", "threading")  # import without patching
    server = importlib.import_module("meetcoord.server")

    body = json.dumps({"credential": "MC1.x", "nonce": "n-1"}).encode()
    stream = TricklingInput([body[:10], body[10:]])
    environ = {"CONTENT_LENGTH": str(len(body)), "wsgi.input": stream}
    server._read_body(environ)
    assert stream.reads == 2
    assert not stream.pieces
    assert environ["wsgi.input"].read() == body

    gone = TricklingInput([body[:10]], fail=True)
    environ = {"CONTENT_LENGTH": str(len(body)), "wsgi.input": gone}
    server._read_body(environ)
    assert environ["wsgi.input"].read() == body[:10]  # the app sees a short body

    for untouched in (
        {"CONTENT_LENGTH": str(server.PREREAD_MAX + 1)},  # a staff upload streams as before
        {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked"},
        {"CONTENT_LENGTH": "12", "HTTP_TRANSFER_ENCODING": "chunked"},
        {"CONTENT_LENGTH": "nonsense"},
        {},
    ):
        stream = TricklingInput([b"x" * 12])
        environ = {**untouched, "wsgi.input": stream}
        server._read_body(environ)
        assert environ["wsgi.input"] is stream
        assert stream.reads == 0
