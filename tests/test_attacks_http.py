"""Hostile input over HTTP against a real eventlet server process (issue 11 point 2).

The server runs as ``python -m meetcoord.server`` on SQLite, as `meetcoord serve` runs
it. While a bomb PDF is verified, a PDF bomb the byte scan misses is parsed until the
sandbox kills it, a PKCS#12 file with 20 million key-derivation rounds is offered for a
signature, and impossible recurrence rules are sent, another client asks ``/healthz``
every 50 ms: every answer must come within 200 ms (today the server stalls 3-20 s), and
every attack must get a clear 4xx.

:func:`attack_server` is module-scoped and reusable: it seeds one database (a signatory
of final minutes, a secretariat API token) and starts one server for every test here.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support import ServerProcess, _open, http_get, run_cli, run_seed, server_env
from tests.untrusted_files import P12_PASSPHRASE, bomb_pdf, hidden_bomb_pdf, slow_pkcs12

HEALTHZ_BUDGET = 0.2
API = "/api/v1"


@dataclass
class AttackServer:
    server: ServerProcess
    seeded: dict[str, Any]

    @property
    def url(self) -> str:
        return self.server.base_url

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
        sent = {"Accept-Language": "id", **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        else:
            body, sent["Content-Type"] = multipart(files or {}, fields or {})
        request = urllib.request.Request(self.url + path, data=body, headers=sent, method="POST")  # noqa: S310
        status, _headers, text = _open(request, timeout, None)
        return status, json.loads(text) if text.startswith("{") else {"text": text}


def multipart(files: dict[str, tuple[str, bytes]], fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


@pytest.fixture(scope="module")
def attack_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AttackServer]:
    """One seeded eventlet server on SQLite for the whole module."""
    folder = tmp_path_factory.mktemp("attack")
    env = server_env(
        f"sqlite:///{folder / 'attack.db'}",
        MEETCOORD_WORKER="off",
        MEETCOORD_ASYNC_MODE="eventlet",
        MEETCOORD_INSTANCE_PATH=str(folder / "instance"),
        MEETCOORD_SANDBOX_CPU_SECONDS="2",
    )
    run_cli(env, "db", "upgrade")
    seeded = run_seed(env, "tests.untrusted_support", folder / "seeded.json")
    server = ServerProcess(env, folder / "server.log").start()
    try:
        yield AttackServer(server, seeded)
    finally:
        server.stop()


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
    watch = HealthWatch(server.url)
    result = watch.during(attack)
    assert not watch.failures, watch.failures
    assert len(watch.latencies) >= 3
    assert "Traceback" not in server.server.log(), server.server.log()
    return result, watch


def verify_upload(server: AttackServer, pdf: bytes) -> tuple[int, dict[str, Any], float]:
    started = time.perf_counter()
    status, body = server.post(f"{API}/verify", files={"file": ("notulen.pdf", pdf)})
    return status, body, time.perf_counter() - started


def test_healthz_answers_while_bomb_pdfs_are_verified(attack_server: AttackServer) -> None:
    def attack() -> list[tuple[int, dict[str, Any], float]]:
        return [verify_upload(attack_server, pdf) for pdf in (bomb_pdf(), hidden_bomb_pdf())]

    answers, watch = watched(attack_server, attack)
    (status, body, _took), (hidden_status, hidden_body, hidden_took) = answers
    assert status == 422, body
    assert body["errors"]["file"][0].startswith("Berkas ini tidak dapat diperiksa")
    assert hidden_status == 422, hidden_body
    assert hidden_took > 1.0  # parsed until the sandbox's CPU limit stopped it
    assert max(watch.latencies) < HEALTHZ_BUDGET, sorted(watch.latencies)[-5:]


def test_healthz_answers_while_a_slow_pkcs12_is_offered_for_signing(
    attack_server: AttackServer,
) -> None:
    seeded = attack_server.seeded
    path = f"{API}/i/{seeded['chair_token']}/documents/{seeded['minutes']}/sign"

    def attack() -> tuple[int, dict[str, Any]]:
        return attack_server.post(
            path,
            files={"certificate": ("ketua.p12", slow_pkcs12())},
            fields={"passphrase": P12_PASSPHRASE},
        )

    (status, body), watch = watched(attack_server, attack)
    assert status == 422, body
    assert "putaran penurunan kunci" in body["errors"]["certificate"][0]
    assert max(watch.latencies) < HEALTHZ_BUDGET, sorted(watch.latencies)[-5:]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "tidak menghasilkan rapat lain"),
        ("FREQ=DAILY;BYHOUR=25;COUNT=2", "BYHOUR tidak dipakai"),
        ("FREQ=MINUTELY;COUNT=2", "FREQ harus DAILY"),
    ],
)
def test_impossible_or_unsupported_rules_are_422_without_a_stall(
    attack_server: AttackServer, rule: str, reason: str
) -> None:
    seeded = attack_server.seeded

    def attack() -> tuple[int, dict[str, Any]]:
        return attack_server.post(
            f"{API}/meetings/{seeded['meeting']}/series",
            json_body={"rrule": rule},
            headers={"Authorization": f"Bearer {seeded['staff_token']}"},
        )

    (status, body), watch = watched(attack_server, attack)
    assert status == 422, body
    assert reason in body["errors"]["rrule"][0]
    assert max(watch.latencies) < HEALTHZ_BUDGET, sorted(watch.latencies)[-5:]
