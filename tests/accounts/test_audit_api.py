"""The audit trail over the API (issue 17.1): the page's entries and labels, filters,
times in UTC with the zone the page reads them in; administrators only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import update

from meetcoord.accounts.models import Role
from meetcoord.core import audit
from meetcoord.core.audit import AuditEntry
from meetcoord.extensions import db
from tests import factories

AUDIT = "/api/v1/audit"


def _entry(actor: Any, action: str, target: Any, at: datetime) -> AuditEntry:
    entry = audit.record(actor, action, target, f"{action} {target.id}")
    db.session.flush()
    db.session.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(at=at))
    db.session.commit()
    return entry


def test_entries_read_as_on_the_page_and_filter(client: FlaskClient, api_token: Any) -> None:
    admin, headers = api_token(Role.ADMIN)
    db.session.execute(db.delete(AuditEntry))  # only this test's entries
    staff = factories.user(Role.SECRETARIAT)
    ntb = factories.institution(name="Bappeda Provinsi Nusa Tenggara Barat")
    # 2026-03-01 23:30 UTC is 2 March 06:30 in Jakarta (WIB): a day of the reader's zone.
    early = _entry(admin, "update", staff, datetime(2026, 3, 1, 16, 0, tzinfo=UTC))
    late = _entry(None, "create", ntb, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))

    def ids(query: str = "") -> list[int]:
        response = client.get(f"{AUDIT}?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert ids() == [late.id, early.id]  # newest first, as the page
    assert ids("order=asc") == [early.id, late.id]
    assert ids(f"actor_id={admin.id}") == [early.id]
    assert ids("entity_type=institutions") == [late.id]
    assert ids(f"entity_type=users&entity_id={staff.id}") == [early.id]
    assert ids("action=create") == [late.id]
    assert ids("from=2026-03-02&to=2026-03-02") == [late.id]  # a WIB day, not a UTC one
    assert ids("to=2026-03-01") == [early.id]
    assert ids("q=create") == [late.id]

    item = client.get(f"{AUDIT}?order=asc", headers=headers).get_json()["items"][0]
    assert item["at"].startswith("2026-03-01T16:00:00")
    assert item["at_local"] == "2026-03-01T23:00:00+07:00"
    assert (item["zone"], item["zone_label"]) == ("Asia/Jakarta", "WIB")
    assert (item["action"], item["action_label"]) == ("update", "mengubah")
    assert item["entity_type"] == "users"
    assert item["entity_label"]
    assert item["actor_name"] == admin.name
    system = client.get(f"{AUDIT}?action=create", headers=headers).get_json()["items"][0]
    assert (system["actor_id"], system["actor_name"]) == (None, "sistem")

    backwards = client.get(f"{AUDIT}?from=2026-03-05&to=2026-03-01", headers=headers)
    assert backwards.status_code == 422
    assert set(backwards.get_json()["errors"]) == {"from", "to"}
    assert client.get(f"{AUDIT}?from=kemarin", headers=headers).status_code == 422
    assert client.get(f"{AUDIT}?sort=summary", headers=headers).status_code == 422


def test_the_audit_trail_is_for_administrators_only(client: FlaskClient, api_token: Any) -> None:
    _staff, headers = api_token(Role.SECRETARIAT)
    assert client.get(AUDIT, headers=headers).status_code == 403
    _viewer, viewer_headers = api_token(Role.VIEWER)
    assert client.get(AUDIT, headers=viewer_headers).status_code == 403
    assert client.get(AUDIT).status_code == 401
