"""Bench ``capacity``: how many live-view clients one meeting holds with every decision
reaching every client within 1 s (issue 15, Performance).

The ramp: 1,000, 2,000, 3,000, 5,000, 7,500 connected clients of the official
socket.io client; at each step the clients connect up to the step's number (those of the
earlier steps stay connected), then the chair records 4 decisions, one after another, and
the bench takes, over the 4 × N deliveries, the p50/p99 of the time from the chair's
command to a client having it, and what was lost. A target stops ramping at its first
failing step (p99 > 1 s, anything lost, a refused connection or a dropped one); its figure
is the last passing step. Target: ≥ 3,000 clients with one server process on the 2-core
machine.

The targets, each on its own server(s), in one run:

- ``eventlet``: meetcoord as ``make run`` serves it (``python -m meetcoord.server``,
  development mode, eventlet, one process), on a copy of the seeded SQLite database.
- ``node``: the reference socket.io server (``bench/fanout/reference-server.js``).
- ``redis2``: two meetcoord processes (eventlet) behind Redis, as deploy/README.md runs
  them: one PostgreSQL database (a scratch one, dropped afterwards), the Socket.IO message
  queue on Redis (``redis://127.0.0.1:6379/13`` unless ``BENCH_CAPACITY_REDIS_URL``), the
  clients split between the processes (client i to process i % 2), the chair on the first.
  Skipped, and said so in ENV, when PostgreSQL (``BENCH_CAPACITY_DATABASE_URL``, else
  ``MEETCOORD_TEST_DATABASE_URL``, else ``postgresql://postgres@127.0.0.1:5432/test``) or
  Redis does not answer.

Cores (2): one server process on core 0, every client process on core 1 (``taskset``),
so the clients never take the server's core. For ``redis2`` the two server processes
take one core each and the clients (and Redis) run where the scheduler puts them: with
two cores there is no core left for the clients, and that is said in ENV. Client
processes hold at most 1,000 clients each (``--per-proc`` in loadgen.js). The file limit
(RLIMIT_NOFILE) is raised to the hard limit for the servers and the clients.

Metrics: ``clients_at_1s``, ``node_clients_at_1s``, ``redis2_clients_at_1s``,
``rss_kb_per_client_at_max`` (the server's RSS growth from idle to the last passing step,
per client; ``redis2_`` sums both processes). ENV has every step's p50/p99/lost, CPU times,
load averages and the cores used. ``BENCH_CAPACITY_STEPS=100,200`` and
``BENCH_CAPACITY_TARGETS=eventlet,node`` narrow a run (development, profiling).
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
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # the runner loads this file by path
sys.path.insert(0, str(BENCH_DIR))

import bench_fanout as fanout  # noqa: E402
import support  # noqa: E402

STEPS = (1000, 2000, 3000, 5000, 7500)
DECISIONS = 4
GAP_MS = 100
PER_PROC = 1000
CONNECT_CONCURRENCY = 50
P99_LIMIT_MS = 1000
TARGETS = ("eventlet", "node", "redis2")
DEADLINE_SECONDS = 3000.0
REDIS_URL = os.environ.get("BENCH_CAPACITY_REDIS_URL", "redis://127.0.0.1:6379/13")
ENV: dict[str, Any] = {}


def _file_limit(needed: int) -> dict[str, Any]:
    """Soft RLIMIT_NOFILE up to the hard limit; the servers and clients inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 1 << 20 if hard == resource.RLIM_INFINITY else hard
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return {"nofile_soft": soft, "nofile_hard": hard, "nofile_enough": soft >= needed + 256}


def _pin(core: int | None) -> list[str]:
    if core is None or shutil.which("taskset") is None or (os.cpu_count() or 1) < 2:
        return []
    return ["taskset", "-c", str(core)]


def _seed(env: dict[str, str], per_site: int, out: Path, deadline: float) -> None:
    support.run_checked([*support.meetcoord_command(), "db", "upgrade"], env, deadline, "upgrade")
    support.run_checked(
        [sys.executable, str(Path(__file__).resolve()), "--setup", str(out), str(per_site)],
        env,
        deadline,
        "bench setup",
    )


