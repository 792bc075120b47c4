"""Public registration in a real browser: the zone the browser reports becomes the page's,
the WIB/WITA/WIT select changes it, and a visitor on a phone registers."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import seed_server
from tests.support import ServerProcess


def test_visitor_in_makassar_sees_wita_and_registers_from_a_phone(
    browser: Any, live_server: ServerProcess
) -> None:
    scene = seed_server(live_server, "tests.registration.browser_seed")
    start = datetime.fromisoformat(scene["start_utc"])
    context = browser.new_context(
        base_url=live_server.base_url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport={"width": 390, "height": 844},
    )
    try:
        page = context.new_page()
        page.goto(f"/r/{scene['slug']}")
        page.wait_for_url(lambda url: "zone=Asia%2FMakassar" in url or "zone=Asia/Makassar" in url)
        wita = start.astimezone(ZoneInfo("Asia/Makassar"))
        expect(page.locator("#reg-time")).to_contain_text(f"{wita:%H.%M}")
        expect(page.locator("#reg-time")).to_contain_text("WITA")
        assert page.locator("#reg-zone").input_value() == "Asia/Makassar"
        page.select_option("#zone-select", "Asia/Jayapura")
        wit = start.astimezone(ZoneInfo("Asia/Jayapura"))
        expect(page.locator("#reg-time")).to_contain_text(f"{wit:%H.%M}")
        expect(page.locator("#reg-time")).to_contain_text("WIT")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        trap = page.locator("#reg-website").bounding_box()  # the honeypot: off the screen
        assert trap is None or trap["x"] + trap["width"] <= 0
        page.fill("#reg-name", "Wa Ode Nurhayati")
        page.fill("#reg-email", "wa.ode.browser@example.org")
        page.fill("#reg-region", "Kota Ambon, Maluku")
        page.wait_for_timeout(3200)  # a human takes longer than the token's three seconds
        page.get_by_role("button", name="Daftar").click()
        page.wait_for_url(lambda url: "/done" in url)
        expect(page.locator("main")).to_contain_text("Periksa surel Anda")
    finally:
        context.close()
