"""The sync bench runs end to end on a tiny scale: a migrated database seeded with the
app's services, three XLSX files imported through the real server (the pages' upload →
mapping → check → import, and the API's one call) and counted back, then ten phones at
two sites hold every one of ten live marks; and the generated sheets are what the import
would accept without a question (no likely duplicates, every cell parsed)."""

from __future__ import annotations

from typing import Any

from tests.bench.loading import load_bench


def test_the_bench_imports_and_marks_on_a_tiny_scale() -> None:
    bench = load_bench("bench_sync")
    metrics = bench.run(rows=50, phones=10, marks=10)
    assert set(metrics) == {
        "import_5000_seconds",
        "import_5000_warm_seconds",
        "import_5000_api_seconds",
        "mark_p50_ms",
        "mark_p95_ms",
        "mark_p99_ms",
        "mark_lost",
    }
    assert metrics["mark_lost"] == 0
    assert all(metrics[k] > 0 for k in metrics if k != "mark_lost")
    assert metrics["mark_p50_ms"] <= metrics["mark_p95_ms"] <= metrics["mark_p99_ms"]
    env = bench.ENV
    assert env["counts_by_year"] == {2025: 50, 2026: 50, 2027: 50}
    # Every phone got every mark once: 10 phones x 10 marks, at both sites.
    assert (env["received"], env["duplicates"], env["sites"]) == (100, 0, 2)
    assert set(env["import_cold_steps"]) == {
        "upload_s",
        "mapping_page_s",
        "check_s",
        "import_s",
        "total_s",
    }


def test_the_generated_sheet_maps_and_checks_clean(app: Any) -> None:
    """The mapping page's guess finds every column of the e-Musrenbang titles, and every
    row cleans without a problem (a bench that timed a refusal would measure nothing)."""
    from meetcoord.core.cleaning import name_key
    from meetcoord.planning.duplicates import Candidate, find_duplicates
    from meetcoord.planning.importing import VillageLookup, check_rows, suggest_mapping

    seed = load_bench("sync_seed")
    villages = seed.villages_for(500)
    rows = seed.sheet_rows(villages, 500, 2025)
    mapping = suggest_mapping(list(seed.HEADERS))
    assert None not in mapping.values()
    lookup = VillageLookup()
    for n, (name, region) in enumerate(villages, start=1):
        lookup.by_name.setdefault(name_key(name), []).append((n, name_key(region), name))
    clean, problems = check_rows(list(seed.HEADERS), rows, mapping, lookup)
    assert problems == []
    assert len(clean) == 500
    assert {r["fund_source"] for r in clean} >= {"apbd_regency", "apbn", "apbdes"}
    assert any(isinstance(r[9], str) for r in rows)  # some budgets as "Rp 1.250.000"
    news = [Candidate(r["line"], r["village_id"], r["plan_year"], r["title"]) for r in clean]
    assert find_duplicates(news, []) == []
