"""The service worker's route, the web app manifest, and the four pages that use them
(issue 16): headers, scope, content types, and which pages the worker may keep."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from meetcoord.core.assets import split_hashed
from meetcoord.meetings import links
from tests.helpers import text
from tests.live_support import LiveRakor

STATIC = Path(__file__).resolve().parents[2] / "static"
BUNDLES = json.loads((STATIC / "bundles.json").read_text(encoding="utf-8"))
_SETTINGS = re.compile(r"^self\.MC_OFFLINE = (\{.*\});\n")


@pytest.fixture
def rakor() -> LiveRakor:
    return LiveRakor()


def _settings(client) -> dict:
    body = client.get("/sw.js").get_data(as_text=True)
    match = _SETTINGS.match(body)
    assert match, body[:200]
    return json.loads(match.group(1))


def test_the_worker_is_served_from_the_root_revalidated_and_allowed_the_origin(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    assert 'self.addEventListener("fetch"' in body  # static/js/sw.js follows the settings
    settings = _settings(client)
    assert settings["static"] == "/static/"
    assert re.fullmatch(r"[0-9a-f]{12}", settings["version"])
    assert settings == _settings(client)  # the same bytes each time: no needless update


def test_the_worker_keeps_only_the_field_page_kinds(client):
    settings = _settings(client)
    pages = [re.compile(p) for p in settings["pages"]]

    def kept(path: str) -> bool:
        return any(p.search(path) for p in pages)

    for path in [
        "/i/AbC-12_x",
        "/i/AbC-12_x/live",
        "/i/AbC-12_x/questions",  # a question asked offline waits there
        "/desk/KPG-1",
        "/kiosk/KPG-1",
    ]:
        assert kept(path), path
    for path in [
        "/",
        "/home",
        "/meetings/3",
        "/meetings/3/live",  # the staff console
        "/i/tok/console",
        "/i/tok/questions/5",
        "/i/tok/documents/4",
        "/desk/KPG-1/bundle.json",  # the invitees: IndexedDB of the desk, not this cache
        "/kiosk/KPG-1/code.json",
        "/api/v1/i/tok",
        "/i/tok/x/live",
    ]:
        assert not kept(path), path
    replay = re.compile(settings["replay"])
    assert replay.search("/api/v1/i/AbC-12_x/rsvp")
    assert not replay.search("/api/v1/i/tok/join")
    assert not replay.search("/i/tok/rsvp")


def test_the_desk_manifest_is_an_installable_app(client):
    response = client.get("/manifest.webmanifest?start=/desk/KPG-1")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert "no-store" not in response.headers["Cache-Control"]
    data = response.get_json(force=True)
    assert data["start_url"] == "/desk/KPG-1"
    assert data["scope"] == "/desk/"
    assert data["display"] == "standalone"
    assert data["name"]
    assert data["short_name"] == "Meja"
    assert data["theme_color"] == "#0b5d50"
    icons = {(i["sizes"], i["purpose"]): i["src"] for i in data["icons"]}
    assert set(icons) == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for (sizes, _purpose), src in icons.items():
        served = client.get(src)
        assert served.status_code == 200
        body = served.get_data()
        served.close()
        with Image.open(io.BytesIO(body)) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == sizes


def test_the_phone_manifest_is_scoped_to_its_own_link_and_others_are_refused(client):
    data = client.get("/manifest.webmanifest?start=/i/tok-1/live").get_json(force=True)
    assert (data["start_url"], data["scope"]) == ("/i/tok-1/live", "/i/tok-1/")
    elsewhere = ["https://elsewhere.example/i/tok/live", "//elsewhere.example/desk/x"]
    for start in [*elsewhere, "/meetings/3"]:
        data = client.get("/manifest.webmanifest", query_string={"start": start}).get_json(
            force=True
        )
        assert (data["start_url"], data["scope"]) == ("/", "/"), start


_HELPER_SCRIPTS = {"js/offline.js", *(k for k, v in BUNDLES.items() if "js/offline.js" in v)}


def _offline_script(html: str) -> str:
    """The attributes of the tag that loads the offline helper: offline.js itself, or a
    participant page's one bundle that starts with it (static/bundles.json)."""
    match = re.search(r'<script src="/static/([^"]*)" defer([^>]*data-sw=[^>]*)>', html)
    assert match, "no offline helper"
    name = match.group(1)
    assert (split_hashed(name) or (name,))[0] in _HELPER_SCRIPTS, name
    return match.group(2)


def test_the_four_pages_load_the_offline_helper_and_two_link_the_manifest(client, auth, rakor):
    token = links.personal_token(rakor.participant)
    personal = text(client.get(f"/i/{token}"))
    phone = text(client.get(f"/i/{token}/live"))
    auth.login(user=rakor.staff)
    desk = text(client.get(f"/desk/{rakor.site.code}"))
    kiosk = text(client.get(f"/kiosk/{rakor.site.code}"))
    for html in [personal, phone, desk, kiosk]:
        attrs = _offline_script(html)
        assert 'data-sw="/sw.js"' in attrs
        assert html.count('data-offline-saved=""') == 1  # the worker fills in this one
        assert "WITA" in attrs  # the reader's zone, labelled
        assert "Data terakhir: {age}, pukul {time}" in attrs
    assert 'data-live="0"' in _offline_script(personal)
    assert 'data-live="1"' in _offline_script(phone)
    for html in [phone, desk]:
        assert '<link rel="manifest" href="/manifest.webmanifest?start=' in html
    assert "manifest" not in personal
    assert "manifest" not in kiosk
    # The personal page's answer form queues to the participant API when offline.
    assert f'data-offline-rsvp="/api/v1/i/{token}/rsvp"' in personal
    # A staff page is none of the four: no worker registration from there.
    assert "data-sw=" not in text(client.get(f"/meetings/{rakor.meeting.id}"))


def test_the_offline_rsvp_path_takes_json_without_a_session(client, rakor):
    """What the worker replays: JSON to the participant API, no cookie, no CSRF token."""
    token = links.personal_token(rakor.participant)
    url = f"/api/v1/i/{token}/rsvp"
    first = client.post(url, json={"rsvp": "declined"})
    assert first.status_code == 200, first.get_data(as_text=True)
    assert client.get(url.removesuffix("/rsvp")).get_json()["rsvp"] == "declined"
    again = client.post(url, json={"rsvp": "declined"})  # a retry: the same state
    assert again.get_json()["rsvp"] == "declined"
