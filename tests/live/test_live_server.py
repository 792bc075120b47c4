"""The live room on real server processes, with python-socketio's own client (issue 5).

- A server killed with SIGKILL right after acknowledging decisions loses none of them:
  restarted on the same database, it replays to a reconnecting client exactly what that
  client missed, the hash chain verifies, and new commands continue at the next seq.
- Two server processes sharing events through Redis, on one PostgreSQL database: what is
  done through one reaches clients of the other, and the seq stays gapless when both take
  commands at once.
- The same connect → command → broadcast flow under eventlet and under gevent.

The meeting is seeded by ``python -m tests.live_support seed`` in its own process with the
server's environment (so the personal tokens derive from the server's key); the servers
run as ``python -m meetcoord.server``, exactly as ``meetcoord serve`` does.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import postgres_url, skip_or_fail
from tests.live_support import NAMESPACE, TIMEOUT, LiveClient
from tests.support import (
    ServerProcess,
    run_cli,
    run_seed,
    server_env,
    throwaway_postgres,
)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    """``servers(env)`` starts one more server process; all are stopped afterwards."""
    started: list[ServerProcess] = []
    names = itertools.count()

    def start(env: dict[str, str]) -> ServerProcess:
        server = ServerProcess(env, tmp_path / f"server-{next(names)}.log")
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def clients() -> Iterator[Callable[..., LiveClient]]:
    made: list[LiveClient] = []

    def make(*args: Any, **kwargs: Any) -> LiveClient:
        client = LiveClient(*args, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def prepare(database_url: str, tmp_path: Path, **settings: str) -> tuple[dict[str, str], dict]:
    """Migrate and seed ``database_url``; the server environment and the seeded ids."""
    env = server_env(database_url, MEETCOORD_WORKER="off", **settings)
    run_cli(env, "db", "upgrade")
    return env, run_seed(env, "tests.live_support", tmp_path / "seeded.json", timeout=120)


def assert_each_once_in_order(client: LiveClient, first: int, last: int) -> None:
    assert client.seqs == list(range(first, last + 1)), client.seqs


def assert_each_once(client: LiveClient, first: int, last: int) -> None:
    """Every seq exactly once, in whatever order the wire brought them.

    Two processes publish to Redis after their own commits, so seq 5 committed through
    one can overtake seq 4 committed a moment earlier through the other; a client puts
    them in order by seq (``live-client.js`` buffers and resyncs on a lasting gap).
    """
    assert sorted(client.seqs) == list(range(first, last + 1)), client.seqs


# --- SIGKILL ----------------------------------------------------------------------------


def test_acknowledged_decisions_survive_sigkill_and_clients_resume_at_their_seq(
    tmp_path, servers, clients
):
    database = tmp_path / "live.db"
    env, seeded = prepare(f"sqlite:///{database}", tmp_path, MEETCOORD_ASYNC_MODE="eventlet")
    server = servers(env)
    chair = clients(server, seeded, "chair", last_seq=0)
    phone = clients(server, seeded, "participant", last_seq=0)  # drops out half-way
    screen = clients(server, seeded, "ambon_participant", last_seq=0)  # there to the end

    assert chair.call("open")["ok"]
    assert chair.call("item.activate", item_id=seeded["items"][0])["ok"]
    acked: dict[int, tuple[int, str]] = {}  # decision id → (seq, text)

    def record(n: int, nonce: str | None = None) -> dict[str, Any]:
        text = f"Kesepakatan {n}: cadangan pangan desa {n}"
        ack = chair.call("decision.record", text=text, nonce=nonce or uuid.uuid4().hex)
        assert ack["ok"], ack
        acked[ack["id"]] = (ack["seq"], text)
        return ack

    for n in range(1, 4):
        record(n)
    phone.wait_for_seq(5)
    phone.close()  # the phone's connection drops
    for n in range(4, 9):
        record(n)
    last = record(9, nonce="terakhir-sebelum-mati")
    assert last["seq"] == 11

    server.proc.kill()  # SIGKILL: no shutdown handler, no flush, nothing
    server.proc.wait(timeout=10)
    for client in (chair, screen):
        client.close()

    # Every acknowledged decision is in the database file, with the seq it was acked at.
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT d.id, d.number, d.text FROM decisions d WHERE d.meeting_id = ?",
            (seeded["meeting"],),
        ).fetchall()
        logged = dict(
            conn.execute(
                "SELECT seq, type FROM meeting_events WHERE meeting_id = ?",
                (seeded["meeting"],),
            ).fetchall()
        )
    assert {row[0]: row[2] for row in rows} == {i: text for i, (_s, text) in acked.items()}
    assert sorted(row[1] for row in rows) == list(range(1, 10))
    assert all(logged[seq] == "decision.recorded" for seq, _t in acked.values())

    restarted = servers(env)

    # The phone comes back with the last seq it saw: exactly what it missed, once, in order.
    back = clients(restarted, seeded, "participant", last_seq=phone.last_seq)
    back.wait_for_seq(11)
    assert_each_once_in_order(back, phone.last_seq + 1, 11)
    assert [e["data"]["decision"]["text"] for e in back.events] == [
        acked[i][1] for i in sorted(acked) if acked[i][0] > phone.last_seq
    ]
    assert back.snapshots == []
    # The screen that was connected when the server died resumes from its own last seq.
    screen_back = clients(restarted, seeded, "ambon_participant", last_seq=screen.last_seq)
    screen_back.wait_until(lambda: max(screen.last_seq, screen_back.last_seq) >= 11, "seq 11")
    assert screen.seqs + screen_back.seqs == list(range(1, 12))

    # The chair's console retries its last command: the nonce still answers the first
    # ack, seq 11 and the decision's id (issue 17), from the database the server reopened.
    chair = clients(restarted, seeded, "chair", last_seq=11)
    again = chair.call("decision.record", text="apa saja", nonce="terakhir-sebelum-mati")
    assert again == last
    # New commands continue at the next seq, and reach everyone connected.
    ack = chair.call("decision.record", text="Kesepakatan 10 setelah restart")
    assert (ack["ok"], ack["seq"]) == (True, 12)
    for client in (back, screen_back, chair):
        client.wait_for_seq(12)
    assert_each_once_in_order(back, phone.last_seq + 1, 12)
    assert back.events[-1]["data"]["decision"]["number"] == 10
    # The chain written before the kill and after the restart is one intact chain.
    assert "12 events, chain intact" in run_cli(env, "audit", "verify", str(seeded["meeting"]))


# --- eventlet and gevent ----------------------------------------------------------------


def burst(*work: tuple[LiveClient, str], n: int = 10) -> list[dict[str, Any]]:
    """Each client records ``n`` decisions, all clients at once; the acks."""
    results: list[dict[str, Any]] = []

    def record(client: LiveClient, label: str) -> None:
        for k in range(n):
            results.append(client.call("decision.record", text=f"{label} {k}"))

    threads = [threading.Thread(target=record, args=item) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results


def wait_for_all(clients: tuple[LiveClient, ...], count: int) -> None:
    for client in clients:
        client.wait_until(lambda c=client: len(c.seqs) >= count, f"{count} events")
    time.sleep(0.3)  # and nothing more: no event twice


@pytest.mark.parametrize("mode", ["eventlet", "gevent", "threading"])
def test_connect_command_and_broadcast_on_a_real_server(tmp_path, servers, clients, mode):
    env, seeded = prepare(f"sqlite:///{tmp_path / 'live.db'}", tmp_path, MEETCOORD_ASYNC_MODE=mode)
    server = servers(env)
    assert f"({mode})" in server.log()
    chair = clients(server, seeded, "chair")
    # A phone on a weak connection stays on long-polling; the screen uses a websocket.
    phone = clients(server, seeded, "participant", last_seq=0, transport="polling")
    screen = clients(server, seeded, "ambon_participant", last_seq=0)
    assert chair.welcome["role"] == "chair"
    assert chair.snapshots[0]["seq"] == 0  # no last seq: a snapshot

    assert chair.call("open") == {"ok": True, "seq": 1}
    ack = chair.call("decision.record", text="Rapat lanjutan di Ambon", kind="consensus")
    assert (ack["ok"], ack["seq"]) == (True, 2)
    asked = phone.call("speaker.request")
    assert (asked["ok"], asked["seq"]) == (True, 3)
    refused = phone.call("decision.record", text="Bukan hak peserta")
    assert refused["error"]["code"] == "forbidden"
    for client in (chair, phone, screen):
        client.wait_for_seq(3)
        assert_each_once_in_order(client, 1, 3)
        assert [e["type"] for e in client.events] == [
            "meeting.opened",
            "decision.recorded",
            "speaker.requested",
        ]
        assert client.events[1]["data"]["decision"]["text"] == "Rapat lanjutan di Ambon"
        assert set(client.events[1]) == {"meeting", "seq", "type", "data", "at", "actor"}

    # Chair and minute-taker record at the same moment (with threads, SQLite turns one
    # of them away now and then: it is run again, and still acknowledged).
    minute_taker = clients(server, seeded, "minute_taker", last_seq=3)
    results = burst((chair, "Ketua"), (minute_taker, "Notulis"))
    assert all(r["ok"] for r in results), results
    assert sorted(r["seq"] for r in results) == list(range(4, 24))
    wait_for_all((chair, phone, screen), 23)
    for client in (chair, phone, screen):
        assert_each_once(client, 1, 23)
    assert "Traceback" not in server.log(), server.log()


# --- several processes through Redis ----------------------------------------------------


def test_two_server_processes_share_events_through_redis(tmp_path, servers, clients):
    pg, redis_url = postgres_url(), os.environ.get("MEETCOORD_TEST_REDIS_URL")
    if not pg or not redis_url:
        skip_or_fail("MEETCOORD_TEST_DATABASE_URL and MEETCOORD_TEST_REDIS_URL are needed")
    with throwaway_postgres(pg) as database_url:
        env, seeded = prepare(
            database_url,
            tmp_path,
            MEETCOORD_ASYNC_MODE="eventlet",
            MEETCOORD_SOCKETIO_QUEUE=redis_url,
        )
        one, two = servers(env), servers(env)
        try:
            chair = clients(one, seeded, "chair")
            minute_taker = clients(two, seeded, "minute_taker")
            phone = clients(two, seeded, "participant", last_seq=0)
            screen = clients(one, seeded, "ambon_participant", last_seq=0)

            assert chair.call("open")["ok"]
            ack = chair.call("decision.record", text="Dicatat lewat proses satu")
            assert (ack["ok"], ack["seq"]) == (True, 2)
            phone.wait_for_seq(2)  # connected to process two
            assert phone.events[-1]["data"]["decision"]["text"] == "Dicatat lewat proses satu"

            # Both processes take commands at once: one gapless seq, everyone sees it all.
            results = burst((chair, "Ketua"), (minute_taker, "Notulis"))
            assert all(r["ok"] for r in results), results
            assert sorted(r["seq"] for r in results) == list(range(3, 23))
            wait_for_all((chair, minute_taker, phone, screen), 22)
            for client in (chair, minute_taker, phone, screen):
                # In order even across processes: commit and publish hold one lock.
                assert_each_once_in_order(client, 1, 22)
            in_order = sorted(phone.events, key=lambda e: e["seq"])
            numbers = [e["data"]["decision"]["number"] for e in in_order[1:]]
            assert numbers == list(range(1, 22))  # numbered in seq order
            verified = run_cli(env, "audit", "verify", str(seeded["meeting"]))
            assert "22 events, chain intact" in verified

            # Link health counts every process's connections: the Ambon coordinator on
            # process two shows on the chair's console on process one, and stays there
            # when process one sends its counts again.
            ambon = str(seeded["sites"][1])

            def seen(count: int) -> Callable[[], bool]:
                def check() -> bool:
                    last = chair.presence[-1] if chair.presence else {}
                    sites = last.get("sites", {})
                    return (
                        last.get("connections") == count
                        and sites.get(ambon, {}).get("coordinators") == 1
                    )

                return check

            clients(two, seeded, "coordinator")
            chair.wait_until(seen(5), "5 connections with Ambon's coordinator")
            clients(one, seeded, "participant", last_seq=22)  # process one sends again
            chair.wait_until(seen(6), "6 connections with Ambon's coordinator")
        finally:
            for server in (one, two):
                server.stop()  # before the database is dropped


# --- the door: malformed connects, oversized frames, foreign origins (issue 11) ---------


def test_a_real_server_answers_bad_connects_and_refuses_oversized_frames_cleanly(
    tmp_path, servers, clients
):
    """Through python-socketio's own client, as the property-based run found them."""
    import urllib.request

    import socketio

    from meetcoord.core.sockets import MAX_MESSAGE_BYTES
    from tests.support import _open

    env, seeded = prepare(
        f"sqlite:///{tmp_path / 'live.db'}", tmp_path, MEETCOORD_ASYNC_MODE="eventlet"
    )
    server = servers(env)

    # A meeting id of 2^63 used to leave the handshake unanswered until the client gave up.
    sio = socketio.Client(reconnection=False)
    refusals: list[Any] = []
    sio.on("connect_error", refusals.append, namespace=NAMESPACE)
    started = time.monotonic()
    with pytest.raises(socketio.exceptions.ConnectionError):
        sio.connect(
            server.base_url,
            namespaces=[NAMESPACE],
            auth={"meeting": 2**63, "token": seeded["tokens"]["chair"]},
            transports=["websocket"],
            wait_timeout=TIMEOUT,
        )
    assert time.monotonic() - started < 5
    assert refusals, "no connect_error"
    assert refusals[0]["message"] == "Rapat tidak ditemukan.", refusals
    assert refusals[0]["data"]["fields"] == {"meeting": ["Rapat tidak ditemukan."]}
    sio.shutdown()

    # Under the transport's bound a command gets its answer; over it the frame is refused
    # before it is parsed: the socket closes (1009), nothing is stored, the server serves on.
    chair = clients(server, seeded, "chair")
    big = chair.call("decision.record", text="x" * (MAX_MESSAGE_BYTES // 2))
    assert big["error"]["code"] == "validation_error", big
    assert list(big["error"]["fields"]) == ["text"]
    chair.sio.emit(
        "decision.record", {"nonce": "besar", "text": "x" * MAX_MESSAGE_BYTES}, namespace=NAMESPACE
    )
    deadline = time.monotonic() + TIMEOUT
    while chair.sio.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not chair.sio.connected, "the socket stayed open"
    again = clients(server, seeded, "chair")
    assert again.call("open") == {"ok": True, "seq": 1}  # nothing was stored before it

    # A browser on another site cannot open the room; the service's own pages can.
    handshake = f"{server.base_url}/socket.io/?EIO=4&transport=polling"
    for origin, status in (("https://evil.example", 400), (server.base_url, 200)):
        request = urllib.request.Request(handshake, headers={"Origin": origin})  # noqa: S310
        assert _open(request, 10, None)[0] == status, origin
    assert "Traceback" not in server.log(), server.log()
