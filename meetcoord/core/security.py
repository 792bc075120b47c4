"""Safe redirects, proxy headers and the HTTP headers every response carries.

The Content-Security-Policy allows scripts and styles only from our own origin: no inline
script, no CDN. Government networks are often closed, and a page that works offline at a
site desk must not depend on anything but this server.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Flask, Response, redirect, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self' ws: wss:",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# Control and format characters (tab, line feed, zero-width …) and line separators.
_UNSAFE_IN_TARGET = frozenset({"Cc", "Cf", "Zl", "Zp"})
MAX_TARGET_LENGTH = 2000


def is_safe_target(target: str | None) -> bool:
    """Whether ``target`` is a path on this site that no browser reads as another site.

    Only ``/path`` with no scheme and no host passes. Browsers drop tabs and line breaks
    inside a URL and read ``\\`` as ``/``, so ``/<TAB>/evil.example`` and ``/\\evil.example``
    both become ``//evil.example``, an address on another host: any control character or
    backslash is refused. (A line break would also make Werkzeug refuse the Location
    header with a 500.)
    """
    if not target or len(target) > MAX_TARGET_LENGTH:
        return False
    if "\\" in target or any(unicodedata.category(ch) in _UNSAFE_IN_TARGET for ch in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def redirect_back(target: str | None, fallback: str) -> Response:
    """Redirect to a user-supplied ``target`` (``next=``) when it is safe, else ``fallback``.

    The one door for every redirect whose target comes from the request.
    """
    return redirect(target if target is not None and is_safe_target(target) else fallback)


def init_security(app: Flask) -> None:
    """Proxy headers and the headers every response carries (the login loaders are the
    accounts package's, plugged in by ``create_app``)."""
    if app.config["PROXY_COUNT"]:
        # Behind nginx the socket peer is the proxy: take the client's address (for rate
        # limits and logs) and scheme from the headers the trusted proxies set.
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    hsts = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")

    @app.after_request
    def set_headers(response: Response) -> Response:
        # One pass over the response's headers, not a setdefault per header: a missing
        # header is a KeyError inside werkzeug's Headers, raised and caught each time.
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}
        for name, value in HEADERS.items():
            if name.lower() not in present:
                headers.add(name, value)
        if app.config["SESSION_COOKIE_SECURE"] and hsts[0].lower() not in present:
            headers.add(*hsts)
        endpoint = request.endpoint
        if endpoint and not endpoint.startswith("static") and "cache-control" not in present:
            headers.add("Cache-Control", "no-store")
        return response
