"""The ``checkin`` floor: a minimal Flask app doing a check-in's database work, same server.

``python bench/floor_checkin.py <database> <port>`` seeds ``<database>`` (when empty) and
serves ``POST /redeem`` the way ``python -m meetcoord.server`` serves meetcoord: eventlet,
monkey-patched first, the same request-ordering middleware (``server._yield_first``), the
same request log, the same collector settings, the same SQLite pragmas (WAL,
``synchronous=NORMAL``, foreign keys, busy timeout). Each request does what a check-in
must do at the least: one SELECT of the invitation by its credential and two INSERTs (the
attendance and the nonce that makes a retry idempotent) in one transaction, COMMIT, and a
small JSON answer. No authentication, no signature check, no ORM, no events.

``bench_checkin`` drives it with the same 50 desks right after meetcoord in the same run
and reports meetcoord's figures as ratios to it, which hold across machines where the
absolute figures move by 2x.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
import warnings
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)

SCHEMA = """
CREATE TABLE IF NOT EXISTS invitations (
    id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL, person_id INTEGER NOT NULL,
    site_code TEXT NOT NULL, credential TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS attendances (
    id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL, person_id INTEGER NOT NULL,
    site_code TEXT NOT NULL, method TEXT NOT NULL, checked_in_at TEXT NOT NULL,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id),
    CONSTRAINT uq_attendance UNIQUE (meeting_id, person_id)
);
CREATE TABLE IF NOT EXISTS checkin_nonces (
    nonce TEXT PRIMARY KEY, attendance_id INTEGER NOT NULL REFERENCES attendances (id),
    answer TEXT NOT NULL, created_at TEXT NOT NULL
);
"""


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in (
        "foreign_keys=ON",
        "busy_timeout=5000",
        "journal_mode=WAL",
        "synchronous=NORMAL",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def seed(path: str, rows: list[dict[str, Any]], meeting_id: int = 1) -> None:
    """The invitations the desks will redeem: the same credentials as meetcoord's run."""
    conn = connect(path)
    conn.executescript(SCHEMA)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO invitations (meeting_id, person_id, site_code, credential) "
        "VALUES (?, ?, ?, ?)",
        [(meeting_id, r["person_id"], r["site"], r["credential"]) for r in rows],
    )
    conn.execute("COMMIT")
    conn.close()


def make_app(path: str) -> Any:
    import json
    from datetime import UTC, datetime

    from flask import Flask, request

    app = Flask(__name__)
    conn = connect(path)

    @app.get("/healthz")
    def healthz() -> Any:
        return {"ok": True}

    @app.post("/redeem/<site>")
    def redeem(site: str) -> Any:
        body = request.get_json()
        credential, nonce = body["credential"], body["nonce"]
        now = datetime.now(UTC).isoformat()
        row = conn.execute(
            "SELECT id, meeting_id, person_id FROM invitations WHERE credential = ?",
            (credential,),
        ).fetchone()
        if row is None:
            return {"status": "refused", "reason": "unknown"}
        answer = {"status": "checked_in", "person_id": row[2], "site": site, "at": now}
        conn.execute("BEGIN")
        try:
            cur = conn.execute(
                "INSERT INTO attendances (meeting_id, person_id, site_code, method, "
                "checked_in_at, invitation_id) VALUES (?, ?, ?, 'desk', ?, ?)",
                (row[1], row[2], site, now, row[0]),
            )
            conn.execute(
                "INSERT INTO checkin_nonces (nonce, attendance_id, answer, created_at) "
                "VALUES (?, ?, ?, ?)",
                (nonce, cur.lastrowid, json.dumps(answer), now),
            )
            conn.execute("COMMIT")
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK")
            answer = {"status": "already", "person_id": row[2]}
        return answer

    return app


def main(database: str, port: int) -> None:
    import eventlet

    eventlet.monkey_patch()
    import eventlet.wsgi

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from meetcoord.server import _yield_first

    app = make_app(database)
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)  # as meetcoord.server does
    wsgi = _yield_first(app.wsgi_app)
    print(f"floor: serving on http://127.0.0.1:{port}/", flush=True)
    eventlet.wsgi.server(eventlet.listen(("127.0.0.1", port)), wsgi, log_output=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main(sys.argv[1], int(sys.argv[2]))
