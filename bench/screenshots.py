"""The README's screenshots, retaken from the demo data: ``make screenshots``.

Starts meetcoord as ``make run`` would on a fresh machine (``demo_scene``: scratch
database, the demo data, the demo meeting's room opened by its chair), then Debian's
Chromium (headless, Playwright) takes each screen at the size people see it:

- ``home.png``: the secretariat's home, 1366×900;
- ``meeting.png``: the demo meeting's page, 1366×900 (its first screen);
- ``kiosk.png``: the host site's kiosk on a 1280×720 projector;
- ``personal-link-phone.png`` and ``live-phone.png``: a participant's personal page and
  live phone view on a 390×844 phone, in Indonesian.

Each PNG is reduced to a 256-colour palette and optimised (Pillow): flat interface colours
survive it, and the five together stay well under 1.5 MB. Written to ``docs/screenshots/``
or the folder given: ``python bench/screenshots.py [OUT_DIR]``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

from PIL import Image

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import bench_pages  # noqa: E402
import demo_scene  # noqa: E402

OUT_DIR = PROJECT_ROOT / "docs" / "screenshots"
DEADLINE_SECONDS = 240.0
DESKTOP = (1366, 900)
PROJECTOR = (1280, 720)
PHONE = (390, 844)


class Shot(NamedTuple):
    name: str
    path: str  # with {meeting}, {token}, {site} from the scene
    size: tuple[int, int]
    staff: bool  # signed in as the demo secretariat, or a participant's phone
    ready: str  # a selector that is there once the screen is worth taking


SHOTS = [
    Shot("home.png", "/", DESKTOP, True, "main h1"),
    Shot("meeting.png", "/meetings/{meeting}", DESKTOP, True, "main h1"),
    Shot("kiosk.png", "/kiosk/{site}", PROJECTOR, True, "#kiosk-qr"),
    Shot("personal-link-phone.png", "/i/{token}", PHONE, False, "form[action$='/rsvp'] button"),
    Shot("live-phone.png", "/i/{token}/live", PHONE, False, "#ph-request:not([disabled])"),
]


def optimise(path: Path) -> None:
    """A 256-colour palette, optimised: a UI screenshot at a fraction of its RGB size."""
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)


def take(scene: dict[str, Any], out_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    fields = {"meeting": scene["meeting_id"], "token": scene["token"], "site": scene["site"]}
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(bench_pages.CHROMIUM), headless=True, args=bench_pages.CHROMIUM_ARGS
        )
        try:
            for shot in SHOTS:
                width, height = shot.size
                phone = not shot.staff
                context = browser.new_context(
                    locale="id-ID",
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    is_mobile=phone,
                    has_touch=phone,
                )
                try:
                    if shot.staff:
                        demo_scene.sign_in(context, scene)
                    page = context.new_page()
                    page.goto(scene["base_url"] + shot.path.format(**fields))
                    page.wait_for_selector(shot.ready, timeout=30_000)
                    page.wait_for_load_state("networkidle")
                    target = out_dir / shot.name
                    page.screenshot(path=str(target), animations="disabled", caret="initial")
                    optimise(target)
                    written.append(target)
                finally:
                    context.close()
        finally:
            browser.close()
    return written


def main(out_dir: Path = OUT_DIR) -> list[Path]:
    if not bench_pages.CHROMIUM.exists():
        raise SystemExit(f"{bench_pages.CHROMIUM} is missing (apt-get install chromium)")
    deadline = time.monotonic() + DEADLINE_SECONDS
    tmp = Path(tempfile.mkdtemp(prefix="meetcoord-screenshots-"))
    try:
        with demo_scene.demo_server(tmp, deadline) as (_server, scene):
            written = take(scene, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for path in written:
        print(f"{path}  {path.stat().st_size // 1000} KB")
    return written


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR)
