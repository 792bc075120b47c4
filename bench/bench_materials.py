"""Bench ``materials``: a 20 MB PPTX uploads and downloads while a check-in burst runs.

Issue 15's proof: the transfer must not raise the check-in p99 by more than 50 ms. The
server is meetcoord's own, started as ``make run`` serves it (``python -m
meetcoord.server`` under eventlet, development mode, worker off) on a scratch database
and instance folder; the check-in burst is ``bench_checkin``'s (50 desks, keep-alive
connections, one redeem per credential), on disjoint slices of the invitees,
alternately (``ROUNDS`` times each):

1. the burst alone → ``checkin_p99_ms``;
2. the same burst while one more client uploads a 20 MB PPTX to an agenda item
   (``POST /api/v1/meetings/<id>/materials``, multipart) and downloads it back
   (``GET …/materials/<id>``, streamed), again and again until the burst ends →
   ``checkin_p99_with_upload_ms``; ``upload_20mb_seconds`` and
   ``download_20mb_seconds`` are the medians of the transfers made during the burst.

The transfers done alone before the bursts (a warm path) are in ``ENV``. The server is
always terminated; the whole run has a hard deadline.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # the runner loads this file by path
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import bench_checkin  # noqa: E402
import support  # noqa: E402

N = 500  # check-ins per burst (2 × ROUNDS bursts: 2 × ROUNDS × N invitees)
CLIENTS = 50
SIZE_MB = 20
DEADLINE_SECONDS = 420.0
TIMEOUT = 120.0
# Bursts alternate alone / with the transfer, ``ROUNDS`` times each, so a machine whose
# load drifts during the run weighs on both figures alike; each p99 is over all of its
# bursts' check-ins.
ROUNDS = 2
ENV: dict[str, Any] = {}


def presentation(size: int) -> bytes:
    """A PPTX of about ``size`` bytes: a real package whose bulk is one incompressible
    image, as a deck of photographs is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        archive.writestr("ppt/slides/slide1.xml", "<p:sld/>")
        archive.writestr("ppt/media/image1.jpeg", os.urandom(size), zipfile.ZIP_STORED)
    return buffer.getvalue()


def multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "mcbench" + secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = b"".join([*parts, head, content, f"\r\n--{boundary}--\r\n".encode()])
    return body, f"multipart/form-data; boundary={boundary}"


