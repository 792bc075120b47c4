"""Helpers for benches that start meetcoord's real server (``python -m meetcoord.server``).

The server is started the way ``make run`` serves it (development mode, the async mode
asked for, 127.0.0.1 on a free port) against a scratch SQLite database, with the mail
worker off and mail to the console so nothing leaves the machine. Each bench seeds its
database with the app's own services in a child process that has the server's
environment, so tokens derived from the secret key match what the server expects.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def left(deadline: float, what: str = "bench") -> float:
    """Seconds left before ``deadline`` (monotonic); raises when there are none."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError(f"{what}: over its deadline")
    return remaining


def server_env(
    database: Path, port: int, mode: str = "eventlet", secret: str | None = None
) -> dict[str, str]:
    """The environment ``make run`` gives the server, on a scratch database and port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETCOORD_")}
    env.update(
        MEETCOORD_ENV="development",
        MEETCOORD_ASYNC_MODE=mode,
        MEETCOORD_WORKER="off",
        MEETCOORD_MAIL_TRANSPORT="console",
        MEETCOORD_DATABASE_URL=f"sqlite:///{database}",
        MEETCOORD_SECRET_KEY=secret or secrets.token_hex(32),
        MEETCOORD_HOST="127.0.0.1",
        MEETCOORD_PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    return env


def meetcoord_command() -> list[str]:
    script = Path(sys.executable).with_name("meetcoord")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "flask", "--app", "meetcoord:create_app"]


def run_checked(cmd: list[str], env: dict[str, str], deadline: float, what: str) -> str:
    """Run one of our own commands to the end; its stdout, or an error with its output."""
    result = subprocess.run(  # noqa: S603 - our own commands (meetcoord, node, a bench file)
        cmd,
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=left(deadline, what),
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{what} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def tail(log: Path, chars: int = 3000) -> str:
    return log.read_text(errors="replace")[-chars:] if log.exists() else ""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0.0 where that is unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    """Resident set size of a process in KiB (``VmRSS`` in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a non-empty list."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))
    return ordered[index]


def http_ok(port: int, path: str = "/healthz") -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", path)
            return conn.getresponse().status == 200
        finally:
            conn.close()
    except OSError:
        return False


class Server:
    """A server process with its output in ``log``; ``stop()`` always ends it."""

    def __init__(self, cmd: list[str], env: dict[str, str], log: Path, port: int) -> None:
        self.cmd, self.env, self.log, self.port = cmd, env, log, port
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, deadline: float, health_path: str = "/healthz") -> Server:
        with self.log.open("wb") as handle:
            self.proc = subprocess.Popen(  # noqa: S603 - our own server
                self.cmd,
                env=self.env,
                cwd=PROJECT_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        while not http_ok(self.port, health_path):
            self.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"server not healthy in time:\n{tail(self.log)}")
            time.sleep(0.2)
        return self

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"server exited with {self.proc.returncode}:\n{tail(self.log)}")

    def stop(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def meetcoord_server(env: dict[str, str], log: Path) -> Server:
    """``python -m meetcoord.server`` with ``env`` (see :func:`server_env`)."""
    return Server([sys.executable, "-m", "meetcoord.server"], env, log, int(env["MEETCOORD_PORT"]))
