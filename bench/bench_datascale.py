"""Bench ``datascale``: the tracker, dashboards and API on one province-year of data.

Target (DESIGN §10, issue 13): on SQLite, each p95 ≤ 150 ms — the action tracker filtered
by agency and overdue, the home dashboard, a forum's dashboard and the API's action list.

What runs, all on loopback in a scratch directory made for the run:

1. ``meetcoord db upgrade`` on a fresh SQLite file (migrated as the real server's is).
2. This file as a script (``--setup``), in its own process with the server's environment:
   a secretariat account (through the accounts service: a real password hash) of the
   first institution, with an API token; then ``datascale_seed.seed`` writes the data set
   with Core bulk inserts (2,000 meetings, 60,000 invitations, 40,000 attendances,
   10,000 actions, 30,000 updates at scale 1). ``seed_seconds`` is the bulk insert alone.
3. The server as ``make run`` serves it (``python -m meetcoord.server``, eventlet).
4. The account signs in through the login form; for each endpoint of ``ENDPOINTS``,
   ``WARMUP`` requests, then ``REQUESTS`` timed ones, one after another on one keep-alive
   connection. Any answer but 200 stops the bench with the status and the body's start:
   a page that does not exist yet is not measured as fast.

``BENCH_DATASCALE_ENDPOINTS=tracker,api_actions`` measures only those (a branch without
the dashboards); ``BENCH_DATASCALE_SCALE`` shrinks the data (the test runs it tiny).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # the runner loads this file by path
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import support  # noqa: E402

REQUESTS = 50
WARMUP = 5
DEADLINE_SECONDS = 600.0
REQUEST_TIMEOUT = 30.0
SEED = 13
TARGETS = dict.fromkeys(("tracker", "dashboard", "forum", "api_actions"), 150)
# name -> (how it signs in, path template filled from the setup's JSON)
ENDPOINTS: dict[str, tuple[str, str]] = {
    "tracker": ("session", "/actions?organization_id={organization_id}&overdue=1"),
    "dashboard": ("session", "/home"),
    "forum": ("session", "/forums/{forum_id}/dashboard"),
    "api_actions": (
        "token",
        "/api/v1/actions?organization_id={organization_id}&overdue=true",
    ),
}
ENV: dict[str, Any] = {}  # details for bench/out/datascale.json, filled by run()
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# --- setup (its own process: ``python bench/bench_datascale.py --setup out.json scale``) ---


def setup(out_path: Path, scale: float) -> None:
    """Seed the database the environment names; write what the timing loop needs."""
    import datascale_seed
    from sqlalchemy import func, select

    from meetcoord import create_app
    from meetcoord.access.models import MemberRole, Membership
    from meetcoord.accounts.models import User
    from meetcoord.accounts.services import create_token, create_user
    from meetcoord.actions.models import Action, ActionStatus
    from meetcoord.core.db import utcnow
    from meetcoord.extensions import db
    from meetcoord.meetings.models import Meeting

    app = create_app()
    with app.app_context():
        password = secrets.token_urlsafe(16)
        staff = create_user(
            None,
            email="sekretariat.skala@bappeda.example.go.id",
            name="Sekretariat Skala",
            password=password,
            role="secretariat",
        )
        staff_id = staff.id
        db.session.remove()  # no read snapshot of the session's may outlive the bulk write
        started = time.perf_counter()
        with db.engine.begin() as conn:
            seeder = datascale_seed.seed(conn, scale, SEED, staff_id)
        seed_seconds = time.perf_counter() - started
        home = seeder.institutions[0]
        staff = db.session.get_one(User, staff_id)
        db.session.add(
            Membership(user_id=staff_id, institution_id=home, role=MemberRole.SECRETARIAT)
        )
        _token, secret = create_token(None, staff, "bench datascale")
        db.session.commit()
        # The agency with the most overdue actions in the account's meetings: the tracker's
        # and the API's filter then have a real page to show.
        today = utcnow().date()
        organization_id = db.session.scalar(
            select(Action.organization_id)
            .join(Meeting, Meeting.id == Action.meeting_id)
            .where(
                Meeting.institution_id == home,
                Action.due_on < today,
                Action.status.in_([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]),
            )
            .group_by(Action.organization_id)
            .order_by(func.count().desc(), Action.organization_id)
            .limit(1)
        )
        forum_id = next(f for f in seeder.forum_ids if seeder.forum_institution[f] == home)
        out_path.write_text(
            json.dumps(
                {
                    "email": staff.email,
                    "password": password,
                    "token": secret,
                    "organization_id": organization_id,
                    "forum_id": forum_id,
                    "seed_seconds": seed_seconds,
                    "rows": seeder.counts,
                }
            )
        )


# --- the run ------------------------------------------------------------------------------


def selected(raw: str | None = None) -> list[str]:
    """The endpoints to measure: all, or the comma-separated names in ``raw``."""
    raw = raw if raw is not None else os.environ.get("BENCH_DATASCALE_ENDPOINTS", "")
    names = [name.strip() for name in raw.split(",") if name.strip()] or list(ENDPOINTS)
    unknown = [name for name in names if name not in ENDPOINTS]
    if unknown:
        raise SystemExit(f"bench datascale: unknown endpoints {unknown}; have {list(ENDPOINTS)}")
    return names


def signed_in(base: str, email: str, password: str) -> Any:
    """A ``requests`` session signed in through the login form, CSRF token included."""
    import requests

    session = requests.Session()
    session.headers["Accept-Language"] = "id"
    page = session.get(base + "/login", timeout=REQUEST_TIMEOUT)
    found = _CSRF.search(page.text)
    if page.status_code != 200 or not found:
        raise RuntimeError(f"/login answered {page.status_code} without a CSRF token")
    answer = session.post(
        base + "/login",
        data={"email": email, "password": password, "csrf_token": found.group(1)},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in answered {answer.status_code}: {answer.text[:300]}")
    return session


def fetch(client: Any, url: str, headers: dict[str, str]) -> tuple[float, Any]:
    started = time.perf_counter()
    response = client.get(url, headers=headers, timeout=REQUEST_TIMEOUT, allow_redirects=False)
    body = response.content  # read to the end inside the clock
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {body[:300]!r}")
    return elapsed, response


def measure(
    base: str, data: dict[str, Any], names: list[str], requests_each: int, warmup: int
) -> dict[str, list[float]]:
    """Latencies (ms) of ``requests_each`` sequential GETs per endpoint, after a warm-up."""
    import requests

    session = signed_in(base, data["email"], data["password"])
    api = requests.Session()
    latencies: dict[str, list[float]] = {}
    for name in names:
        how, template = ENDPOINTS[name]
        url = base + template.format(**data)
        client = session if how == "session" else api
        headers = {"Authorization": f"Bearer {data['token']}"} if how == "token" else {}
        for _ in range(warmup):
            _elapsed, response = fetch(client, url, headers)
        if name == "api_actions" and response.json().get("total", 0) < 1:
            raise RuntimeError(f"{url}: no actions matched; the bench would time an empty list")
        latencies[name] = [fetch(client, url, headers)[0] for _ in range(requests_each)]
    return latencies


def run(
    scale: float | None = None,
    endpoints: list[str] | None = None,
    requests_each: int = REQUESTS,
    warmup: int = WARMUP,
) -> dict[str, float]:
    scale = scale if scale is not None else float(os.environ.get("BENCH_DATASCALE_SCALE", "1"))
    names = endpoints or selected()
    deadline = time.monotonic() + DEADLINE_SECONDS
    tmp = Path(tempfile.mkdtemp(prefix="meetcoord-bench-datascale-"))
    port = support.free_port()
    env = support.server_env(tmp / "datascale.db", port)
    log = tmp / "server.log"
    server = support.meetcoord_server(env, log)
    keep = bool(os.environ.get("BENCH_KEEP"))
    try:
        support.run_checked(
            [*support.meetcoord_command(), "db", "upgrade"], env, deadline, "meetcoord db upgrade"
        )
        setup_out = tmp / "setup.json"
        support.run_checked(
            [sys.executable, str(Path(__file__).resolve()), "--setup", str(setup_out), str(scale)],
            env,
            deadline,
            "bench setup",
        )
        data = json.loads(setup_out.read_text())
        server.start(min(deadline, time.monotonic() + 60))
        load_before = os.getloadavg()  # a shared machine: other work skews the figures
        latencies = measure(f"http://127.0.0.1:{port}", data, names, requests_each, warmup)
        server.check_alive()
        ENV.update(
            load_average_before=[round(x, 2) for x in load_before],
            load_average_after=[round(x, 2) for x in os.getloadavg()],
            server="python -m meetcoord.server (eventlet, development, worker off)",
            database="sqlite (fresh file, WAL)",
            scale=scale,
            rows=data["rows"],
            endpoints={name: ENDPOINTS[name][1] for name in names},
            requests_each=requests_each,
            warmup_each=warmup,
            client="one keep-alive requests.Session, sequential",
            targets_p95_ms={name: TARGETS[name] for name in names},
        )
        metrics: dict[str, float] = {}
        for name in names:
            metrics[f"{name}_p95_ms"] = round(support.percentile(latencies[name], 0.95), 1)
        for name in names:
            metrics[f"{name}_p50_ms"] = round(statistics.median(latencies[name]), 1)
        metrics["seed_seconds"] = round(data["seed_seconds"], 2)
        return metrics
    except BaseException:
        keep = True
        ENV["server_log_tail"] = support.tail(log)
        raise
    finally:
        server.stop()
        if keep:
            print(f"bench datascale: scratch kept for inspection: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--setup":
        setup(Path(sys.argv[2]), float(sys.argv[3]))
    else:
        print(json.dumps(run(), indent=2))
        print(json.dumps(ENV, indent=2))
