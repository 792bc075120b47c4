"""Bench ``sync``: importing 5,000 proposals from an XLSX, and marking 300 matrix rows live
in a meeting with 200 connected phones at two sites (issue 14, Performance).

Targets (2-core machine): ``import_5000_seconds`` ≤ 3 s, ``mark_p99_ms`` ≤ 250 ms.

What runs, on loopback in a scratch directory made for the run:

1. ``meetcoord db upgrade`` on a fresh SQLite file, then ``bench/sync_seed.py``'s
   ``setup`` in a child with the server's environment: villages of four regencies and a
   dozen agencies in the directory, three XLSX files of ``rows`` proposals with an
   e-Musrenbang export's column titles (plan years 2025, 2026, 2027), and a meeting at two
   sites with a "Sinkronisasi usulan" item whose matrix holds ``marks`` proposals, ``phones``
   people invited half to each site (their personal links), a secretariat account.
2. The server as ``make run`` serves it (``python -m meetcoord.server``, eventlet).
3. Import, the way the secretariat does it in the browser: sign in, ``POST
   /proposals/import`` with the file (read in the sandbox), the mapping page (pre-filled
   from the column titles; the bench sends what the page pre-selected), "Periksa" (check),
   then "Impor" — timed from the upload's first byte to the answer of the import, which
   commits the rows. ``import_5000_seconds`` is the first import after the server started
   (cold: the sandbox's first child, the first openpyxl load); the second file is the warm
   figure; the third goes through the API's one call (``POST /api/v1/proposals/import``).
   After each, the API must count ``rows`` proposals of that plan year.
4. Marking: ``CLIENT_PROCS`` child processes connect ``phones`` python-socketio clients
   (websocket, each with its personal link: ``{meeting, last_seq: 0, token}``); the console
   (the secretariat's API token over the same ``/live`` socket) opens the meeting, then
   sends ``proposal.mark`` for every row, one after another: each waits for its ack and for
   every phone to hold the ``proposal.marked`` event of that seq. A mark's latency is the
   last phone's arrival minus the moment the console sent it (``time.monotonic``, one clock
   for every process on the machine). The chair's command budget (60 per 10 s) paces the
   console at one mark per ``MIN_GAP_S`` at most, as a minute-taker is paced by the room.

Set ``BENCH_SYNC_CLIENT_DEFLATE=off`` for clients that do not offer permessage-deflate
(browsers do, so the default offers it), ``BENCH_KEEP=1`` to keep the scratch directory.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # the runner loads this file by path
sys.path.insert(0, str(BENCH_DIR))

import support  # noqa: E402

ROWS, PHONES, MARKS = 5000, 200, 300
YEARS = [2025, 2026, 2027]  # cold and warm through the pages, then the API
CLIENT_PROCS = 2
MIN_GAP_S = 0.2  # the chair's budget: 60 commands per 10 s
FANOUT_TIMEOUT_S = 15.0
DEADLINE_SECONDS = 900.0
TARGETS = {"import_5000_seconds": 3.0, "mark_p99_ms": 250}
ENV: dict[str, Any] = {}  # details for bench/out/sync.json, filled by run()
NAMESPACE = "/live"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_SELECT = re.compile(r'<select id="map_(\w+)" name="map_\w+">(.*?)</select>', re.S)
_SELECTED = re.compile(r'<option value="(\d+)" selected>')


# --- the import, as the secretariat does it ------------------------------------------------


def signed_in(base: str, email: str, password: str) -> Any:
    import requests

    session = requests.Session()
    session.headers["Accept-Language"] = "id"
    page = session.get(base + "/login", timeout=30)
    found = _CSRF.search(page.text)
    if page.status_code != 200 or not found:
        raise RuntimeError(f"/login answered {page.status_code} without a CSRF token")
    answer = session.post(
        base + "/login",
        data={"email": email, "password": password, "csrf_token": found.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in answered {answer.status_code}: {answer.text[:300]}")
    return session


def _expect(response: Any, status: int, what: str) -> Any:
    if response.status_code != status:
        raise RuntimeError(f"{what} answered {response.status_code}: {response.text[:600]}")
    return response


def page_import(session: Any, base: str, path: Path) -> dict[str, float]:
    """Upload → mapping page → check → import; seconds per step and in all."""
    form = _expect(session.get(base + "/planning/proposals/import", timeout=30), 200, "import page")
    csrf = _CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    payload = path.read_bytes()
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    t0 = time.perf_counter()
    upload = session.post(
        base + "/planning/proposals/import",
        data={"csrf_token": csrf},
        files={"file": (path.name, payload, mime)},
        allow_redirects=False,
        timeout=120,
    )
    _expect(upload, 302, "upload")
    t1 = time.perf_counter()
    map_url = (
        base + upload.headers["Location"]
        if upload.headers["Location"].startswith("/")
        else upload.headers["Location"]
    )
    page = _expect(session.get(map_url, timeout=60), 200, "mapping page")
    fields = {"csrf_token": _CSRF.search(page.text).group(1), "region": ""}  # type: ignore[union-attr]
    for target, options in _SELECT.findall(page.text):
        chosen = _SELECTED.search(options)
        fields[f"map_{target}"] = chosen.group(1) if chosen else ""
    t2 = time.perf_counter()
    _expect(session.post(map_url, data=fields | {"step": "check"}, timeout=120), 200, "check")
    t3 = time.perf_counter()
    done = session.post(
        map_url, data=fields | {"step": "import"}, allow_redirects=False, timeout=120
    )
    _expect(done, 302, "import")
    t4 = time.perf_counter()
    return {
        "upload_s": t1 - t0,
        "mapping_page_s": t2 - t1,
        "check_s": t3 - t2,
        "import_s": t4 - t3,
        "total_s": t4 - t0,
    }


def api_import(base: str, bearer: str, path: Path) -> float:
    import requests

    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    started = time.perf_counter()
    answer = requests.post(
        base + "/api/v1/proposals/import",
        headers={"Authorization": f"Bearer {bearer}"},
        files={"file": (path.name, path.read_bytes(), mime)},
        data={"mapping": json.dumps({"title": "Usulan", "budget": "Pagu"})},
        timeout=120,
    )
    _expect(answer, 201, "API import")
    return time.perf_counter() - started


def count_year(base: str, bearer: str, year: int) -> int:
    import requests

    answer = requests.get(
        base + f"/api/v1/proposals?plan_year={year}&per_page=5",
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=30,
    )
    return int(_expect(answer, 200, "proposal list").json()["total"])


# --- the phones (child processes: ``bench_sync.py --phones URL SETUP FIRST LAST``) ----------


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def phones_main(url: str, setup_json: Path, first: int, last: int) -> None:
    """Connect phones [first, last); report each ``proposal.marked`` seq once all have it."""
    import socketio

    data = json.loads(setup_json.read_text())
    mine = data["phones"][first:last]
    deflate = os.environ.get("BENCH_SYNC_CLIENT_DEFLATE", "on") != "off"
    arrivals: dict[int, list[float]] = {}
    seen: set[tuple[int, int]] = set()
    duplicates = 0
    clients = []

    def attach(client: Any, n: int) -> None:
        async def on_event(env: dict[str, Any]) -> None:
            nonlocal duplicates
            if env.get("type") != "proposal.marked":
                return
            at, seq = time.monotonic(), int(env["seq"])
            if (n, seq) in seen:
                duplicates += 1
                return
            seen.add((n, seq))
            got = arrivals.setdefault(seq, [])
            got.append(at)
            if len(got) == len(mine):
                _say({"seq": seq, "last": max(got), "first": min(got)})

        client.on("event", on_event, namespace=NAMESPACE)

    started = time.monotonic()
    gate = asyncio.Semaphore(25)

    async def join(n: int, phone: dict[str, Any]) -> None:
        client = socketio.AsyncClient(
            reconnection=False, websocket_extra_options={"compress": 15 if deflate else 0}
        )
        attach(client, n)
        async with gate:
            await client.connect(
                url,
                transports=["websocket"],
                namespaces=[NAMESPACE],
                auth={"meeting": data["meeting_id"], "last_seq": 0, "token": phone["token"]},
                wait_timeout=30,
            )
        clients.append(client)

    await asyncio.gather(*(join(first + i, p) for i, p in enumerate(mine)))
    _say({"ready": len(clients), "connect_s": round(time.monotonic() - started, 2)})
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.readline()  # "done", or the end of the parent
    received = sum(len(v) for v in arrivals.values())
    _say({"final": {"received": received, "duplicates": duplicates}})
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)


# --- the console -------------------------------------------------------------------------


async def console_run(url: str, data: dict[str, Any], procs: int) -> dict[str, Any]:
    """Start the phones, open the meeting, mark every row; latencies (ms) and losses."""
    import socketio

    setup_json = Path(data["setup_json"])
    phones = len(data["phones"])
    bounds = [(i * phones // procs, (i + 1) * phones // procs) for i in range(procs)]
    children = []
    for first, last in bounds:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--phones", url, str(setup_json)]
        children.append(
            await asyncio.create_subprocess_exec(
                *cmd,
                str(first),
                str(last),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                cwd=str(support.PROJECT_ROOT),
            )
        )
    reports: dict[int, list[float]] = {}
    arrived: dict[int, asyncio.Event] = {}
    ready: list[dict[str, Any]] = []
    finals: list[dict[str, Any]] = []
    all_ready = asyncio.Event()

    async def read(proc: Any) -> None:
        async for line in proc.stdout:
            message = json.loads(line)
            if "ready" in message:
                ready.append(message)
                if len(ready) == procs:
                    all_ready.set()
            elif "final" in message:
                finals.append(message["final"])
            else:
                reports.setdefault(message["seq"], []).append(message["last"])
                if len(reports[message["seq"]]) == procs:
                    arrived.setdefault(message["seq"], asyncio.Event()).set()

    readers = [asyncio.create_task(read(p)) for p in children]
    try:
        await asyncio.wait_for(all_ready.wait(), timeout=300)
        console = socketio.AsyncClient(reconnection=False)
        await console.connect(
            url,
            transports=["websocket"],
            namespaces=[NAMESPACE],
            auth={"meeting": data["meeting_id"], "bearer": data["bearer"]},
            wait_timeout=30,
        )

        async def command(name: str, **body: Any) -> dict[str, Any]:
            body["nonce"] = uuid.uuid4().hex
            ack = await console.call(name, body, namespace=NAMESPACE, timeout=30)
            if not ack.get("ok"):
                raise RuntimeError(f"{name} refused: {ack}")
            return ack

        await command("open")
        await asyncio.sleep(0.5)  # the phones' catch-up is over
        latencies: list[float] = []
        lost = 0
        next_at = time.monotonic()
        for mark in data["marks"]:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            sent = time.monotonic()
            next_at = sent + MIN_GAP_S
            ack = await command("proposal.mark", **mark)
            seq = ack["seq"]
            try:
                await asyncio.wait_for(
                    arrived.setdefault(seq, asyncio.Event()).wait(), FANOUT_TIMEOUT_S
                )
                latencies.append((max(reports[seq]) - sent) * 1000)
            except TimeoutError:
                lost += 1
        await console.disconnect()
        client_cpu = sum(support.cpu_seconds(p.pid) for p in children)
        for proc in children:
            proc.stdin.write(b"done\n")
            await proc.stdin.drain()
        await asyncio.wait_for(asyncio.gather(*readers), timeout=60)
    finally:
        for proc in children:
            if proc.returncode is None:
                proc.kill()
            await proc.wait()
    return {
        "latencies_ms": latencies,
        "lost_marks": lost,
        "connect_s": max(r["connect_s"] for r in ready),
        "received": sum(f["received"] for f in finals),
        "duplicates": sum(f["duplicates"] for f in finals),
        "client_cpu_s": client_cpu,
    }


# --- the run --------------------------------------------------------------------------------


def run(
    rows: int | None = None, phones: int | None = None, marks: int | None = None
) -> dict[str, float]:
    rows, phones, marks = rows or ROWS, phones or PHONES, marks or MARKS
    deadline = time.monotonic() + DEADLINE_SECONDS
    tmp = Path(tempfile.mkdtemp(prefix="meetcoord-bench-sync-"))
    port = support.free_port()
    env = support.server_env(tmp / "sync.db", port)
    log = tmp / "server.log"
    server = support.meetcoord_server(env, log)
    keep = bool(os.environ.get("BENCH_KEEP"))
    try:
        support.run_checked(
            [*support.meetcoord_command(), "db", "upgrade"], env, deadline, "db upgrade"
        )
        setup_json = tmp / "setup.json"
        seed = [sys.executable, str(BENCH_DIR / "sync_seed.py"), str(setup_json)]
        support.run_checked(
            [*seed, str(rows), str(phones), str(marks)], env, deadline, "bench setup"
        )
        data = json.loads(setup_json.read_text()) | {"setup_json": str(setup_json)}
        server.start(min(deadline, time.monotonic() + 60))
        base = f"http://127.0.0.1:{port}"
        load_before = os.getloadavg()
        session = signed_in(base, data["email"], data["password"])
        cpu_before = support.cpu_seconds(server.pid)
        cold = page_import(session, base, Path(data["files"]["2025"]))
        warm = page_import(session, base, Path(data["files"]["2026"]))
        api_s = api_import(base, data["bearer"], Path(data["files"]["2027"]))
        counts = {year: count_year(base, data["bearer"], year) for year in YEARS}
        if any(n != rows for n in counts.values()):
            raise RuntimeError(f"expected {rows} proposals per plan year, found {counts}")
        import_cpu = support.cpu_seconds(server.pid) - cpu_before
        procs = min(CLIENT_PROCS, phones)
        live = asyncio.run(console_run(base, data, procs))
        server.check_alive()
        lat = live["latencies_ms"]
        if not lat:
            raise RuntimeError("no mark reached every phone")
        ENV.update(
            rows=rows,
            phones=phones,
            marks=marks,
            sites=len(data["sites"]),
            client_processes=procs,
            min_gap_s=MIN_GAP_S,
            transport="websocket (python-socketio AsyncClient)",
            client_deflate=os.environ.get("BENCH_SYNC_CLIENT_DEFLATE", "on"),
            server="python -m meetcoord.server (eventlet, development, worker off), SQLite (WAL)",
            import_cold_steps=_rounded(cold),
            import_warm_steps=_rounded(warm),
            import_server_cpu_s=round(import_cpu, 2),
            counts_by_year=counts,
            phones_connect_s=live["connect_s"],
            phone_client_cpu_s=round(live["client_cpu_s"], 2),
            received=live["received"],
            duplicates=live["duplicates"],
            load_average_before=[round(x, 2) for x in load_before],
            load_average_after=[round(x, 2) for x in os.getloadavg()],
            targets=TARGETS,
        )
        return {
            "import_5000_seconds": round(cold["total_s"], 2),
            "import_5000_warm_seconds": round(warm["total_s"], 2),
            "import_5000_api_seconds": round(api_s, 2),
            "mark_p50_ms": round(statistics.median(lat), 1),
            "mark_p95_ms": round(support.percentile(lat, 0.95), 1),
            "mark_p99_ms": round(support.percentile(lat, 0.99), 1),
            "mark_lost": live["lost_marks"],
        }
    except BaseException:
        keep = True
        ENV["server_log_tail"] = support.tail(log)
        raise
    finally:
        server.stop()
        if keep:
            print(f"bench sync: scratch kept for inspection: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _rounded(steps: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in steps.items()}


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--phones":
        asyncio.run(phones_main(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))
    else:
        print(json.dumps(run(), indent=2))
        print(json.dumps(ENV, indent=2))
