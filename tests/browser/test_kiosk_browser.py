"""The kiosk in a real browser on the real (eventlet) server: the vendored Socket.IO client
connects under the CSP, a check-in at the desk raises the kiosk's count, and the QR
rotates by itself when its 20-second window ends."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.desk_seed import seed_server
from tests.support import ServerProcess

pytestmark = pytest.mark.browser


def test_kiosk_counts_live_and_rotates(page: Any, live_server: ServerProcess) -> None:
    from playwright.sync_api import expect

    seeded = seed_server(live_server.env, 2)
    site = seeded["sites"][0]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page)

    page.goto(f"/kiosk/{site}")
    expect(page.locator("#kiosk-live")).to_have_text("Langsung")  # connected to /checkin
    expect(page.locator("#kiosk-here")).to_have_text("0")
    first_code = page.locator("#kiosk-typed").inner_text()

    desk = page.context.new_page()
    desk.goto(f"/desk/{site}")
    expect(desk.locator("#desk")).to_have_attribute("data-ready", "1")
    desk.locator("#desk-code").fill(seeded["credentials"][0])
    desk.locator("#desk-code").press("Enter")
    expect(desk.locator("#desk-result-name")).to_have_text(seeded["names"][0])

    expect(page.locator("#kiosk-here")).to_have_text("1", timeout=10_000)
    expect(page.locator("#kiosk-total")).to_have_text("1")
    expect(page.locator("#kiosk-typed")).not_to_have_text(first_code, timeout=25_000)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_attendance_lists_follow_a_check_in_without_a_reload(
    page: Any, live_server: ServerProcess
) -> None:
    """Issue 16: the attendance page's lists (not only its counts) update live."""
    from playwright.sync_api import expect

    seeded = seed_server(live_server.env, 2)
    site = seeded["sites"][0]
    sign_in(page)
    page.goto(f"/meetings/{seeded['meeting_id']}/attendance")
    lists = page.locator("#attendance-lists")
    expect(lists).not_to_contain_text(seeded["names"][1])
    page.evaluate("window.__notReloaded = true")

    desk = page.context.new_page()
    desk.goto(f"/desk/{site}")
    expect(desk.locator("#desk")).to_have_attribute("data-ready", "1")
    desk.locator("#desk-code").fill(seeded["credentials"][1])
    desk.locator("#desk-code").press("Enter")
    expect(desk.locator("#desk-result-name")).to_have_text(seeded["names"][1])

    expect(page.locator("[data-count=total]")).to_have_text("1", timeout=10_000)
    expect(lists).to_contain_text(seeded["names"][1], timeout=10_000)
    assert page.evaluate("window.__notReloaded") is True  # swapped in, not reloaded
