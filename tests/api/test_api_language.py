"""Every kind of API error speaks the reader's language: Indonesian by default, English
for a programme that asks with Accept-Language (``core.i18n``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from meetcoord.accounts.models import Role
from tests import factories
from tests.api.support import API, problem

Case = Callable[[Any, dict[str, str], dict[str, Any]], Any]


def _stale(client: Any, headers: dict[str, str], ctx: dict[str, Any]) -> Any:
    url = f"{API}/organizations/{ctx['org'].id}"
    return client.patch(url, json={"region": "x"}, headers={**headers, "If-Match": '"lama"'})


CASES: dict[int, Case] = {
    400: lambda c, h, ctx: c.post(
        f"{API}/organizations", data="{rusak", content_type="application/json", headers=h
    ),
    401: lambda c, h, ctx: c.get(
        f"{API}/organizations", headers={k: v for k, v in h.items() if k != "Authorization"}
    ),
    403: lambda c, h, ctx: c.delete(f"{API}/organizations/{ctx['org'].id}", headers=ctx["viewer"]),
    404: lambda c, h, ctx: c.get(f"{API}/organizations/999999", headers=h),
    405: lambda c, h, ctx: c.put(f"{API}/organizations", json={}, headers=h),
    409: lambda c, h, ctx: c.post(
        f"{API}/organizations",
        json={"name": ctx["org"].name, "kind": "opd", "level": "regency"},
        headers=h,
    ),
    412: _stale,
    415: lambda c, h, ctx: c.post(f"{API}/organizations", data={"name": "x"}, headers=h),
    422: lambda c, h, ctx: c.post(
        f"{API}/organizations", json={"name": 5, "bogus": 1, "level": []}, headers=h
    ),
}


@pytest.mark.parametrize("status", sorted(CASES))
def test_each_error_is_indonesian_by_default_and_english_on_request(
    client: Any, api_token: Any, status: int
) -> None:
    headers = api_token(Role.SECRETARIAT)[1]
    ctx = {"org": factories.organization(), "viewer": api_token(Role.VIEWER)[1]}
    if status == 403:  # the viewer's own language choice is the header too
        ctx["viewer_en"] = {**ctx["viewer"], "Accept-Language": "en"}
    indonesian = problem(CASES[status](client, headers, ctx), status)
    english_headers = {**headers, "Accept-Language": "en"}
    if status == 403:
        ctx["viewer"] = ctx["viewer_en"]
    english = problem(CASES[status](client, english_headers, ctx), status)
    assert indonesian["detail"] != english["detail"], indonesian["detail"]
    assert indonesian["code"] == english["code"]
    assert _looks_indonesian(indonesian["detail"]), indonesian["detail"]
    for field, messages in (indonesian.get("errors") or {}).items():
        assert messages != english["errors"][field], (field, messages)
        assert all(_looks_indonesian(m) for m in messages), messages


_ENGLISH_WORDS = ("not ", "must ", "field", "invalid", "unknown", "required", "missing")


def _looks_indonesian(text: str) -> bool:
    return not any(word in text.lower() for word in _ENGLISH_WORDS)


def test_marshmallow_defaults_are_translated(app: Any) -> None:
    """Plain marshmallow fields and validators in a feature's schema say it in Indonesian."""
    from meetcoord.api.messages import localize

    with app.test_request_context():
        out = localize({"a": ["Not a valid list."], "b": {"c": ["Must be one of: x, y."]}})
    assert out == {"a": ["Harus berupa daftar."], "b": {"c": ["Pilih salah satu: x, y."]}}