class Transfers:
    """One more client: upload the deck, download it back, delete it; timed each time."""

    def __init__(self, port: int, token: str, meeting_id: int, item_id: int, deck: bytes):
        self.port, self.meeting_id, self.deck = port, meeting_id, deck
        self.auth = {"Authorization": f"Bearer {token}", "Accept-Language": "id"}
        self.body, self.content_type = multipart(
            {"agenda_item_id": str(item_id)}, "Paparan Bupati Temanggung.pptx", deck
        )
        self.uploads: list[float] = []
        self.downloads: list[float] = []
        self.errors: list[str] = []

    def _conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)

    def once(self) -> None:
        base = f"/api/v1/meetings/{self.meeting_id}/materials"
        conn = self._conn()
        try:
            started = time.perf_counter()
            headers = self.auth | {"Content-Type": self.content_type}
            conn.request("POST", base, body=self.body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            upload = time.perf_counter() - started
            if response.status != 201:
                raise RuntimeError(f"upload answered {response.status}: {answer[:300]!r}")
            url = json.loads(answer)["url"]
            started = time.perf_counter()
            conn.request("GET", url, headers=self.auth)
            response = conn.getresponse()
            size = 0
            while chunk := response.read(1024 * 1024):
                size += len(chunk)
            download = time.perf_counter() - started
            if response.status != 200 or size != len(self.deck):
                raise RuntimeError(f"download answered {response.status} with {size} bytes")
            conn.request("DELETE", url, headers=self.auth)
            response = conn.getresponse()
            response.read()
            if response.status != 204:
                raise RuntimeError(f"delete answered {response.status}")
        finally:
            conn.close()
        self.uploads.append(upload)
        self.downloads.append(download)

    def loop(self, stop: Any) -> None:
        try:
            while not stop.is_set():
                self.once()
        except Exception as exc:  # reported, and the run fails on it
            self.errors.append(repr(exc))


def _transfer_child(port: int, token: str, meeting_id: int, item_id: int, size: int) -> None:
    """``--transfer``: upload and download until a line arrives on stdin, then print the
    timings and errors as one JSON line."""
    transfers = Transfers(port, token, meeting_id, item_id, presentation(size))
    stop = threading.Event()
    mover = threading.Thread(target=transfers.loop, args=(stop,), daemon=True)
    mover.start()
    sys.stdin.readline()
    stop.set()
    mover.join(timeout=TIMEOUT)
    result = {"uploads": transfers.uploads, "downloads": transfers.downloads}
    print(json.dumps(result | {"errors": transfers.errors}), flush=True)


def _api(port: int, token: str, method: str, path: str, body: dict) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        conn.request(method, path, body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path} answered {response.status}: {data[:300]!r}")
        return json.loads(data)
    finally:
        conn.close()


def _burst(port: int, data: dict, people: list, warmup: list, deadline: float) -> dict:
    measured = bench_checkin._measure(port, data | {"people": people, "warmup": warmup}, deadline)
    checked_in = measured["statuses"].get("checked_in", 0)
    if checked_in != len(people):
        raise RuntimeError(f"checked in {checked_in} of {len(people)}: {measured['statuses']}")
    return measured


def run(
    n: int = N, clients: int = CLIENTS, size_mb: float = SIZE_MB, rounds: int = ROUNDS
) -> dict[str, float]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    tmp = Path(tempfile.mkdtemp(prefix="meetcoord-bench-materials-"))
    port = support.free_port()
    env = support.server_env(tmp / "materials.db", port)
    env["MEETCOORD_INSTANCE_PATH"] = str(tmp / "instance")  # the files stay in the scratch
    log = tmp / "server.log"
    server = support.meetcoord_server(env, log)
    keep = bool(os.environ.get("BENCH_KEEP"))
    bench_checkin.CLIENTS = clients  # the burst's desks (its module reads this)
    try:
        support.run_checked(
            [*support.meetcoord_command(), "db", "upgrade"], env, deadline, "meetcoord db upgrade"
        )
        setup_out = tmp / "setup.json"
        support.run_checked(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--setup",
                str(setup_out),
                str(2 * rounds * n),
            ],
            env,
            deadline,
            "bench setup",
        )
        data = json.loads(setup_out.read_text())
        server.start(min(deadline, time.monotonic() + 60))
        token, meeting_id = data["token"], data["meeting_id"]
        item = _api(
            port,
            token,
            "POST",
            f"/api/v1/meetings/{meeting_id}/agenda",
            {"title": "Praktik baik Temanggung", "planned_minutes": 30, "kind": "presentation"},
        )
        deck = presentation(int(size_mb * 1024 * 1024))
        transfers = Transfers(port, token, meeting_id, item["id"], deck)
        transfers.once()  # alone, warm: for reference
        alone = (transfers.uploads.pop(), transfers.downloads.pop())
        # Disjoint slices of the invitees, each spread over both sites.
        slices = [data["people"][i :: 2 * rounds] for i in range(2 * rounds)]
        load_before = os.getloadavg()
        quiet: list[float] = []
        loaded: list[float] = []
        walls: list[float] = []
        for r in range(rounds):
            warmup = data["warmup"] if r == 0 else []
            quiet += _burst(port, data, slices[2 * r], warmup, deadline)["latencies"]
            # The transfers run in a process of their own: as a thread beside the 50 desk
            # threads they held this process's GIL while copying 20 MB, and the desks'
            # latencies grew on the client side, not in the server.
            child = [str(Path(__file__).resolve()), "--transfer", str(port), token]
            child += [str(meeting_id), str(item["id"]), str(len(deck))]
            mover = subprocess.Popen(  # noqa: S603 - this very file, our own arguments
                [sys.executable, *child],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            time.sleep(0.05)  # the first upload is on the wire when the desks start
            measured = _burst(port, data, slices[2 * r + 1], [], deadline)
            answer, _ = mover.communicate("stop\n", timeout=max(1.0, deadline - time.monotonic()))
            moved = json.loads(answer.strip().splitlines()[-1])
            transfers.uploads += moved["uploads"]
            transfers.downloads += moved["downloads"]
            transfers.errors += moved["errors"]
            loaded += measured["latencies"]
            walls.append(measured["wall"])
        server.check_alive()
        if transfers.errors or not transfers.uploads:
            raise RuntimeError(f"transfers failed: {transfers.errors}")
        p99 = support.percentile(quiet, 0.99)
        p99_loaded = support.percentile(loaded, 0.99)
        ENV.update(
            server="python -m meetcoord.server (eventlet, development, worker off)",
            database="sqlite (fresh file, WAL)",
            deck_bytes=len(deck),
            clients=clients,
            checkins_per_burst=n,
            transfers_during_burst=len(transfers.uploads),
            upload_alone_seconds=round(alone[0], 3),
            download_alone_seconds=round(alone[1], 3),
            rounds=rounds,
            burst_loaded_wall_s=[round(w, 3) for w in walls],
            checkin_p50_ms=round(statistics.median(quiet), 1),
            checkin_p50_with_upload_ms=round(statistics.median(loaded), 1),
            load_average_before=[round(x, 2) for x in load_before],
            load_average_after=[round(x, 2) for x in os.getloadavg()],
            target="checkin_p99_with_upload_ms - checkin_p99_ms <= 50",
        )
        return {
            "checkin_p99_ms": round(p99, 1),
            "checkin_p99_with_upload_ms": round(p99_loaded, 1),
            "upload_20mb_seconds": round(statistics.median(transfers.uploads), 3),
            "download_20mb_seconds": round(statistics.median(transfers.downloads), 3),
        }
    except BaseException:
        keep = True
        ENV["server_log_tail"] = support.tail(log)
        raise
    finally:
        server.stop()
        if keep:
            print(f"bench materials: scratch kept for inspection: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--setup":
        bench_checkin.setup(Path(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 7 and sys.argv[1] == "--transfer":
        port_, token_, meeting_, item_, size_ = sys.argv[2:]
        _transfer_child(int(port_), token_, int(meeting_), int(item_), int(size_))
    else:
        print(json.dumps(run(), indent=2))
        print(json.dumps({k: v for k, v in ENV.items() if k != "server_log_tail"}, indent=2))
