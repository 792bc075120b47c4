"""Bench ``pages``: the pages people open in the field, over a slow link, cold and warm.

Issue 16's figures (DESIGN §10): at 400 kbps / 400 ms RTT, every participant page
≤ 50 KB cold and usable ≤ 2,000 ms; the desk ≤ 80 KB; no static file fetched from the
network on a warm visit.

What runs: the server as ``make run`` serves it, with the demo data (``demo_scene``: the
demo meeting's room opened by its chair), then Debian's Chromium (headless, through
Playwright) in two browser contexts — a participant's phone (390×844, ``id-ID``) and the
secretariat's laptop (1366×900, signed in through the request client, so nothing is
cached by signing in). Each page gets its own tab, throttled through CDP
``Network.emulateNetworkConditions`` (``latency`` 400 ms, 400,000 bit/s = 50,000 bytes/s
down and up), and is visited twice:

- **cold**: ``Network.setCacheDisabled`` and ``Network.setBypassServiceWorker`` on (nothing
  is read from the cache, nor from the service worker that an earlier page of the same
  origin installed: a first visit ever);
- **warm**: about:blank, the cache on again, the same address opened again in the same
  tab (a person opening their link a second time).

The pages, in this order: personal page ``/i/<token>``, live phone view
``/i/<token>/live``, self check-in ``/c/<site>/<code>`` (a fresh kiosk code each visit;
the phone holds the personal link's cookie, so it is the one-tap page), desk
``/desk/<site>`` (camera off) and kiosk ``/kiosk/<site>``.

Per visit, from CDP's Network domain (http and https requests only; ``data:`` URLs and
WebSocket frames are not requests; they have their own figures):

- ``kb``: the sum of ``encodedDataLength`` of ``Network.loadingFinished`` — bytes on the
  wire, headers included — in KB of 1,000 bytes;
- ``requests``: requests sent (a redirect hop counts);
- ``network``: of those, the ones not answered from the memory cache
  (``Network.requestServedFromCache``), the disk cache, a service worker or the prefetch
  cache (``Network.responseReceived``'s ``fromDiskCache`` / ``fromServiceWorker`` /
  ``fromPrefetchCache``); ``static_network`` the ones among them for ``/static/...`` or
  ``/favicon.ico``. A 304 revalidation went to the network, so it counts.
- ``websockets`` and ``ws_kb``: WebSocket connections opened and the payload of their
  frames both ways (Socket.IO's, after its handshake), apart from ``kb``;
- ``usable_ms``: from navigation start (``performance.now()``'s origin) to the first moment
  the document has been parsed (``DOMContentLoaded``) *and* the page's main element is
  there, visible and enabled: the RSVP form's submit button; the phone's "Minta bicara"
  button (enabled once the room's state has arrived over Socket.IO); the one-tap "Saya
  hadir" button (or the name search); the desk's code field with the desk ready
  (``data-ready``: its offline bundle loaded); the kiosk's QR image decoded and its typed
  code shown. A script added before any of the page's (``add_init_script``) checks on
  every DOM mutation, every load event and every 10 ms.

A visit's window closes ``SETTLE_MS`` after both the ``load`` event and usable; requests
after that (a Socket.IO long poll, the kiosk's next code) are not counted.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # the runner loads this file by path
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import demo_scene  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/browser/conftest.py
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LATENCY_MS = 400
KBPS = 400  # kilobits (1,000 bits) a second, each way
SETTLE_MS = 1000
DEADLINE_SECONDS = 300.0
PARTICIPANT = ("personal", "phone", "selfcheckin", "kiosk")
ENV: dict[str, Any] = {}

# Main element checks (see the docstring); ``on`` / ``img`` are defined in PROBE.
READY = {
    "personal": "on('form[action$=\"/rsvp\"] button[type=submit]')",
    "phone": "on('#ph-request')",
    "selfcheckin": "on('button[name=action][value=link]') || on('#q')",
    "desk": "!!document.querySelector('#desk[data-ready=\"1\"]') && on('#desk-code')",
    "kiosk": "img('#kiosk-qr') && on('#kiosk-typed')",
}

PROBE = """(() => {
  const shown = (el) => !!el && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const on = (sel) => { const el = document.querySelector(sel); return shown(el) && !el.disabled; };
  const img = (sel) => { const el = document.querySelector(sel);
    return shown(el) && el.complete && el.naturalWidth > 0; };
  const check = () => {
    if (window.__mcUsableAt !== undefined || location.protocol === "about:") return;
    if (document.readyState === "loading") return;
    try { if (READY) window.__mcUsableAt = performance.now(); } catch (e) { /* not yet */ }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
  document.addEventListener("DOMContentLoaded", check);
  document.addEventListener("load", check, true);
  window.addEventListener("load", check);
  const tick = () => { check(); if (window.__mcUsableAt === undefined) setTimeout(tick, 10); };
  tick();
})();"""


def is_static(url: str) -> bool:
    path = urlsplit(url).path
    return path.startswith("/static/") or path == "/favicon.ico"


class Visit:
    """The CDP Network events of one visit, reduced to requests, bytes and cache hits."""

    def __init__(self) -> None:
        self.open = True
        self.hops: list[str] = []  # every request sent, a redirect hop included
        self.urls: dict[str, str] = {}
        self.cached: set[str] = set()  # request ids answered without the network
        self.redirect_network = 0
        self.bytes = 0
        self.websockets = 0
        self.ws_bytes = 0  # frame payloads, both ways (not counted in ``bytes``)
        self.handlers = {
            "Network.requestWillBeSent": self._sent,
            "Network.requestServedFromCache": self._from_memory,
            "Network.responseReceived": self._response,
            "Network.loadingFinished": self._finished,
            "Network.webSocketCreated": self._socket,
            "Network.webSocketFrameReceived": self._frame,
            "Network.webSocketFrameSent": self._frame,
        }

    def attach(self, cdp: Any) -> None:
        for event, handler in self.handlers.items():
            cdp.on(event, handler)

    def detach(self, cdp: Any) -> None:
        self.open = False
        for event, handler in self.handlers.items():
            cdp.remove_listener(event, handler)

    def _socket(self, event: dict[str, Any]) -> None:
        if self.open:
            self.websockets += 1

    def _frame(self, event: dict[str, Any]) -> None:
        if self.open:
            self.ws_bytes += len(event["response"].get("payloadData", "").encode())

    def _sent(self, event: dict[str, Any]) -> None:
        url = event["request"]["url"]
        if not self.open or not url.startswith("http"):
            return
        if event.get("redirectResponse") is not None:
            self.redirect_network += 1  # the hop before this one went to the server
        self.hops.append(url)
        self.urls[event["requestId"]] = url

    def _from_memory(self, event: dict[str, Any]) -> None:
        if self.open:
            self.cached.add(event["requestId"])

    def _response(self, event: dict[str, Any]) -> None:
        response = event["response"]
        flags = ("fromDiskCache", "fromServiceWorker", "fromPrefetchCache")
        if self.open and any(response.get(flag) for flag in flags):
            self.cached.add(event["requestId"])

    def _finished(self, event: dict[str, Any]) -> None:
        if self.open and event["requestId"] in self.urls:
            self.bytes += int(event.get("encodedDataLength") or 0)

    def figures(self) -> dict[str, Any]:
        network = [url for rid, url in self.urls.items() if rid not in self.cached]
        return {
            "kb": round(self.bytes / 1000, 1),
            "requests": len(self.hops),
            "network": len(network) + self.redirect_network,
            "static_network": len([url for url in network if is_static(url)]),
            "network_urls": sorted({urlsplit(url).path for url in network}),
            "websockets": self.websockets,
            "ws_kb": round(self.ws_bytes / 1000, 1),
        }


def measure(page: Any, cdp: Any, url: str, cold: bool, timeout_ms: float) -> dict[str, Any]:
    """One visit of ``url`` in ``page`` (already throttled): its figures."""
    page.goto("about:blank")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": cold})
    cdp.send("Network.setBypassServiceWorker", {"bypass": cold})
    visit = Visit()
    visit.attach(cdp)
    try:
        page.goto(url, wait_until="load", timeout=timeout_ms)
        # Polled from here: the pages' CSP forbids the eval wait_for_function needs; the
        # moment itself is recorded in the page, so the polling step does not matter.
        until = time.monotonic() + timeout_ms / 1000
        while page.evaluate("window.__mcUsableAt") is None:
            if time.monotonic() > until:
                raise TimeoutError(f"{url} not usable in {timeout_ms} ms")
            page.wait_for_timeout(50)
        page.wait_for_timeout(SETTLE_MS)
        timing = page.evaluate(
            """() => { const n = performance.getEntriesByType("navigation")[0];
              return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                      usable: window.__mcUsableAt}; }"""
        )
    finally:
        visit.detach(cdp)
    usable = max(timing["usable"], timing["dcl"])
    return visit.figures() | {"usable_ms": round(usable), "load_ms": round(timing["load"])}


def throttled_tab(context: Any, name: str, latency_ms: float, kbps: float) -> tuple[Any, Any]:
    page = context.new_page()
    page.add_init_script(PROBE.replace("READY", READY[name]))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    per_second = kbps * 1000 / 8
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": per_second,
            "uploadThroughput": per_second,
        },
    )
    return page, cdp


def self_checkin_url(staff: Any, scene: dict[str, Any]) -> str:
    """The address the kiosk's QR holds right now (asked by the signed-in staff context's
    request client, off the measured tabs)."""
    answer = staff.request.get(f"{scene['base_url']}/kiosk/{scene['site']}/code.json").json()
    if not answer.get("open"):
        raise RuntimeError(f"self check-in is closed: {answer}")
    return scene["base_url"] + urlsplit(answer["url"]).path


def browse(scene: dict[str, Any], latency_ms: float, kbps: float) -> dict[str, dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    base = scene["base_url"]
    pages = {
        "personal": f"{base}/i/{scene['token']}",
        "phone": f"{base}/i/{scene['token']}/live",
        "selfcheckin": None,  # a fresh kiosk code per visit
        "desk": f"{base}/desk/{scene['site']}",
        "kiosk": f"{base}/kiosk/{scene['site']}",
    }
    timeout_ms = 60_000 + 100 * latency_ms
    results: dict[str, dict[str, Any]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            phone = browser.new_context(
                locale="id-ID",
                viewport={"width": 390, "height": 844},
                is_mobile=True,
                has_touch=True,
                device_scale_factor=2,
            )
            staff = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
            demo_scene.sign_in(staff, scene)
            for name, url in pages.items():
                context = phone if name in ("personal", "phone", "selfcheckin") else staff
                page, cdp = throttled_tab(context, name, latency_ms, kbps)
                figures = {}
                for label, cold in (("cold", True), ("warm", False)):
                    address = url or self_checkin_url(staff, scene)
                    figures[label] = measure(page, cdp, address, cold, timeout_ms)
                results[name] = figures
                page.close()
        finally:
            browser.close()
    return results


def table(results: dict[str, dict[str, Any]]) -> str:
    head = f"{'page':<12} {'cold KB':>8} {'req':>4} {'usable ms':>10} {'load ms':>8}"
    head += f" {'ws KB':>6} {'warm KB':>8} {'warm net':>9} {'warm static':>12}"
    rows = [head]
    for name, f in results.items():
        cold, warm = f["cold"], f["warm"]
        rows.append(
            f"{name:<12} {cold['kb']:>8} {cold['requests']:>4} {cold['usable_ms']:>10}"
            f" {cold['load_ms']:>8} {cold['ws_kb']:>6} {warm['kb']:>8} {warm['network']:>9}"
            f" {warm['static_network']:>12}"
        )
    return "\n".join(rows)


def run(latency_ms: float = LATENCY_MS, kbps: float = KBPS) -> dict[str, float]:
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing (apt-get install chromium)")
    deadline = time.monotonic() + DEADLINE_SECONDS
    tmp = Path(tempfile.mkdtemp(prefix="meetcoord-bench-pages-"))
    keep = bool(os.environ.get("BENCH_KEEP"))
    load_before = os.getloadavg()
    started = time.monotonic()
    try:
        with demo_scene.demo_server(tmp, deadline) as (server, scene):
            ENV["setup_seconds"] = round(time.monotonic() - started, 1)
            results = browse(scene, latency_ms, kbps)
            server.check_alive()
    except BaseException:
        keep = True
        ENV["server_log_tail"] = demo_scene.support.tail(tmp / "server.log")
        raise
    finally:
        if keep:
            print(f"bench pages: scratch kept for inspection: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(table(results), file=sys.stderr)
    ENV.update(
        server="python -m meetcoord.server (eventlet, development, worker off), demo data",
        browser=f"{CHROMIUM} headless (Playwright), CDP throttling",
        latency_ms=latency_ms,
        kbps_each_way=kbps,
        settle_ms=SETTLE_MS,
        pages=results,
        load_average_before=[round(x, 2) for x in load_before],
        load_average_after=[round(x, 2) for x in os.getloadavg()],
        targets="participant cold <= 50 KB and usable <= 2000 ms; desk <= 80 KB; "
        "0 static requests warm",
    )
    metrics: dict[str, float] = {
        "max_participant_cold_kb": max(results[p]["cold"]["kb"] for p in PARTICIPANT),
        "desk_cold_kb": results["desk"]["cold"]["kb"],
        "max_usable_ms": max(f["cold"]["usable_ms"] for f in results.values()),
        "max_warm_requests": max(f["warm"]["network"] for f in results.values()),
        "max_warm_static_requests": max(f["warm"]["static_network"] for f in results.values()),
    }
    for name, f in results.items():
        metrics[f"{name}_cold_kb"] = f["cold"]["kb"]
        metrics[f"{name}_cold_requests"] = f["cold"]["requests"]
        metrics[f"{name}_usable_ms"] = f["cold"]["usable_ms"]
        metrics[f"{name}_warm_requests"] = f["warm"]["network"]
    return metrics


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
    print(json.dumps({k: v for k, v in ENV.items() if k != "server_log_tail"}, indent=2))
