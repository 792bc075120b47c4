"""The service worker's script, served from the root, and the web app manifest.

Why a route and not a static file: a worker's scope can be no wider than the folder its
script is served from, and the pages it keeps (``/i/<token>``, ``/i/<token>/live``,
``/desk/<code>``, ``/kiosk/<code>``) sit outside ``/static``. The route also writes into the
script what only the server knows: the static URL prefix, which pages the worker may keep
and which API path a queued answer may be replayed to. The script's bytes change when any
of that changes (the cache version is their hash), which is what makes a browser install
the new worker and drop the old caches.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.problems import API_PREFIX

bp = Blueprint("offline", __name__)

# The only pages the worker keeps (network first, the copy when offline). Everything else,
# staff pages and every API answer included, goes to the network untouched.
PAGES = {
    "invitation": r"^/i/[A-Za-z0-9_-]+$",
    "phone": r"^/i/[A-Za-z0-9_-]+/live$",
    "questions": r"^/i/[A-Za-z0-9_-]+/questions$",  # a question asked offline waits there
    "desk": r"^/desk/[A-Za-z0-9_-]+$",
    "kiosk": r"^/kiosk/[A-Za-z0-9_-]+$",
}
# A queued answer (the personal page's RSVP) may only be replayed to this path, on this
# origin: the personal link is a bearer credential.
REPLAY_PATH = r"^" + re.escape(API_PREFIX) + r"/i/[A-Za-z0-9_-]+/rsvp$"
# The installable apps: the desk and the phone view, each its own scope.
APPS = {"desk": r"^/desk/[A-Za-z0-9_-]+$", "phone": r"^/i/[A-Za-z0-9_-]+/live$"}
THEME = "#0b5d50"  # the logo's green (static/img/logo.svg)


@lru_cache(maxsize=4)
def _script(path: str, mtime: float) -> str:
    return Path(path).read_text(encoding="utf-8")


def worker_source() -> str:
    """The worker script with its settings in front; its hash names the caches."""
    path = Path(current_app.static_folder or "static") / "js" / "sw.js"
    body = _script(str(path), path.stat().st_mtime)
    settings = {
        "static": url_for("static", filename=""),
        "pages": list(PAGES.values()),
        "replay": REPLAY_PATH,
    }
    head = json.dumps(settings, sort_keys=True)
    version = hashlib.sha256((head + body).encode()).hexdigest()[:12]
    settings["version"] = version
    return f"self.MC_OFFLINE = {json.dumps(settings, sort_keys=True)};\n{body}"


@bp.get("/sw.js")
@requires(Permission.PUBLIC)
def service_worker() -> Response:
    """The worker: always revalidated (``no-cache``), allowed the whole origin."""
    response = Response(worker_source(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def _app_for(start: str) -> str | None:
    for kind, pattern in APPS.items():
        if re.match(pattern, start):
            return kind
    return None


def manifest_data(start: str) -> dict[str, Any]:
    """The manifest of the app that starts at ``start`` (the desk or a phone view).

    ``start`` is a path on this origin, checked against the two apps; anything else gets
    the plain site manifest starting at ``/``, so the route never echoes another address.
    """
    kind = _app_for(start)
    if kind == "desk":
        name, short, scope = _("meetcoord · Meja registrasi"), _("Meja"), "/desk/"
    elif kind == "phone":
        name, short = _("meetcoord · Rapat berlangsung"), _("Rapat")
        scope = start.rsplit("/", 1)[0] + "/"
    else:
        name, short, scope, start = "meetcoord", "meetcoord", "/", "/"

    def icon(file: str, size: int, purpose: str) -> dict[str, str]:
        return {
            "src": url_for("static", filename=f"img/icons/{file}"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }

    return {
        "id": start,
        "name": name,
        "short_name": short,
        "start_url": start,
        "scope": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "lang": str(get_locale() or "id"),
        "icons": [
            icon("icon-192.png", 192, "any"),
            icon("icon-512.png", 512, "any"),
            icon("maskable-192.png", 192, "maskable"),
            icon("maskable-512.png", 512, "maskable"),
        ],
    }


@bp.get("/manifest.webmanifest")
@requires(Permission.PUBLIC)
def manifest() -> Response:
    """The web app manifest (``?start=`` the page that links it)."""
    start = request.args.get("start", "/")
    response = Response(
        json.dumps(manifest_data(start), ensure_ascii=False),
        mimetype="application/manifest+json",
    )
    # It may name a personal page: kept out of shared caches, never indexed.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