@contextmanager
def _scratch_postgres() -> Iterator[str | None]:
    """A fresh PostgreSQL database for ``redis2`` (dropped afterwards), or None."""
    base = (
        os.environ.get("BENCH_CAPACITY_DATABASE_URL")
        or os.environ.get("MEETCOORD_TEST_DATABASE_URL")
        or "postgresql://postgres@127.0.0.1:5432/test"
    )
    try:
        from sqlalchemy import create_engine, make_url, text

        url = make_url(base).set(drivername="postgresql+psycopg")
        admin = create_engine(
            url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        name = f"meetcoord_capacity_{secrets.token_hex(4)}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        ENV["redis2_skipped"] = f"PostgreSQL unavailable: {exc.__class__.__name__}"
        yield None
        return
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _redis_ok() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except Exception:
        ENV["redis2_skipped"] = f"Redis unavailable at {REDIS_URL}"
        return False


def _ramp(
    ports: list[int],
    pids: list[int],
    setup_json: Path,
    steps: tuple[int, ...],
    cfg: dict,
    log: Path,
    deadline: float,
    client_core: int | None,
) -> dict[str, Any]:
    cmd = [
        *_pin(client_core),
        fanout._node(),
        str(fanout.FANOUT_DIR / "loadgen.js"),
        "--url", ",".join(f"http://127.0.0.1:{p}" for p in ports),
        "--pid", ",".join(map(str, pids)),
        "--setup", str(setup_json),
        "--ramp", ",".join(map(str, steps)),
        "--decisions", str(cfg["decisions"]),
        "--gap-ms", str(GAP_MS),
        "--concurrency", str(CONNECT_CONCURRENCY),
        "--per-proc", str(cfg["per_proc"]),
        "--p99-limit-ms", str(P99_LIMIT_MS),
    ]  # fmt: skip
    with log.open("wb") as err:
        result = subprocess.run(  # noqa: S603 - our own load generator
            cmd,
            cwd=fanout.FANOUT_DIR,
            stdout=subprocess.PIPE,
            stderr=err,
            timeout=support.left(deadline, "loadgen"),
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"loadgen exited {result.returncode}:\n{support.tail(log)}")
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


def _measure(
    target: str, tmp: Path, seeded: dict[str, Any], steps: tuple[int, ...], cfg: dict,
    deadline: float,
) -> dict[str, Any]:  # fmt: skip
    with ExitStack() as stack:
        if target == "node":
            port = support.free_port()
            cmd = [*_pin(0), fanout._node(), str(fanout.FANOUT_DIR / "reference-server.js")]
            servers = [
                support.Server(
                    [*cmd, str(port), str(seeded["sqlite_json"])],
                    dict(os.environ),
                    tmp / "server-node.log",
                    port,
                )
            ]
            setup_json, cores, client_core = seeded["sqlite_json"], [0], 1
        elif target == "eventlet":
            database = tmp / "capacity-eventlet.db"
            fanout._copy_database(seeded["sqlite_db"], database)
            port = support.free_port()
            env = seeded["sqlite_env"] | {
                "MEETCOORD_PORT": str(port),
                "MEETCOORD_DATABASE_URL": f"sqlite:///{database}",
            }
            cmd = [*_pin(0), sys.executable, "-m", "meetcoord.server"]
            servers = [support.Server(cmd, env, tmp / "server-eventlet.log", port)]
            setup_json, cores, client_core = seeded["sqlite_json"], [0], 1
        else:
            servers = []
            for n in range(2):
                port = support.free_port()
                env = seeded["pg_env"] | {"MEETCOORD_PORT": str(port)}
                cmd = [*_pin(n), sys.executable, "-m", "meetcoord.server"]
                servers.append(support.Server(cmd, env, tmp / f"server-redis2-{n}.log", port))
            setup_json, cores, client_core = seeded["pg_json"], [0, 1], None
        for server in servers:
            stack.enter_context(server)
            server.start(min(deadline, time.monotonic() + 60))
        time.sleep(1)
        pids = [s.pid for s in servers]
        idle_rss = [support.rss_kb(p) for p in pids]
        cpu_before = [support.cpu_seconds(p) for p in pids]
        load_before = [round(x, 2) for x in os.getloadavg()]
        report = _ramp(
            [s.port for s in servers], pids, setup_json, steps, cfg,
            tmp / f"loadgen-{target}.log", deadline, client_core,
        )  # fmt: skip
        for server in servers:
            server.check_alive()
        report["server_cpu_s_total"] = [
            round(support.cpu_seconds(p) - c, 2) for p, c in zip(pids, cpu_before, strict=True)
        ]
    report |= {
        "server_cores": cores if _pin(0) else "unpinned",
        "client_cores": ([client_core] if client_core is not None else "any") if _pin(0) else "any",
        "server_rss_kb_idle": idle_rss,
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    passing = [s for s in report["steps"] if s["passed"]]
    report["rss_kb_per_client_at_max"] = (
        round((sum(passing[-1]["server_rss_kb"]) - sum(idle_rss)) / passing[-1]["clients"], 1)
        if passing
        else None
    )
    return report


def _targets() -> tuple[str, ...]:
    wanted = os.environ.get("BENCH_CAPACITY_TARGETS", "")
    chosen = tuple(t.strip() for t in wanted.split(",") if t.strip()) or TARGETS
    if set(chosen) - set(TARGETS):
        raise SystemExit(f"BENCH_CAPACITY_TARGETS: unknown {sorted(set(chosen) - set(TARGETS))}")
    return chosen


def run(
    steps: tuple[int, ...] | None = None,
    decisions: int = DECISIONS,
    per_proc: int = PER_PROC,
    targets: tuple[str, ...] | None = None,
) -> dict[str, float | None]:
    env_steps = os.environ.get("BENCH_CAPACITY_STEPS")
    steps = steps or (tuple(int(x) for x in env_steps.split(",")) if env_steps else STEPS)
    targets = targets or _targets()
    cfg = {"decisions": decisions, "per_proc": per_proc}
    per_site = -(-max(steps) // fanout.SITES)
    deadline = time.monotonic() + DEADLINE_SECONDS
    tmp = Path(tempfile.mkdtemp(prefix="meetcoord-bench-capacity-"))
    keep = bool(os.environ.get("BENCH_KEEP"))
    ENV.clear()
    try:
        ENV.update(_file_limit(max(steps)))
        fanout._npm_install(deadline)
        seeded: dict[str, Any] = {}
        started = time.monotonic()
        if {"eventlet", "node"} & set(targets):
            db = tmp / "seeded.db"
            seeded["sqlite_env"] = support.server_env(db, support.free_port())
            seeded["sqlite_db"], seeded["sqlite_json"] = db, tmp / "setup.json"
            _seed(seeded["sqlite_env"], per_site, seeded["sqlite_json"], deadline)
        reports: dict[str, dict[str, Any]] = {}
        for target in targets:
            with ExitStack() as stack:
                if target == "redis2":
                    pg = stack.enter_context(_scratch_postgres())
                    if pg is None or not _redis_ok():
                        continue
                    seeded["pg_env"] = support.server_env(Path("unused"), support.free_port()) | {
                        "MEETCOORD_DATABASE_URL": pg,
                        "MEETCOORD_SOCKETIO_QUEUE": REDIS_URL,
                        "MEETCOORD_DEPLOYMENT_ID": f"capacity-{secrets.token_hex(4)}",
                    }
                    seeded["pg_json"] = tmp / "setup-pg.json"
                    _seed(seeded["pg_env"], per_site, seeded["pg_json"], deadline)
                ENV.setdefault("seed_seconds", round(time.monotonic() - started, 1))
                reports[target] = _measure(target, tmp, seeded, steps, cfg, deadline)
            r = reports[target]
            print(
                f"capacity {target}: last passing {r['last_passing']}; "
                + "; ".join(
                    f"{s['clients']}: p99 {s.get('p99_ms')} ms lost {s.get('lost')}"
                    + ("" if "connect_timeout_s" not in s else " (clients not all in)")
                    for s in r["steps"]
                ),
                file=sys.stderr,
            )
        ENV.update(
            steps=list(steps),
            decisions_per_step=decisions,
            clients_per_client_process=per_proc,
            p99_limit_ms=P99_LIMIT_MS,
            redis_url=REDIS_URL,
            cores=os.cpu_count(),
            cores_note=(
                "eventlet and node: the server on core 0, all client processes on core 1; "
                "redis2: server processes on cores 0 and 1, clients and Redis unpinned"
            ),
            server="python -m meetcoord.server (development, eventlet, worker off)",
            node=subprocess.run(  # noqa: S603
                [fanout._node(), "--version"], capture_output=True, text=True, check=False
            ).stdout.strip(),
            runs=reports,
        )
        metrics: dict[str, float | None] = {}
        for target, prefix in (("eventlet", ""), ("node", "node_"), ("redis2", "redis2_")):
            if target in reports:
                metrics[prefix + "clients_at_1s"] = reports[target]["last_passing"]
        for target, prefix in (("eventlet", ""), ("redis2", "redis2_")):
            if target in reports:
                metrics[prefix + "rss_kb_per_client_at_max"] = reports[target][
                    "rss_kb_per_client_at_max"
                ]
        return metrics
    except BaseException:
        keep = True
        raise
    finally:
        if keep:
            print(f"bench capacity: scratch kept for inspection: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--setup":
        fanout.setup(Path(sys.argv[2]), per_site=int(sys.argv[3]))
    else:
        print(json.dumps(run(), indent=2))
        print(json.dumps(ENV, indent=2))
