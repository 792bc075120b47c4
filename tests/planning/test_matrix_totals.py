"""The matrix's totals and filters, pure: the numbers every page and the minutes show."""

from __future__ import annotations

from meetcoord.planning.totals import MatrixFilter, by_score, totals

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
