"""The pages bench runs end to end, lightly throttled so it is quick: the demo server, the
five pages cold then warm in Chromium, every figure there; the throttling took effect (no
page is usable before one round trip) and the warm visit moved fewer bytes than the cold."""

from __future__ import annotations

import pytest

from tests.bench.loading import load_bench
from tests.conftest import skip_or_fail

PAGES = ("personal", "phone", "selfcheckin", "desk", "kiosk")

pytestmark = pytest.mark.browser


# A fresh demo server (migrations, the demo, Chromium): a minute on a quiet machine,
# several when the two cores are shared.
@pytest.mark.timeout(420)
def test_the_pages_bench_measures_five_pages_cold_and_warm() -> None:
    bench = load_bench("bench_pages")
    if not bench.CHROMIUM.exists():
        skip_or_fail(f"{bench.CHROMIUM} is missing (apt-get install chromium)")
    metrics = bench.run(latency_ms=60, kbps=20_000)
    for key in (
        "max_participant_cold_kb",
        "desk_cold_kb",
        "max_usable_ms",
        "max_warm_requests",
        "max_warm_static_requests",
    ):
        assert key in metrics
    pages = bench.ENV["pages"]
    assert tuple(pages) == PAGES
    for name in PAGES:
        cold, warm = pages[name]["cold"], pages[name]["warm"]
        assert cold["requests"] >= 2, (name, cold)  # the document and at least one file
        assert cold["network"] == cold["requests"], (name, cold)  # the cache was off
        assert cold["kb"] > 5, (name, cold)
        # At least the document's round trip: CDP's latency applied to the tab.
        assert cold["usable_ms"] >= 60, (name, cold)
        assert warm["kb"] < cold["kb"], (name, cold, warm)
        assert warm["static_network"] <= warm["network"] <= warm["requests"]
        assert metrics[f"{name}_cold_kb"] == cold["kb"]
    assert metrics["desk_cold_kb"] == pages["desk"]["cold"]["kb"]
    assert metrics["max_participant_cold_kb"] == max(
        pages[name]["cold"]["kb"] for name in ("personal", "phone", "selfcheckin", "kiosk")
    )
    assert metrics["max_usable_ms"] == max(pages[name]["cold"]["usable_ms"] for name in PAGES)
    # The phone and the kiosk follow the meeting over Socket.IO once usable.
    assert pages["phone"]["cold"]["websockets"] >= 1
