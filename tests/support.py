"""Helpers for tests that need more than the shared fixture: a throw-away app or
PostgreSQL database, and the real server started as a subprocess the way `make run` does.

Nothing here touches the session-wide ``app`` fixture's database.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 45.0


def psycopg_url(url: str) -> str:
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def throwaway_app(instance_path: Path, database_url: str, **overrides: Any) -> Flask:
    """A second application on its own database; the shared ``app`` fixture is untouched."""
    from meetcoord import create_app

    return create_app(
        {
            "MEETCOORD_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SOCKETIO_ASYNC_MODE": "threading",
            "SOCKETIO_MESSAGE_QUEUE": "",
            "INSTANCE_PATH": instance_path,
            **overrides,
        }
    )


@contextmanager
def throwaway_postgres(base_url: str) -> Iterator[str]:
    """Create ``meetcoord_tmp_<random>`` next to the test database; drop it afterwards."""
    base = make_url(psycopg_url(base_url))
    name = f"meetcoord_tmp_{secrets.token_hex(6)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment for a server subprocess: no stray MEETCOORD_* from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETCOORD_")}
    env.update(
        MEETCOORD_ENV="development",
        MEETCOORD_DATABASE_URL=database_url,
        # An explicit key, so the server never writes instance/secret_key in the checkout.
        MEETCOORD_SECRET_KEY=secrets.token_hex(32),
        MEETCOORD_HOST="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    env.update(settings)
    return env


def meetcoord_command(*args: str) -> list[str]:
    """The ``meetcoord`` console command of this virtualenv (as `make run` calls it)."""
    script = Path(sys.executable).with_name("meetcoord")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "flask", "--app", "meetcoord:create_app", *args]


def run_cli(env: Mapping[str, str], *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        meetcoord_command(*args),
        env=dict(env),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"meetcoord {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def run_seed(env: Mapping[str, str], module: str, out: Path, timeout: float = 300) -> Any:
    """``python -m <module> seed <out>`` in the server's environment (threading mode, so
    that tokens derive from the server's key); what it wrote to ``out``, as JSON."""
    import json

    result = subprocess.run(
        [sys.executable, "-m", module, "seed", str(out)],
        env={**env, "MEETCOORD_ASYNC_MODE": "threading"},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(out.read_text())


def http_opener() -> urllib.request.OpenerDirector:
    """An opener that keeps cookies, like a browser session (for CSRF-protected forms)."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def _open(
    request: urllib.request.Request, timeout: float, opener: urllib.request.OpenerDirector | None
) -> tuple[int, dict[str, str], str]:
    opener = opener or urllib.request.build_opener()
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


def http_get(
    url: str, timeout: float = 10, opener: urllib.request.OpenerDirector | None = None
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Accept-Language": "id"})  # noqa: S310
    return _open(request, timeout, opener)


def http_post(
    url: str,
    form: Mapping[str, str],
    timeout: float = 10,
    opener: urllib.request.OpenerDirector | None = None,
) -> tuple[int, dict[str, str], str]:
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310
    return _open(request, timeout, opener)


class ServerProcess:
    """``python -m meetcoord.server`` (what `meetcoord serve` execs) on a free port."""

    def __init__(self, env: Mapping[str, str], log_path: Path):
        self.port = free_port()
        self.env = dict(env, MEETCOORD_PORT=str(self.port))
        self.log_path = log_path
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "meetcoord.server"],
                env=self.env,
                cwd=PROJECT_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_healthy()
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def wait_healthy(self, timeout: float = STARTUP_TIMEOUT) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"server exited with {self.proc.returncode} before serving:\n{self.log()}"
                )
            try:
                status, _headers, body = http_get(self.base_url + "/healthz", timeout=2)
                if status == 200:
                    return
                last = (status, body[:200])
            except OSError as exc:
                last = exc
            time.sleep(0.2)
        raise AssertionError(f"no healthy /healthz within {timeout}s ({last!r}):\n{self.log()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            with suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
