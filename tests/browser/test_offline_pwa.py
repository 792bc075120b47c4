"""Offline-first pages in a real browser whose profile survives a restart (issue 16).

The desk is opened once online; the browser is closed and started again with no network;
the desk loads from the service worker's copy, scans ten cards into its queue, and the
server records each of the ten once the link returns. The phone view, opened again with no
network, shows the last state it knew and how old it is.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SECRETARIAT_EMAIL,
    SECRETARIAT_PASSWORD,
    seed_server,
)
from tests.desk_seed import seed_server as seed_desk
from tests.support import ServerProcess

pytestmark = pytest.mark.browser

# The page is controlled by the worker, and the worker holds this page and what it loaded.
KEPT = r"""async (names) => {
  if (!navigator.serviceWorker.controller) return false;
  const keys = await caches.keys();
  const pages = keys.find((k) => k.startsWith("mc-pages-"));
  const statics = keys.find((k) => k.startsWith("mc-static-"));
  if (!pages || !statics) return false;
  if (!(await (await caches.open(pages)).match(location.origin + location.pathname))) return false;
  // Static files are kept under their content-hashed names (js/desk.fd30ac11.js).
  const held = (await (await caches.open(statics)).keys()).map(
    (r) => new URL(r.url).pathname.replace(/\.[0-9a-f]{8,}(\.[^./]+)$/, "$1"));
  return names.every((name) => held.some((path) => path.includes(name)));
}"""


@contextmanager
def restartable(browser: Any, profile: Path, server: ServerProcess) -> Iterator[Any]:
    """A Chromium with its profile on disk: closing it is a real restart (service worker,
    caches, IndexedDB and persistent cookies stay; session cookies go)."""
    context = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        base_url=server.base_url,
        locale="id-ID",
        service_workers="allow",
    )
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


def wait_kept(page: Any, names: list[str], timeout: float = 30.0) -> None:
    """Until the worker holds this page and the named files (wait_for_function does not
    await a promise: polled here)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(KEPT, names):
        assert time.monotonic() < deadline, f"the worker did not keep {page.url} and {names}"
        page.wait_for_timeout(250)


def _attendances(server: ServerProcess, meeting_id: int) -> list[tuple[int, str]]:
    path = server.env["MEETCOORD_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT person_id, method FROM attendances WHERE meeting_id = ?", (meeting_id,)
        ).fetchall()


def test_desk_opened_once_loads_offline_after_a_restart_and_its_scans_arrive_once(
    browser: Any, live_server: ServerProcess, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    seeded = seed_desk(live_server.env, 10)
    site = seeded["sites"][0]
    profile = tmp_path / "desk-profile"

    with restartable(browser, profile, live_server) as context:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto("/login")
        page.fill("#email", SECRETARIAT_EMAIL)
        page.fill("#password", SECRETARIAT_PASSWORD)
        page.check("#remember")  # a desk device stays signed in across restarts
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(lambda url: "/login" not in url)
        page.goto(f"/desk/{site}")
        expect(page.locator("#desk")).to_have_attribute("data-ready", "1")
        expect(page.locator("#desk-status")).to_have_text("Daring")
        wait_kept(page, ["desk.js", "desk-store.js", "offline.js", "app.css"])
        assert page.locator("#offline-age").count() == 0 or page.locator("#offline-age").is_hidden()

    with restartable(browser, profile, live_server) as context:
        context.set_offline(True)
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(f"/desk/{site}")
        # The worker's copy, saying so: its age, in the desk's zone (WITA).
        saved = page.locator("script[data-offline-saved]").get_attribute("data-offline-saved")
        assert saved, "the page did not come from the worker's copy"
        expect(page.locator("#desk")).to_have_attribute("data-ready", "1")
        age = page.locator("#offline-age")
        expect(age).to_be_visible()
        expect(age).to_contain_text("Data terakhir: baru saja, pukul ")
        expect(age).to_contain_text("WITA")
        status = page.locator("#desk-status")
        expect(status).to_have_text("Offline, 0 antrean")
        field = page.locator("#desk-code")
        for i, credential in enumerate(seeded["credentials"]):
            field.fill(credential)
            field.press("Enter")
            expect(page.locator("#desk-result-name")).to_have_text(seeded["names"][i])
            expect(status).to_have_text(f"Offline, {i + 1} antrean")
        assert _attendances(live_server, seeded["meeting_id"]) == []

        context.set_offline(False)  # the link returns: a fresh session token, then the queue
        expect(status).to_have_text("Daring", timeout=30_000)
        expect(page.locator("#desk-review")).to_be_hidden()
        expect(age).to_be_hidden()

    rows = _attendances(live_server, seeded["meeting_id"])
    assert len(rows) == 10
    assert len({person for person, _method in rows}) == 10
    assert {method for _person, method in rows} == {"desk_offline"}


AGE_STATE_BY = """(minutes) => {
  const key = document.getElementById("live").dataset.key;
  const saved = JSON.parse(localStorage.getItem(key));
  saved.at = Date.now() - minutes * 60000;
  localStorage.setItem(key, JSON.stringify(saved));
}"""


def test_phone_view_opened_offline_shows_the_last_state_and_its_age(
    browser: Any, live_server: ServerProcess, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    scene = seed_server(live_server, "tests.browser.test_live_room")
    profile = tmp_path / "phone-profile"
    agenda = ["Pembukaan", "Data stunting per desa"]

    with restartable(browser, profile, live_server) as context:
        page = context.pages[0] if context.pages else context.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{scene['member']}/live")
        expect(page.locator("#live-conn")).to_have_text("Terhubung")
        expect(page.locator("#ph-agenda-list li")).to_have_count(2)
        wait_kept(page, ["live-phone.bundle.js", "live-phone.css"])
        page.evaluate(AGE_STATE_BY, 5)  # as if the link had dropped five minutes ago
        page.context.set_offline(True)  # and no heartbeat saves it again before the close

    with restartable(browser, profile, live_server) as context:
        context.set_offline(True)
        page = context.pages[0] if context.pages else context.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{scene['member']}/live")
        # The agenda comes from the stored state (the copy's own snapshot is no newer).
        items = page.locator("#ph-agenda-list li")
        expect(items).to_have_count(2)
        for item, title in zip(items.all(), agenda, strict=True):
            expect(item).to_contain_text(title)
        age = page.locator("#offline-age")
        expect(age).to_be_visible()
        expect(age).to_contain_text("Data terakhir: 5 menit lalu, pukul ")
        expect(age).to_contain_text("WIT")  # the member's site is in Maluku
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
