"""Bench ``checkin``: 500 participants, 50 concurrent desks redeeming credentials over HTTP.

Targets (DESIGN §10, a 2-core machine): ≥ 150 check-ins a second, p99 ≤ 200 ms, 0 lost,
0 duplicates.

What runs, in this order, all on loopback and in a scratch directory made for the run:

1. ``meetcoord db upgrade`` on a fresh SQLite database, in its own process.
2. This file as a script (``--setup``), in its own process with the server's environment:
   two venues, a secretariat account with an API token, 500 people, one meeting with two
   sites and 250 invited at each, scheduled (the 500 invitation mails stay a queued send
   job: the server runs with ``MEETCOORD_WORKER=off``); the credentials, site codes and token
   go to a JSON file.
3. The server exactly as ``make run`` serves it: ``python -m meetcoord.server`` under
   eventlet, development mode, on a free port of 127.0.0.1.
4. A short warm-up (five malformed codes, refused; then 20 extra invitees, not among the
   500 measured, check in for real so the write path is warm), then 50
   client threads, each with one keep-alive ``http.client`` connection (opened and served
   one ``/healthz`` before the clock starts: a desk's browser is already connected),
   released together, redeem the 500 credentials once each with a unique nonce:
   ``POST /api/v1/checkin/sites/<code>/redeem`` with ``{"credential", "nonce"}``. A request
   that fails at the transport level is sent again with the same nonce (what a desk does).
5. The database file is read back: ``lost`` = credentials that got no ``checked_in``
   answer and have no attendance; ``duplicates`` = attendance rows beyond one per person.

The server is always terminated; the whole run has a hard deadline.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # the runner loads this file by path
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import support  # noqa: E402

N = 500
CLIENTS = 50
WARMUP = 5
# Extra invitees who check in for real before the clock starts, so the first measured
# scans do not pay for cold caches (statement compilation, the write path). They are not
# among the N measured; the lost/duplicate checks still read every attendance row.
WARMUP_PEOPLE = 20
DEADLINE_SECONDS = 240.0  # the whole run, setup included
REQUEST_TIMEOUT = 30.0
RETRIES = 3
TARGETS = {"per_s": 150, "p99_ms": 200, "lost": 0, "duplicates": 0}
ENV: dict[str, Any] = {}  # details for bench/out/checkin.json, filled by run()


def redeem_path(site_code: str) -> str:
    return f"/api/v1/checkin/sites/{site_code}/redeem"


# --- setup (runs in its own process: ``python bench/bench_checkin.py --setup out.json``) --


def setup(out_path: Path, n: int = N) -> None:
    from datetime import timedelta

    from meetcoord import create_app
    from meetcoord.accounts.services import create_token, create_user
    from meetcoord.checkin import keys
    from meetcoord.core.db import utcnow
    from meetcoord.directory.models import Gender, Person, StakeholderCategory, Venue
    from meetcoord.extensions import db
    from meetcoord.meetings import invitations, services

    app = create_app()
    with app.app_context():
        venues = [
            Venue(name="Aula BAPPEDA Provinsi NTB", timezone="Asia/Makassar", capacity=300),
            Venue(name="Ruang Rapat Bappenas", timezone="Asia/Jakarta", capacity=300),
        ]
        db.session.add_all(venues)
        staff = create_user(
            None,
            email="sekretariat.bench@bappeda.example.go.id",
            name="Sekretariat Bench",
            password=secrets.token_urlsafe(16),
            role="secretariat",
        )
        people = [
            Person(
                name=f"Peserta Uji {i:03d}",
                category=StakeholderCategory.GOVERNMENT,
                gender=Gender.FEMALE if i % 2 else Gender.MALE,
                email=f"peserta{i:03d}@opd.example.go.id",
                position="Kepala Bidang",
            )
            for i in range(n + WARMUP_PEOPLE)
        ]
        db.session.add_all(people)
        db.session.commit()
        start = (utcnow() + timedelta(hours=9)).replace(microsecond=0)  # local WITA, today
        meeting = services.create_meeting(
            staff,
            {
                "title": "Rapat Koordinasi Bench Kehadiran",
                "kind": "coordination",
                "host_venue_id": venues[0].id,
                "start_at": start.strftime("%Y-%m-%dT%H:%M"),
                "end_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        services.add_site(staff, meeting, {"venue_id": venues[1].id})
        sites = list(meeting.sites)
        half = (n + WARMUP_PEOPLE) // 2
        for site, group in ((sites[0], people[:half]), (sites[1], people[half:])):
            invitations.invite(
                staff, meeting, {"person_ids": [p.id for p in group], "site_id": site.id}
            )
        services.schedule_meeting(staff, meeting)
        _token, secret = create_token(None, staff, "bench checkin")
        codes = {site.id: site.code for site in sites}
        rows = [
            {
                "credential": keys.credential_for(inv),
                "person_id": inv.person_id,
                "site": codes[inv.site_id],
            }
            for inv in meeting.invitations
        ]
        warmup_ids = {p.id for p in people[: WARMUP_PEOPLE // 2]}
        warmup_ids |= {p.id for p in people[half : half + WARMUP_PEOPLE // 2]}
        warmup_rows = [row for row in rows if row["person_id"] in warmup_ids]
        rows = [row for row in rows if row["person_id"] not in warmup_ids]
        out_path.write_text(
            json.dumps(
                {
                    "token": secret,
                    "meeting_id": meeting.id,
                    "sites": list(codes.values()),
                    "people": rows,
                    "warmup": warmup_rows,
                }
            )
        )


# --- the run ------------------------------------------------------------------------------


class Desk(threading.Thread):
    """One desk: a keep-alive connection, redeeming its share of the credentials."""

    def __init__(
        self,
        port: int,
        token: str,
        work: list[dict],
        start: threading.Barrier,
        path_for: Callable[[str], str] = redeem_path,
    ):
        super().__init__(daemon=True)
        self.port, self.work, self.start_barrier = port, work, start
        self.path_for = path_for
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept-Language": "id",
        }
        self.results: list[tuple[dict, float, int, dict | None]] = []
        self.transport_errors = 0
        self.conn: http.client.HTTPConnection | None = None

    def _post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        self.conn.request("POST", path, body=body, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, data

    def redeem(self, item: dict, nonce: str) -> tuple[float, int, dict | None]:
        body = json.dumps({"credential": item["credential"], "nonce": nonce}).encode()
        started = time.perf_counter()
        for attempt in range(RETRIES + 1):
            try:
                status, data = self._post(self.path_for(item["site"]), body)
                break
            except (OSError, http.client.HTTPException):
                self.transport_errors += 1
                if self.conn is not None:
                    self.conn.close()
                    self.conn = None
                if attempt == RETRIES:
                    return time.perf_counter() - started, 0, None
        elapsed = time.perf_counter() - started
        try:
            answer = json.loads(data)
        except ValueError:
            answer = None
        return elapsed, status, answer

    def connect(self) -> None:
        """Open the keep-alive connection and see it served once, before the timed part."""
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        self.conn.request("GET", "/healthz")
        response = self.conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"/healthz answered {response.status}")

    def run(self) -> None:
        try:
            self.connect()
        except (OSError, http.client.HTTPException, RuntimeError):
            self.transport_errors += 1
            self.conn = None
        try:
            self.start_barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            return
        for item in self.work:
            elapsed, status, answer = self.redeem(item, secrets.token_hex(16))
            self.results.append((item, elapsed, status, answer))
        if self.conn is not None:
            self.conn.close()


def _measure(
    port: int, data: dict, deadline: float, path_for: Callable[[str], str] = redeem_path
) -> dict[str, Any]:
    token, people = data["token"], data["people"]
    warm = Desk(port, token, [], threading.Barrier(1), path_for)
    for i in range(WARMUP if path_for is redeem_path else 0):
        item = {"credential": f"MC1.warm-up-{i}", "site": data["sites"][i % 2]}
        _elapsed, status, answer = warm.redeem(item, f"warm-up-{i}")
        if status != 200 or not answer or answer.get("reason") != "malformed":
            raise RuntimeError(f"warm-up redeem answered {status}: {answer!r}")
    for i, item in enumerate(data["warmup"]):
        _elapsed, status, answer = warm.redeem(item, f"warm-up-person-{i}")
        if status != 200 or not answer or answer.get("status") != "checked_in":
            raise RuntimeError(f"warm-up check-in answered {status}: {answer!r}")
    if warm.conn is not None:
        warm.conn.close()
    barrier = threading.Barrier(CLIENTS + 1)
    desks = [Desk(port, token, people[i::CLIENTS], barrier, path_for) for i in range(CLIENTS)]
    for desk in desks:
        desk.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for desk in desks:
        desk.join(timeout=max(0.1, deadline - time.monotonic()))
    wall = time.perf_counter() - started
    if any(desk.is_alive() for desk in desks):
        raise TimeoutError("bench checkin: clients still running at the deadline")
    results = [r for desk in desks for r in desk.results]
    latencies = [elapsed * 1000 for _item, elapsed, _status, _answer in results]
    statuses: dict[str, int] = {}
    for _item, _elapsed, status, answer in results:
        key = answer.get("status", f"http_{status}") if answer else f"http_{status}"
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "results": results,
        "wall": wall,
        "latencies": latencies,
        "statuses": statuses,
        "transport_errors": sum(desk.transport_errors for desk in desks),
    }


def _verify(db_path: Path, data: dict, results: list) -> dict[str, int]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT person_id, COUNT(*) FROM attendances WHERE meeting_id = ? GROUP BY person_id",
            (data["meeting_id"],),
        ).fetchall()
        total = sum(n for _p, n in rows)
    attended = {person for person, _n in rows}
    answered = {
        item["person_id"]
        for item, _e, status, answer in results
        if status == 200 and answer and answer.get("status") == "checked_in"
    }
    lost = sum(
        1
        for p in data["people"]
        if p["person_id"] not in answered and p["person_id"] not in attended
    )
    invited = {p["person_id"] for p in data["people"]}
    return {
        "lost": lost,
        "duplicates": total - len(attended),
        "attendance_rows": total,
        "answered_without_row": len(answered - attended),
        "rows_for_strangers": len(attended - invited),
    }


def _measure_floor(tmp: Path, data: dict, deadline: float) -> dict[str, float]:
    """The same 50 desks against ``floor_checkin.py`` (see there), on a fresh database."""
    import floor_checkin

    database = tmp / "floor.db"
    floor_checkin.seed(str(database), data["people"] + data["warmup"])
    port = support.free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, str(Path(floor_checkin.__file__)), str(database), str(port)]
    with support.Server(cmd, env, tmp / "floor.log", port).start(
        min(deadline, time.monotonic() + 60)
    ) as floor:
        cpu_before = support.cpu_seconds(floor.pid)
        measured = _measure(port, data, deadline, lambda site: f"/redeem/{site}")
        floor_cpu = support.cpu_seconds(floor.pid) - cpu_before
        floor.check_alive()
    checked_in = measured["statuses"].get("checked_in", 0)
    if checked_in != N:
        raise RuntimeError(f"floor checked in {checked_in} of {N}: {measured['statuses']}")
    ENV.update(
        floor="bench/floor_checkin.py: Flask + sqlite3, SELECT + 2 INSERT + COMMIT, same server",
        floor_cpu_ms_per_request=round(floor_cpu * 1000 / N, 2),
        floor_p50_ms=round(statistics.median(measured["latencies"]), 1),
    )
    return {
        "per_s": len(measured["latencies"]) / measured["wall"],
        "p99_ms": support.percentile(measured["latencies"], 0.99),
    }


def run() -> dict[str, float]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    tmp = Path(tempfile.mkdtemp(prefix="meetcoord-bench-checkin-"))
    port = support.free_port()
    env = support.server_env(tmp / "checkin.db", port)
    log = tmp / "server.log"
    server = support.meetcoord_server(env, log)
    keep = bool(os.environ.get("BENCH_KEEP"))
    try:
        support.run_checked(
            [*support.meetcoord_command(), "db", "upgrade"], env, deadline, "meetcoord db upgrade"
        )
        setup_out = tmp / "setup.json"
        support.run_checked(
            [sys.executable, str(Path(__file__).resolve()), "--setup", str(setup_out)],
            env,
            deadline,
            "bench setup",
        )
        data = json.loads(setup_out.read_text())
        server.start(min(deadline, time.monotonic() + 60))
        load_before = os.getloadavg()  # a shared machine: other work skews the figures
        cpu_before = support.cpu_seconds(server.pid), time.process_time()
        measured = _measure(port, data, deadline)
        server_cpu = support.cpu_seconds(server.pid) - cpu_before[0]
        client_cpu = time.process_time() - cpu_before[1]
        checks = _verify(tmp / "checkin.db", data, measured["results"])
        latencies = measured["latencies"]
        server.check_alive()
        ENV.update(
            load_average_before=[round(x, 2) for x in load_before],
            load_average_after=[round(x, 2) for x in os.getloadavg()],
            server="python -m meetcoord.server (eventlet, development, worker off)",
            database="sqlite (fresh file, WAL)",
            participants=N,
            sites=len(data["sites"]),
            clients=CLIENTS,
            client="threads, one keep-alive http.client connection each",
            warmup_requests=WARMUP,
            answers=measured["statuses"],
            server_cpu_s=round(server_cpu, 3),
            server_cpu_ms_per_request=round(server_cpu * 1000 / N, 2),
            client_cpu_s=round(client_cpu, 3),
            transport_errors=measured["transport_errors"],
            targets=TARGETS,
            **{k: v for k, v in checks.items() if k not in ("lost", "duplicates")},
        )
        checked_in = measured["statuses"].get("checked_in", 0)
        if checked_in != N:
            keep = True
            ENV["server_log_tail"] = support.tail(log)
        server.stop()
        floor = _measure_floor(tmp, data, deadline)
        per_s = len(latencies) / measured["wall"]
        p99 = support.percentile(latencies, 0.99)
        return {
            "per_s": round(per_s, 1),
            "p99_ms": round(p99, 1),
            "floor_per_s": round(floor["per_s"], 1),
            "floor_p99_ms": round(floor["p99_ms"], 1),
            # How many times the floor's throughput is ours, and our p99 over the floor's:
            # 1.0 would mean meetcoord costs no more than the bare database work.
            "ratio_vs_floor": round(floor["per_s"] / per_s, 2),
            "p99_ratio_vs_floor": round(p99 / floor["p99_ms"], 2),
            "p50_ms": round(statistics.median(latencies), 1),
            "max_ms": round(max(latencies), 1),
            "lost": checks["lost"],
            "duplicates": checks["duplicates"],
            "checked_in": checked_in,
            "requests": len(latencies),
            "wall_s": round(measured["wall"], 3),
        }
    except BaseException:
        keep = True
        raise
    finally:
        server.stop()
        if keep:
            print(f"bench checkin: scratch kept for inspection: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--setup":
        setup(Path(sys.argv[2]))
    else:
        print(json.dumps(run(), indent=2))
        print(json.dumps(ENV, indent=2))
