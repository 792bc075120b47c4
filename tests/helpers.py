"""Small assertions shared by the page and API tests."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from meetcoord.core.assets import split_hashed
from meetcoord.extensions import db


def count(model: type, *where: Any) -> int:
    """Rows of ``model`` (matching ``where``) as the test's transaction sees them."""
    stmt = select(func.count()).select_from(model)
    for clause in where:
        stmt = stmt.where(clause)
    return int(db.session.scalar(stmt) or 0)


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def field_error(html: str, field: str) -> str:
    """The error list rendered beside ``field`` (empty when there is none)."""
    match = re.search(rf'<ul class="field-errors" id="{field}-error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


_STATIC_URL = re.compile(r'/static/([^"\'?#\s]+)')


def static_names(html: str) -> list[str]:
    """The static files a page refers to, by logical name (``js/desk.3f2a9c1b.js`` is
    ``js/desk.js``): src, href and data- attributes alike."""
    names = []
    for name in _STATIC_URL.findall(html):
        parts = split_hashed(name)
        names.append(parts[0] if parts else name)
    return names


def reads(client: Any, lang: str) -> Any:
    """The reader has chosen ``lang`` (the switch's lasting cookie) and returns ``client``.

    The browser's Accept-Language no longer chooses (issue 16: Indonesian whatever the
    browser says until the person asks), so a test of the English page chooses English as
    a person does.
    """
    client.set_cookie("lang", lang)
    return client


def chosen(lang: str) -> dict[str, str]:
    """The same choice as a request header, where no cookie jar exists (a bare request
    context, a Socket.IO handshake)."""
    return {"Cookie": f"lang={lang}"}


_SNAPSHOT = re.compile(rb" data-initial='[^']*'")


def without_snapshot(body: bytes) -> bytes:
    """A phone page less the live room's snapshot (``data-initial``, at most
    ``portal.live_views.INITIAL_MAX_BYTES``): those bytes would otherwise come over the
    socket on connecting, so they are the room's weight, not the page's."""
    return _SNAPSHOT.sub(b"", body)


_STATIC_REF = re.compile(r'(?:src|href)="(/static/[^"?]+)')


def phone_weight(client: Any, page: Any) -> int:
    """What a phone parses for ``page`` (a test-client response): the page less its room
    snapshot, plus every stylesheet and script it references as served (minified, joined
    into bundles), socket.io aside as the budgets always counted it."""
    manifest = client.application.extensions["meetcoord.assets"].get()
    socketio = len(manifest.assets["vendor/socket.io-4.8.4/socket.io.min.js"].body)
    html = page.get_data(as_text=True)
    served = 0
    for url in _STATIC_REF.findall(html):
        served += len(client.get(url).get_data())
        if split_hashed(url.removeprefix("/static/")) and "live-phone.bundle" in url:
            served -= socketio
    return len(without_snapshot(page.get_data())) + served
