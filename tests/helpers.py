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
