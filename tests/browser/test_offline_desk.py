"""The offline desk in a real browser: the network drops, ten scans queue in IndexedDB,
the network returns, and the server records each of the ten exactly once."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.desk_seed import seed_server
from tests.support import ServerProcess

pytestmark = pytest.mark.browser

NOBLE_CHECK = """async (credential) => {
  const d = document.getElementById("desk").dataset;
  const bundle = await (await fetch(d.bundleUrl)).json();
  const ed = await import(d.nobleUrl);
  const bytes = (t) => {
    const s = t.replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(s + "=".repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
  };
  const [, payload, signature] = credential.split(".");
  const key = bytes(bundle.public_key);
  const forged = bytes(signature);
  forged[0] ^= 1;
  return [
    await ed.verifyAsync(bytes(signature), bytes(payload), key),
    await ed.verifyAsync(forged, bytes(payload), key),
  ];
}"""


def _attendances(server: ServerProcess, meeting_id: int) -> list[tuple[int, str, int]]:
    path = server.env["MEETCOORD_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT person_id, method, site_id FROM attendances WHERE meeting_id = ?",
            (meeting_id,),
        ).fetchall()


def test_offline_desk_queues_and_uploads_each_scan_once(
    page: Any, live_server: ServerProcess
) -> None:
    from playwright.sync_api import expect

    seeded = seed_server(live_server.env, 10)
    site = seeded["sites"][0]

    sign_in(page)

    page.goto(f"/desk/{site}")
    expect(page.locator("#desk")).to_have_attribute("data-ready", "1")  # bundle stored
    status = page.locator("#desk-status")
    expect(status).to_have_text("Daring")
    # The vendored fallback verifier (for browsers without WebCrypto Ed25519) agrees.
    assert page.evaluate(NOBLE_CHECK, seeded["credentials"][0]) == [True, False]

    page.context.set_offline(True)
    expect(status).to_have_text("Offline, 0 antrean")
    field = page.locator("#desk-code")
    for i, credential in enumerate(seeded["credentials"]):
        field.fill(credential)
        field.press("Enter")
        expect(page.locator("#desk-result-name")).to_have_text(seeded["names"][i])
        expect(status).to_have_text(f"Offline, {i + 1} antrean")
    expect(page.locator("#desk-result-status")).to_have_text("Dicatat offline")
    # The same card scanned again while offline is not queued twice.
    field.fill(seeded["credentials"][0])
    field.press("Enter")
    expect(page.locator("#desk-result-name")).to_have_text(seeded["names"][0])
    expect(status).to_have_text("Offline, 10 antrean")
    assert _attendances(live_server, seeded["meeting_id"]) == []

    page.context.set_offline(False)
    expect(status).to_have_text("Daring", timeout=30_000)  # the queue drained
    expect(page.locator("#desk-review")).to_be_hidden()  # no conflicts came back

    rows = _attendances(live_server, seeded["meeting_id"])
    assert len(rows) == 10
    assert len({person for person, _method, _site in rows}) == 10
    assert {method for _person, method, _site in rows} == {"desk_offline"}

    # Back online, a live scan of a recorded card says where and when.
    field.fill(seeded["credentials"][3])
    field.press("Enter")
    expect(page.locator("#desk-result-message")).to_contain_text("Sudah hadir di")
    assert len(_attendances(live_server, seeded["meeting_id"])) == 10
