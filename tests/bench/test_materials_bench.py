"""The materials bench runs end to end on a small scale: a real server, two check-in
bursts over disjoint invitees, the second while a PPTX goes up and down again and again;
the figures exist and the transfer does not hold the check-ins up."""

from __future__ import annotations

from tests.bench.loading import load_bench


def test_the_bench_uploads_and_downloads_during_a_checkin_burst() -> None:
    bench = load_bench("bench_materials")
    metrics = bench.run(n=40, clients=5, size_mb=2, rounds=1)
    assert set(metrics) == {
        "checkin_p99_ms",
        "checkin_p99_with_upload_ms",
        "upload_20mb_seconds",
        "download_20mb_seconds",
    }
    assert all(value > 0 for value in metrics.values())
    assert bench.ENV["transfers_during_burst"] >= 1
    assert bench.ENV["deck_bytes"] >= 2 * 1024 * 1024
    # Bounded, with room for a shared test machine: the scaled-down transfer must not
    # hold the check-ins up by anything like the time it takes itself.
    assert metrics["checkin_p99_with_upload_ms"] - metrics["checkin_p99_ms"] < 250
