"""The capacity bench runs end to end on a tiny ramp (20, then 40 clients, at most 15 to a
client process so the ramp spreads over several): every target reports its keys, every
step delivers every decision to every connected client, and the clients of the first
step stay connected through the second."""

from __future__ import annotations

import shutil

from tests.bench.loading import load_bench
from tests.conftest import skip_or_fail


def test_the_capacity_ramp_on_a_tiny_scale() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        # Node is the reference server and the load generator; CI has it and must run this.
        skip_or_fail("node and npm are needed for the capacity bench")
    bench = load_bench("bench_capacity")
    metrics = bench.run(steps=(20, 40), per_proc=15, targets=("eventlet", "node"))
    assert set(metrics) == {"clients_at_1s", "node_clients_at_1s", "rss_kb_per_client_at_max"}
    assert metrics["clients_at_1s"] == 40
    assert metrics["node_clients_at_1s"] == 40
    assert metrics["rss_kb_per_client_at_max"] is not None
    for target in ("eventlet", "node"):
        steps = bench.ENV["runs"][target]["steps"]
        assert [s["clients"] for s in steps] == [20, 40]
        for step in steps:
            assert step["passed"], step
            assert (step["lost"], step["duplicates"], step["connect_failed"]) == (0, 0, 0)
            # 4 decisions to each connected client: the step's 20 or 40, none twice.
            assert step["deliveries"] == 4 * step["clients"]
            assert step["p50_ms"] <= step["p99_ms"] <= 1000
        assert steps[-1]["client_procs"] == 3  # 40 clients, at most 15 a process
        assert steps[-1]["disconnects"] == 0  # the first 20 stayed through the second step
