"""The materials bench runs end to end on a small scale: a real server, two check-in
bursts over disjoint invitees, the second while a PPTX goes up and down again and again;
the figures exist and the transfer does not hold the check-ins up."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bench_uploads_and_downloads_during_a_checkin_burst() -> None:
    bench = _load("bench_materials")
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
