"""The datascale bench runs end to end on a tiny scale: the seeder fills the real tables
through a migrated database, the real server starts, the account signs in, and the
timing loop gets 200s from the tracker and the API (the dashboards are other branches'
work and left out here); an answer other than 200 stops the bench."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_datascale", BENCH / "bench_datascale.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bench_seeds_and_times_on_a_tiny_scale() -> None:
    bench = _bench()
    metrics = bench.run(scale=0.01, endpoints=["tracker", "api_actions"], requests_each=2, warmup=1)
    assert set(metrics) == {
        "tracker_p95_ms",
        "api_actions_p95_ms",
        "tracker_p50_ms",
        "api_actions_p50_ms",
        "seed_seconds",
    }
    assert all(value > 0 for value in metrics.values())
    rows = bench.ENV["rows"]
    assert rows["meetings"] == 20
    assert rows["invitations"] == 600
    assert rows["attendances"] == 400
    assert rows["actions"] == 100
    assert rows["action_updates"] == 300
    assert rows["forum_members"] > 0


class _Answer:
    status_code = 404
    content = b"<h1>Tidak ditemukan</h1>"


class _Client:
    def get(self, url: str, **_kwargs: Any) -> _Answer:
        return _Answer()


def test_an_answer_other_than_200_stops_the_bench() -> None:
    """A page not built yet (or broken) is an error, never a fast figure."""
    with pytest.raises(RuntimeError, match="answered 404"):
        _bench().fetch(_Client(), "http://127.0.0.1:1/forums/1/dashboard", {})


def test_unknown_endpoint_names_are_refused() -> None:
    with pytest.raises(SystemExit):
        _bench().selected("tracker,nonsense")
    assert _bench().selected("") == ["tracker", "dashboard", "forum", "api_actions"]
