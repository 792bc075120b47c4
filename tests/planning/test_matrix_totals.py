"""The matrix's totals and filters, pure: the numbers every page and the minutes show."""

from __future__ import annotations

import random
from typing import Any

from meetcoord.planning.totals import MatrixFilter, by_score, changed, merge, totals

ROWS = [
    {
        "id": 1,
        "village_id": 10,
        "village": "Waimangura",
        "budget": 400,
        "score": 60.0,
        "field": "economy",
        "fund_source": "apbdes",
        "outcome": "accommodated",
        "organization_id": 5,
        "organization": "Dinas PUPR",
        "amount": 300,
        "confirmation": "confirmed",
    },
    {
        "id": 2,
        "village_id": 10,
        "village": "Waimangura",
        "budget": 100,
        "score": None,
        "field": "infrastructure",
        "fund_source": "apbdes",
        "outcome": "not_accommodated",
        "organization_id": 5,
        "organization": "Dinas PUPR",
        "amount": None,
        "confirmation": "disputed",
    },
    {
        "id": 3,
        "village_id": 11,
        "village": "Kalembu",
        "budget": None,
        "score": 90.0,
        "field": "economy",
        "fund_source": "dak",
        "outcome": None,
        "organization_id": None,
        "organization": None,
        "amount": None,
        "confirmation": "pending",
    },
]


def test_totals_overall_per_agency_and_per_village() -> None:
    got = totals(ROWS)
    assert (got["count"], got["budget"], got["accommodated"], got["amount"]) == (3, 500, 1, 300)
    assert (got["share"], got["count_share"], got["disputed"]) == (60.0, 33.3, 1)
    assert got["statuses"] == {"accommodated": 1, "not_accommodated": 1, "discussed": 1}
    [pupr] = got["agencies"]
    assert (pupr["organization_id"], pupr["count"], pupr["budget"], pupr["share"]) == (
        5,
        2,
        500,
        60.0,
    )
    waimangura, kalembu = got["villages"]
    assert (waimangura["village_id"], waimangura["amount"]) == (10, 300)
    assert (kalembu["village_id"], kalembu["budget"], kalembu["share"]) == (11, 0, None)


def test_an_empty_matrix_counts_nothing_and_divides_by_nothing() -> None:
    got = totals([])
    assert (got["count"], got["share"], got["agencies"], got["villages"]) == (0, None, [], [])


def test_filters_and_the_order_of_score() -> None:
    assert [r["id"] for r in ROWS if MatrixFilter(organization_id=5)(r)] == [1, 2]
    assert [r["id"] for r in ROWS if MatrixFilter(status="discussed")(r)] == [3]
    assert [r["id"] for r in ROWS if MatrixFilter(status="disputed")(r)] == [2]
    assert [r["id"] for r in ROWS if MatrixFilter(field="economy", fund_source="dak")(r)] == [3]
    assert [r["id"] for r in ROWS if MatrixFilter(village_id=10, status="accommodated")(r)] == [1]
    assert [r["id"] for r in by_score(ROWS)] == [3, 1, 2]


# --- what an event carries, folded into the snapshot's totals --------------------------------


def fold(rows: list[dict[str, Any]], steps: list[tuple[int, dict[str, Any]]]) -> None:
    """Apply each step (row index, new values; index len(rows): a new row) as the server
    does, fold the event's ``changed`` into the snapshot's totals as a client does, and
    check it against a fresh snapshot's totals after every event."""
    held = totals(rows)
    for index, values in steps:
        before = rows[index] if index < len(rows) else {}
        after = {**before, **values}
        rows = [*rows[:index], after, *rows[index + 1 :]]
        event = changed(totals(rows), [before, after])
        held = merge(held, event)
        assert held == totals(rows), (index, values)


def test_an_event_carries_only_the_agencies_and_villages_its_row_touched() -> None:
    before = ROWS[2]
    after = {**before, "outcome": "accommodated", "organization_id": 7, "organization": "Dinkes"}
    after["amount"] = 0
    event = changed(totals([*ROWS[:2], after]), [before, after])
    assert [a["organization_id"] for a in event["agencies"]] == [7]
    assert [v["village_id"] for v in event["villages"]] == [11]
    assert (event["count"], event["accommodated"]) == (3, 2)
    assert event["statuses"] == {"accommodated": 2, "not_accommodated": 1}


def test_an_agency_left_by_its_last_row_is_sent_empty_and_dropped() -> None:
    rows = [dict(r) for r in ROWS]
    moved = [{**r, "organization_id": 7, "organization": "Dinkes"} for r in rows[:2]]
    event = changed(totals([*moved, rows[2]]), [rows[1], moved[1]])
    assert {"organization_id": 5, "count": 0} in event["agencies"]
    held = merge(
        merge(totals(rows), changed(totals([moved[0], *rows[1:]]), [rows[0], moved[0]])), event
    )
    assert held == totals([*moved, rows[2]])
    assert [a["organization_id"] for a in held["agencies"]] == [7]


def test_the_snapshot_then_every_event_gives_a_fresh_snapshot() -> None:
    """Marks that move rows between agencies, confirmations, new rows in new villages and
    without one: the folded totals equal a fresh snapshot's after each event."""
    fold(
        [dict(r) for r in ROWS],
        [
            (2, {"outcome": "carried"}),
            (1, {"organization_id": 7, "organization": "Dinkes"}),
            (0, {"confirmation": "disputed"}),
            (
                3,
                {
                    "id": 4,
                    "village_id": None,
                    "village": None,
                    "budget": 50,
                    "outcome": None,
                    "organization_id": None,
                    "confirmation": "pending",
                },
            ),
            (0, {"organization_id": None, "organization": None, "outcome": "merged"}),
            (
                3,
                {
                    "outcome": "accommodated",
                    "organization_id": 5,
                    "organization": "Dinas PUPR",
                    "amount": 50,
                },
            ),
        ],
    )


def test_random_marks_fold_to_the_snapshot() -> None:
    agencies = {None: None, 5: "Dinas PUPR", 7: "Dinkes", 9: "Bappeda"}
    villages = {None: None, 10: "Waimangura", 11: "Kalembu", 12: "Anakalang"}
    outcomes = [None, "accommodated", "carried", "merged", "not_accommodated"]
    pick = random.Random(14)  # noqa: S311 (a fixed sequence of marks, not a secret)
    rows: list[dict[str, Any]] = []
    steps = []
    for n in range(200):
        org = pick.choice(list(agencies))
        values: dict[str, Any] = {
            "organization_id": org,
            "organization": agencies[org],
            "outcome": pick.choice(outcomes),
            "amount": pick.choice([None, 0, 100, 250]),
            "confirmation": pick.choice(["pending", "confirmed", "disputed"]),
        }
        index = pick.randrange(len(rows) + 1) if n > 3 else len(rows)
        if index == len(rows):
            village = pick.choice(list(villages))
            values.update(id=n, village_id=village, village=villages[village])
            values["budget"] = pick.choice([None, 100, 300, 300])
            rows.append({})
        steps.append((index, values))
    fold([], steps)
