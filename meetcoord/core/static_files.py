"""Serving ``static/`` from the asset manifest: hashed names, a year of caching, no cookies.

``url_for('static', filename='js/desk.js')`` gives ``/static/js/desk.3f2a9c1b.js`` (a
``url_defaults`` hook, so no template changes), answered with ``Cache-Control: public,
max-age=31536000, immutable`` and the pre-built brotli or gzip bytes the browser accepts.

- The unhashed name (``/static/js/desk.js``) still works, ``no-cache`` with an ETag, for
  anything that asks for a fixed address.
- An old or unknown hash of a known file (a page held open, or cached, across a deploy) gets
  the current file with ``no-cache``: a 404 would leave that page without its script or
  style, while the current file is what a reload would load anyway; ``no-cache`` keeps the
  browser from keeping the wrong bytes under the old name.
- No ``Vary: Cookie`` and no ``Set-Cookie``: Flask marks the session "accessed" whenever any
  code touches it (Flask-Login's after-request hook does, on every response), and then adds
  ``Vary: Cookie`` — which makes shared caches and some browsers refetch a file per cookie.
  The session interface below does not save or mention the session on static responses.

The manifest comes from ``meetcoord assets build`` (``build/assets``) when that build
matches the sources, else it is built in memory once per process (tests, a fresh checkout),
at the first page or static file the process serves.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, Response, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from markupsafe import Markup

from meetcoord.config import PROJECT_ROOT
from meetcoord.core import assets

BUILD_DIR = PROJECT_ROOT / "build" / "assets"
IMMUTABLE = "public, max-age=31536000, immutable"
EXTENSION_KEY = "meetcoord.assets"

_lock = threading.Lock()
_memory: dict[str, assets.Manifest] = {}  # by fingerprint: one build per process


def manifest_for(static_dir: Path, build_dir: Path = BUILD_DIR) -> assets.Manifest:
    """The stored build when it matches ``static_dir``, else one built in memory (once)."""
    fingerprint = assets.fingerprint(static_dir)
    with _lock:
        if fingerprint not in _memory:
            stored = assets.load(build_dir, fingerprint)
            _memory[fingerprint] = stored or assets.build(static_dir)
        return _memory[fingerprint]


class _StaticAwareSessionInterface(SecureCookieSessionInterface):
    """The cookie session, except that static responses neither set nor vary on it."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


class _LazyManifest:
    """The manifest, made on first use: a CLI command (``db upgrade``, ``worker``) never
    renders a page, so it should not spend seconds building assets it will not serve."""

    def __init__(self, static_dir: Path, build_dir: Path) -> None:
        self.static_dir = static_dir
        self.build_dir = build_dir
        self._manifest: assets.Manifest | None = None

    def get(self) -> assets.Manifest:
        if self._manifest is None:
            self._manifest = manifest_for(self.static_dir, self.build_dir)
        return self._manifest


def current_manifest() -> assets.Manifest:
    return current_app.extensions[EXTENSION_KEY].get()


def _encoding(asset: assets.Asset) -> tuple[str | None, bytes]:
    accepted = request.accept_encodings
    if asset.br is not None and accepted["br"] and len(asset.br) < len(asset.body):
        return "br", asset.br
    if asset.gzip is not None and accepted["gzip"] and len(asset.gzip) < len(asset.body):
        return "gzip", asset.gzip
    return None, asset.body


def serve_static(filename: str) -> Response:
    """The static endpoint's view: an asset by hashed or logical name."""
    found = current_manifest().lookup(filename)
    if found is None:
        abort(404)
    asset, current = found
    encoding, body = _encoding(asset)
    response = Response(body, mimetype=asset.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if asset.gzip is not None:
        response.vary.add("Accept-Encoding")
    # One ETag per encoding: a cache must not answer a gzip request with brotli bytes.
    response.set_etag(f"{asset.digest}-{encoding}" if encoding else asset.digest)
    response.headers["Cache-Control"] = IMMUTABLE if current else "no-cache"
    return response.make_conditional(request)


def hashed_url_defaults(endpoint: str, values: dict) -> None:
    """``url_for('static', filename=…)`` names the current hashed file."""
    if endpoint != "static" or "filename" not in values:
        return
    asset = current_manifest().assets.get(values["filename"])
    if asset is not None:
        values["filename"] = asset.hashed


def static_inline(filename: str) -> Markup:
    """A small static file's text, for inlining (the logo: one request fewer per page)."""
    text = current_manifest().assets[filename].body.decode("utf-8").strip()
    return Markup(text)  # noqa: S704  (a file of this repository's static/, never user input)


def init_static_files(app: Flask, build_dir: Path = BUILD_DIR) -> None:
    """Serve ``app.static_folder`` through the manifest (replacing Flask's static view)."""
    if app.static_folder is None:
        return
    app.extensions[EXTENSION_KEY] = _LazyManifest(Path(app.static_folder), build_dir)
    app.view_functions["static"] = serve_static
    app.url_defaults(hashed_url_defaults)
    app.session_interface = _StaticAwareSessionInterface()
    app.jinja_env.globals["static_inline"] = static_inline
