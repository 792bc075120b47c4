"""``make screenshots`` (bench/screenshots.py) takes the README's five screens from the demo
data, each at the size it is meant for, as palette PNGs small enough for the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.bench.loading import BENCH, load_bench
from tests.conftest import skip_or_fail

SIZES = {
    "home.png": (1366, 900),
    "meeting.png": (1366, 900),
    "kiosk.png": (1280, 720),
    "personal-link-phone.png": (390, 844),
    "live-phone.png": (390, 844),
}

pytestmark = pytest.mark.browser


# A fresh demo server (migrations, the demo, Chromium): a minute on a quiet machine,
# several when the two cores are shared.
@pytest.mark.timeout(420)
def test_the_screenshots_script_writes_every_screen_at_its_size(tmp_path: Path) -> None:
    script = load_bench("screenshots")
    if not script.bench_pages.CHROMIUM.exists():
        skip_or_fail(f"{script.bench_pages.CHROMIUM} is missing (apt-get install chromium)")
    written = script.main(tmp_path / "shots")
    assert sorted(path.name for path in written) == sorted(SIZES)
    total = 0
    for name, size in SIZES.items():
        path = tmp_path / "shots" / name
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == size, name
            assert image.mode == "P", name  # palette: optimised for the repository
            assert len(image.getcolors(256) or []) > 8, name  # a page, not a blank screen
        total += path.stat().st_size
    assert total < 1_500_000


def test_the_readme_names_the_script_and_shows_its_screens() -> None:
    readme = (BENCH.parent / "README.md").read_text()
    assert "make screenshots" in readme
    assert "bench/screenshots.py" in readme
    for name in SIZES:
        assert f"(docs/screenshots/{name})" in readme, name
        assert (BENCH.parent / "docs" / "screenshots" / name).exists(), name
