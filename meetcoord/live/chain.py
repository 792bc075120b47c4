"""The event log's hash chain: pure functions, no Flask, no database.

``hash = sha256(prev_hash + canonical JSON of the envelope)``. Canonical JSON is sorted
keys, no spaces, UTF-8 kept as is; the timestamp is a string with milliseconds, so what
was hashed is exactly what is stored and can be hashed again years later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def timestamp(moment: datetime) -> str:
    """``2026-11-22T02:15:04.123Z``: UTC, milliseconds, the same on every database."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def envelope(meeting: int, seq: int, type_: str, data: Any, at: str, actor: str) -> dict[str, Any]:
    """What clients receive and what is hashed (DESIGN §5)."""
    return {"meeting": meeting, "seq": seq, "type": type_, "data": data, "at": at, "actor": actor}


def link(prev_hash: str, env: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(env)).encode()).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    seq: int
    envelope: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainReport:
    count: int
    ok: bool
    problem: str | None = None
    seq: int | None = None  # the first entry that fails


def verify(entries: Iterable[ChainEntry], genesis: str) -> ChainReport:
    """Check seq 1, 2, 3 … without gaps, each prev_hash the previous hash, each hash right."""
    expected_prev, expected_seq, count = genesis, 1, 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(
                count, False, f"seq {entry.seq} where {expected_seq} was expected", entry.seq
            )
        if entry.prev_hash != expected_prev:
            return ChainReport(
                count, False, "prev_hash does not match the previous event", entry.seq
            )
        if link(entry.prev_hash, entry.envelope) != entry.hash:
            return ChainReport(count, False, "hash does not match the event's content", entry.seq)
        expected_prev, expected_seq = entry.hash, expected_seq + 1
    return ChainReport(count, True)


def timestamp_epoch(seconds: float) -> str:
    return timestamp(datetime.fromtimestamp(seconds, UTC))
