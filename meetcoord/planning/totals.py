"""Totals and filters of a synchronisation matrix, over its rows as the room sends them.

Pure (no Flask, no database): the live room's events, the snapshot, the API and the
minutes all count the same way from the same row dicts (``planning.matrix.mark_dict``),
so a phone's totals, the projector's and the berita acara's never disagree.

The snapshot carries the full totals; an event carries only what one change moved
(:func:`changed`: the overall figures and the agencies and villages its rows touched,
before and after), and a client folds it in with :func:`merge` (``live-matrix.js`` does
the same). The full lists of a district's villages and agencies were ~35 KB per mark,
compressed for and parsed by each of 200 phones: the room waited on it.

"Accommodated share" is money: the accommodated amount over the proposals' estimated
budget (Musrenbang reports speak of "berapa persen usulan terakomodir" in Rupiah); the
count share is given beside it for proposals without a budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Row = Mapping[str, Any]

# The status a row shows: its outcome, or "discussed" while it is not marked yet.
DISCUSSED = "discussed"


def status_of(row: Row) -> str:
    return str(row.get("outcome") or DISCUSSED)


def _share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent with one decimal; None when there is no whole."""
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class _Sum:
    key: Any
    name: str
    count: int = 0
    budget: int = 0
    accommodated: int = 0
    amount: int = 0
    disputed: int = 0

    def add(self, row: Row) -> None:
        self.count += 1
        self.budget += int(row.get("budget") or 0)
        if row.get("outcome") == "accommodated":
            self.accommodated += 1
            self.amount += int(row.get("amount") or 0)
        if row.get("confirmation") == "disputed":
            self.disputed += 1

    def as_dict(self, id_key: str) -> dict[str, Any]:
        return {
            id_key: self.key,
            "name": self.name,
            "count": self.count,
            "budget": self.budget,
            "accommodated": self.accommodated,
            "amount": self.amount,
            "share": _share(self.amount, self.budget),
            "count_share": _share(self.accommodated, self.count),
            "disputed": self.disputed,
        }


def totals(rows: Iterable[Row]) -> dict[str, Any]:
    """Count, budget, accommodated count and amount, and shares: for the whole matrix,
    per agency (the agency a row is marked to; unmarked rows have none) and per village
    (the proposal's locus), each list largest budget first, then by name."""
    whole = _Sum(None, "")
    agencies: dict[Any, _Sum] = {}
    villages: dict[Any, _Sum] = {}
    statuses: dict[str, int] = {}
    for row in rows:
        whole.add(row)
        status = status_of(row)
        statuses[status] = statuses.get(status, 0) + 1
        if row.get("organization_id") is not None:
            key = row["organization_id"]
            agencies.setdefault(key, _Sum(key, str(row.get("organization") or ""))).add(row)
        key = row.get("village_id")
        villages.setdefault(key, _Sum(key, str(row.get("village") or ""))).add(row)

    def ordered(sums: dict[Any, _Sum], id_key: str) -> list[dict[str, Any]]:
        return _ordered([s.as_dict(id_key) for s in sums.values()], id_key)

    overall = whole.as_dict("id")
    del overall["id"], overall["name"]
    return {
        **overall,
        "statuses": statuses,
        "agencies": ordered(agencies, "organization_id"),
        "villages": ordered(villages, "village_id"),
    }


def _ordered(entries: Iterable[Row], id_key: str) -> list[dict[str, Any]]:
    """Largest budget first, then by name, then by id as text (``live-matrix.js`` sorts
    the same way: ``null`` ids are rare and never tie on both budget and name)."""
    return sorted(
        (dict(e) for e in entries), key=lambda e: (-e["budget"], e["name"], str(e[id_key]))
    )


# The two lists of a matrix's totals and the id each entry is known by.
LISTS = (("agencies", "organization_id"), ("villages", "village_id"))


def changed(full: Row, touched: Iterable[Row]) -> dict[str, Any]:
    """What an event carries of the new ``full`` totals: the overall figures, and the
    entries of the agencies and villages of the ``touched`` rows (each row as it was and
    as it is). An agency or village that no row counts any more is sent as
    ``{id: key, "count": 0}``, so :func:`merge` drops it as :func:`totals` leaves it out."""
    touched = list(touched)
    keys = {
        "agencies": {r.get("organization_id") for r in touched} - {None},
        "villages": {r.get("village_id") for r in touched},
    }
    out = {k: v for k, v in full.items() if k not in ("agencies", "villages")}
    for name, id_key in LISTS:
        found = {e[id_key]: e for e in full[name] if e[id_key] in keys[name]}
        out[name] = [
            dict(found.get(key) or {id_key: key, "count": 0}) for key in sorted(keys[name], key=str)
        ]
    return out


def merge(current: Row | None, change: Row) -> dict[str, Any]:
    """``current`` totals with an event's :func:`changed` folded in: the overall figures
    replaced, each sent agency or village replaced (or dropped at count 0), the lists in
    :func:`totals`' order. A snapshot then every event in seq order gives the snapshot's
    totals of that moment; ``live-matrix.js``'s ``merge`` is this function."""
    base = current or {"agencies": [], "villages": []}
    out = {k: v for k, v in change.items() if k not in ("agencies", "villages")}
    for name, id_key in LISTS:
        sent = {e[id_key]: e for e in change.get(name, [])}
        kept = [e for e in base.get(name, []) if e[id_key] not in sent]
        out[name] = _ordered(kept + [e for e in sent.values() if e["count"] > 0], id_key)
    return out


@dataclass(frozen=True)
class MatrixFilter:
    """What the console, the phones and the API narrow a matrix by; None: any."""

    organization_id: int | None = None
    village_id: int | None = None
    field: str | None = None
    fund_source: str | None = None
    status: str | None = None  # discussed, an outcome, or "disputed"

    def __call__(self, row: Row) -> bool:
        if self.organization_id is not None and row.get("organization_id") != self.organization_id:
            return False
        if self.village_id is not None and row.get("village_id") != self.village_id:
            return False
        if self.field is not None and row.get("field") != self.field:
            return False
        if self.fund_source is not None and row.get("fund_source") != self.fund_source:
            return False
        if self.status == "disputed":
            return row.get("confirmation") == "disputed"
        return self.status is None or status_of(row) == self.status


def by_score(rows: Iterable[Row]) -> list[Row]:
    """Rows in the order the chair takes them: highest priority score first, unscored
    last, ties by the row's id (the order they were put on the matrix)."""

    def key(row: Row) -> tuple[int, float, int]:
        score = row.get("score")
        return (score is None, -float(score or 0), int(row.get("id") or 0))

    return sorted(rows, key=key)
