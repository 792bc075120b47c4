"""The desk in a real browser with hashed, minified scripts: no console error, and the QR
decoder (jsQR, the heaviest file) fetched only when the camera is switched on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.desk_seed import seed_server
from tests.support import ServerProcess

pytestmark = pytest.mark.browser

# A camera that films a blank canvas: headless Chromium has no device of its own.
FAKE_CAMERA = """
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 320; canvas.height = 240;
  canvas.getContext("2d").fillRect(0, 0, 320, 240);
  return canvas.captureStream(5);
};
"""


def test_the_desk_fetches_jsqr_only_when_the_camera_starts(
    page: Any, live_server: ServerProcess
) -> None:
    from playwright.sync_api import expect

    seeded = seed_server(live_server.env, 1)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.add_init_script(FAKE_CAMERA)
    sign_in(page)

    page.goto(f"/desk/{seeded['sites'][0]}")
    expect(page.locator("#desk")).to_have_attribute("data-ready", "1")  # desk.js ran
    # desk.js imported desk-store.js by its hashed name (rewritten at build)
    assert any("/static/js/desk-store." in url for url in fetched)
    assert not [url for url in fetched if "jsQR" in url]
    assert page.evaluate("typeof window.jsQR") == "undefined"

    with page.expect_response(lambda r: "jsQR" in r.url) as loading:
        page.locator("#desk-camera").click()
    response = loading.value
    assert response.status == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    page.wait_for_function("typeof window.jsQR === 'function'")
    assert errors == []
