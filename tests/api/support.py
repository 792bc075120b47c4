"""Shared by the API mechanism tests: the problem assertion and a staff token."""

from __future__ import annotations

from typing import Any

API = "/api/v1"
PROBLEM = "application/problem+json"


def problem(response: Any, status: int) -> dict[str, Any]:
    """Assert ``response`` is a problem with ``status`` and return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert all(body[key] for key in ("title", "code", "detail"))
    return body
