"""Bench ``fanout``: 1,000 clients at 5 sites follow one live meeting; the chair records
20 decisions; how long until every client has each one.

Targets (DESIGN §10, a 2-core machine): p99 ≤ 250 ms, p99 ≤ 3 × the reference Node
socket.io server's p99 measured in the same run, 0 lost, ≤ 150 KB of server memory per
connected client.

What runs, in this order, on loopback and in a scratch directory made for the run:

1. ``npm ci`` in ``bench/fanout`` when its ``node_modules`` is missing: the official
   ``socket.io-client`` (the load generator) and ``socket.io`` (the reference server),
   pinned in ``bench/fanout/package-lock.json``.
2. ``meetcoord db upgrade`` on a fresh SQLite database, then this file as a script
   (``--setup``) with the server's environment: five venues in WIB, WITA and WIT, a
   secretariat account, 1,000 people invited 200 to each of the five sites of one
   scheduled meeting, and a chair at the host site; every invitee's personal token
   (``links.personal_token``) goes to a JSON file for the load generator.
3. For each of meetcoord under eventlet, meetcoord under gevent (each on its own copy of
   the seeded database) and the reference Node server (``bench/fanout/reference-server.js``,
   no database): start the server the way ``make run`` serves it (``python -m
   meetcoord.server``, development mode, 127.0.0.1), then ``bench/fanout/loadgen.js``: the
   chair connects and opens the meeting, the 1,000 clients connect over websocket with
   ``{meeting, last_seq: 0, token}`` and catch up, the server's RSS is read before and after
   (``/proc/<pid>/status``), and the chair records 20 decisions one after another (each
   waits for its ack and its full fanout, then 100 ms). See loadgen.js for how latency and
   loss are counted.

The clients are the official client with its defaults, websocket transport only: like a
browser, it offers permessage-deflate and the server decides. The reference Node server
declines it (socket.io's default); meetcoord's servers (eventlet's websocket, and
simple-websocket under gevent) accept it and then compress every frame for every client.
``BENCH_FANOUT_CLIENT_DEFLATE=off`` makes the clients not offer it, for diagnosis only.

Metrics: ``p50_ms``, ``p99_ms``, ``lost``, ``rss_kb_per_client`` for eventlet (the default
mode), the same prefixed ``gevent_`` for gevent, ``node_p50_ms``, ``node_p99_ms`` and
``ratio_p99_vs_node`` (eventlet p99 / node p99; ``gevent_ratio_p99_vs_node`` too). The
machine's load average and each side's CPU time go to ENV (``bench/out/fanout.json``).
Set ``BENCH_FANOUT_MODES=eventlet,node`` to run only some targets (for profiling), and
``BENCH_FANOUT_CLIENT_PROCS`` to change the number of client processes (2, see loadgen.js).
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # the runner loads this file by path
sys.path.insert(0, str(BENCH_DIR))

import support  # noqa: E402

FANOUT_DIR = BENCH_DIR / "fanout"
SITES = 5
PER_SITE = 200
CLIENTS = SITES * PER_SITE
DECISIONS = 20
GAP_MS = 100
CLIENT_PROCS = int(os.environ.get("BENCH_FANOUT_CLIENT_PROCS", "2"))  # see loadgen.js's header
CONNECT_CONCURRENCY = 50
DEADLINE_SECONDS = 1200.0  # the whole run: setup and three servers
MODES = ("eventlet", "gevent", "node")
TARGETS = {"p99_ms": 250, "ratio_p99_vs_node": 3.0, "lost": 0, "rss_kb_per_client": 150}
ENV: dict[str, Any] = {}  # details for bench/out/fanout.json, filled by run()

VENUES = [  # (name, zone): the host first
    ("Aula BAPPEDA Provinsi NTB, Mataram", "Asia/Makassar"),
    ("Ruang Rapat Bappenas, Jakarta", "Asia/Jakarta"),
    ("BAPPEDA Kabupaten Lombok Timur, Selong", "Asia/Makassar"),
    ("Kantor Gubernur Maluku, Ambon", "Asia/Jayapura"),
    ("BAPPEDA Kota Jayapura", "Asia/Jayapura"),
]


# --- setup (its own process: ``python bench/bench_fanout.py --setup out.json``) -----------


def setup(out_path: Path, per_site: int = PER_SITE) -> None:
    """Seed the meeting; ``per_site`` invitees at each of the five sites (bench_capacity
    seeds 1,500 a site with this same function)."""
    from datetime import timedelta

    from meetcoord import create_app
    from meetcoord.accounts.services import create_user
    from meetcoord.core.db import utcnow
    from meetcoord.directory.models import Gender, Person, StakeholderCategory, Venue
    from meetcoord.extensions import db
    from meetcoord.meetings import invitations, links, services
    from meetcoord.meetings.models import InviteeRole

    app = create_app()
    with app.app_context():
        venues = [
            Venue(name=name, timezone=zone, capacity=max(400, per_site)) for name, zone in VENUES
        ]
        db.session.add_all(venues)
        staff = create_user(
            None,
            email="sekretariat.fanout@bappeda.example.go.id",
            name="Sekretariat Bench",
            password=secrets.token_urlsafe(16),
            role="secretariat",
        )
        chair = Person(
            name="Dr. Ir. Pimpinan Rapat, M.Si.",
            category=StakeholderCategory.GOVERNMENT,
            email="pimpinan@bappeda.example.go.id",
            position="Kepala BAPPEDA",
        )
        people = [
            Person(
                name=f"Peserta Fanout {i:04d}",
                category=StakeholderCategory.GOVERNMENT,
                gender=Gender.FEMALE if i % 2 else Gender.MALE,
                email=f"fanout{i:04d}@opd.example.go.id",
                position="Kepala Seksi",
            )
            for i in range(SITES * per_site)
        ]
        db.session.add(chair)
        db.session.add_all(people)
        db.session.commit()
        start = (utcnow() + timedelta(hours=9)).replace(microsecond=0)  # local WITA, today
        meeting = services.create_meeting(
            staff,
            {
                "title": "Rapat Koordinasi Lintas Lokasi (bench fanout)",
                "kind": "coordination",
                "host_venue_id": venues[0].id,
                "start_at": start.strftime("%Y-%m-%dT%H:%M"),
                "end_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        for venue in venues[1:]:
            services.add_site(staff, meeting, {"venue_id": venue.id})
        sites = list(meeting.sites)
        for n, site in enumerate(sites):
            group = people[n * per_site : (n + 1) * per_site]
            invitations.invite(
                staff, meeting, {"person_ids": [p.id for p in group], "site_id": site.id}
            )
        invitations.invite(
            staff,
            meeting,
            {"person_ids": [chair.id], "site_id": sites[0].id, "role": InviteeRole.CHAIR.value},
        )
        services.schedule_meeting(staff, meeting)

        def entry(inv: Any) -> dict[str, Any]:
            return {
                "token": links.personal_token(inv),
                "invitation_id": inv.id,
                "site_id": inv.site_id,
                "name": inv.person.name,
            }

        invs = sorted(meeting.invitations, key=lambda inv: inv.id)
        chair_inv = next(inv for inv in invs if inv.person_id == chair.id)
        by_site: dict[int, list[dict[str, Any]]] = {}
        for inv in invs:
            if inv.person_id != chair.id:
                by_site.setdefault(inv.site_id, []).append(entry(inv))
        # Interleave the sites, so every site's clients join (and are spread over client
        # processes) evenly rather than one site after another.
        clients = [c for row in zip(*by_site.values(), strict=True) for c in row]
        out_path.write_text(
            json.dumps(
                {
                    "meeting_id": meeting.id,
                    "chair": entry(chair_inv),
                    "clients": clients,
                    "sites": [
                        {"id": s.id, "venue": s.venue.name, "zone": s.venue.timezone} for s in sites
                    ],
                }
            )
        )


# --- the run ------------------------------------------------------------------------------


def _node() -> str:
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        raise RuntimeError("bench fanout needs Node.js (node and npm) on PATH")
    return node


def _npm_install(deadline: float) -> None:
    """``npm ci`` (``npm install`` without a lock) into bench/fanout/node_modules, once."""
    modules = FANOUT_DIR / "node_modules"
    if (modules / "socket.io" / "package.json").exists() and (
        modules / "socket.io-client" / "package.json"
    ).exists():
        return
    has_lock = (FANOUT_DIR / "package-lock.json").exists()
    cmd = ["npm", "ci" if has_lock else "install", "--no-audit", "--no-fund"]
    result = subprocess.run(  # noqa: S603 - npm with our own package.json
        cmd,
        cwd=FANOUT_DIR,
        capture_output=True,
        text=True,
        timeout=support.left(deadline, "npm"),
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")


def _raise_file_limit() -> None:
    """1,000 sockets on each side: the servers and the load generator inherit this limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192 if hard == resource.RLIM_INFINITY else min(hard, 8192)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _copy_database(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    for suffix in ("-wal", "-shm"):
        extra = src.with_name(src.name + suffix)
        if extra.exists():
            shutil.copyfile(extra, dst.with_name(dst.name + suffix))


def _loadgen(port: int, pid: int, setup_json: Path, log: Path, deadline: float) -> dict[str, Any]:
    cmd = [
        _node(),
        str(FANOUT_DIR / "loadgen.js"),
        "--url",
        f"http://127.0.0.1:{port}",
        "--setup",
        str(setup_json),
        "--procs",
        str(CLIENT_PROCS),
        "--decisions",
        str(DECISIONS),
        "--gap-ms",
        str(GAP_MS),
        "--concurrency",
        str(CONNECT_CONCURRENCY),
        "--pid",
        str(pid),
        "--deflate",
        os.environ.get("BENCH_FANOUT_CLIENT_DEFLATE", "on"),
    ]
    with log.open("wb") as err:
        result = subprocess.run(  # noqa: S603 - our own load generator
            cmd,
            cwd=FANOUT_DIR,
            stdout=subprocess.PIPE,
            stderr=err,
            timeout=min(support.left(deadline, "loadgen"), 600),
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"loadgen exited {result.returncode}:\n{support.tail(log)}")
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


def _measure(
    mode: str, tmp: Path, base_db: Path, env: dict[str, str], setup_json: Path, deadline: float
) -> dict[str, Any]:
    port = support.free_port()
    log = tmp / f"server-{mode}.log"
    if mode == "node":
        cmd = [_node(), str(FANOUT_DIR / "reference-server.js"), str(port), str(setup_json)]
        server = support.Server(cmd, dict(os.environ), log, port)
    else:
        database = tmp / f"fanout-{mode}.db"
        _copy_database(base_db, database)
        server_env = env | {
            "MEETCOORD_ASYNC_MODE": mode,
            "MEETCOORD_PORT": str(port),
            "MEETCOORD_DATABASE_URL": f"sqlite:///{database}",
        }
        server = support.meetcoord_server(server_env, log)
    with server:
        server.start(min(deadline, time.monotonic() + 60))
        load_before = os.getloadavg()
        report = _loadgen(port, server.pid, setup_json, tmp / f"loadgen-{mode}.log", deadline)
        server.check_alive()
    report["load_average_before"] = [round(x, 2) for x in load_before]
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return report


def _modes() -> tuple[str, ...]:
    wanted = os.environ.get("BENCH_FANOUT_MODES", "")
    modes = tuple(m.strip() for m in wanted.split(",") if m.strip()) or MODES
    unknown = set(modes) - set(MODES)
    if unknown:
        raise SystemExit(f"BENCH_FANOUT_MODES: unknown {sorted(unknown)}; have {MODES}")
    return modes


def _metrics(reports: dict[str, dict[str, Any]]) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for mode, prefix in (("eventlet", ""), ("gevent", "gevent_")):
        if mode in reports:
            r = reports[mode]
            for key in ("p50_ms", "p99_ms", "lost", "rss_kb_per_client"):
                metrics[prefix + key] = r[key]
    if "node" in reports:
        node = reports["node"]
        metrics["node_p50_ms"] = node["p50_ms"]
        metrics["node_p99_ms"] = node["p99_ms"]
        for mode, prefix in (("eventlet", ""), ("gevent", "gevent_")):
            if mode in reports and node["p99_ms"]:
                ratio = reports[mode]["p99_ms"] / node["p99_ms"]
                metrics[prefix + "ratio_p99_vs_node"] = round(ratio, 2)
        metrics["node_lost"] = node["lost"]
        metrics["node_rss_kb_per_client"] = node["rss_kb_per_client"]
    for mode, prefix in (("eventlet", ""), ("gevent", "gevent_"), ("node", "node_")):
        if mode in reports:
            metrics[prefix + "duplicates"] = reports[mode]["duplicates"]
            metrics[prefix + "connect_s"] = reports[mode]["connect_seconds"]
    return metrics


def run() -> dict[str, float]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    tmp = Path(tempfile.mkdtemp(prefix="meetcoord-bench-fanout-"))
    keep = bool(os.environ.get("BENCH_KEEP"))
    try:
        _raise_file_limit()
        _npm_install(deadline)
        base_db = tmp / "seeded.db"
        env = support.server_env(base_db, support.free_port())
        support.run_checked(
            [*support.meetcoord_command(), "db", "upgrade"], env, deadline, "db upgrade"
        )
        setup_json = tmp / "setup.json"
        support.run_checked(
            [sys.executable, str(Path(__file__).resolve()), "--setup", str(setup_json)],
            env,
            deadline,
            "bench setup",
        )
        reports: dict[str, dict[str, Any]] = {}
        for mode in _modes():
            reports[mode] = _measure(mode, tmp, base_db, env, setup_json, deadline)
            r = reports[mode]
            print(
                f"fanout {mode}: p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, lost {r['lost']}, "
                f"{r['rss_kb_per_client']} KB/client, connect {r['connect_seconds']} s, "
                f"load {r['load_average_before'][0]}",
                file=sys.stderr,
            )
        ENV.update(
            clients=CLIENTS,
            sites=SITES,
            decisions=DECISIONS,
            gap_ms=GAP_MS,
            client_processes=CLIENT_PROCS,
            connect_concurrency=CONNECT_CONCURRENCY,
            transport="websocket",
            server="python -m meetcoord.server (development, worker off), SQLite (WAL)",
            node=subprocess.run(  # noqa: S603
                [_node(), "--version"], capture_output=True, text=True, check=False
            ).stdout.strip(),
            targets=TARGETS,
            runs=reports,
        )
        return _metrics(reports)
    except BaseException:
        keep = True
        raise
    finally:
        if keep:
            print(f"bench fanout: scratch kept for inspection: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--setup":
        setup(Path(sys.argv[2]))
    else:
        print(json.dumps(run(), indent=2))
        print(json.dumps(ENV, indent=2))
