"""Guidance assignments: one agency to several villages from a decree, the rules (period
order, village level, no overlap within an institution), ending, the audit trail, and
another institution's assignment answering 404 on the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meetcoord.accounts.models import Role
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import PermissionDenied, ValidationError
from meetcoord.extensions import db
from meetcoord.planning import guidance
from meetcoord.planning.models import GuidanceAssignment
from tests import factories
from tests.actions.support import bearer
from tests.planning import support


def _data(agency: Any, *villages: Any, **extra: Any) -> dict[str, Any]:
    return {
        "organization_id": agency.id,
        "village_ids": [v.id for v in villages],
        "starts_on": date(2024, 1, 1),
        "ends_on": date(2025, 12, 31),
        "decree_number": "050/123/KEP/2024",
        "decree_date": date(2023, 12, 20),
        **extra,
    }


def _count() -> int:
    return int(db.session.scalar(select(func.count(GuidanceAssignment.id))) or 0)


def test_one_agency_to_several_villages_with_audit() -> None:
    staff = factories.user(Role.SECRETARIAT)
    dinas = factories.organization(name="Dinas PMD Maluku Uji")
    a, b = support.village("Negeri Hative Besar"), support.village("Negeri Passo")
    made = guidance.assign(staff, _data(dinas, a, b))
    assert [(m.village_id, m.organization_id) for m in made] == [(a.id, dinas.id), (b.id, dinas.id)]
    assert all(m.institution_id == factories.default_institution().id for m in made)
    entries = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.entity_type == "guidance_assignments")
    )
    assert entries == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": date(2023, 12, 31)}, "ends_on"),
        ({"decree_number": " "}, "decree_number"),
        ({"decree_date": None}, "decree_date"),
        ({"village_ids": []}, "village_ids"),
    ],
)
def test_bad_assignments_are_refused(change: dict[str, Any], field: str) -> None:
    staff = factories.user(Role.SECRETARIAT)
    dinas = factories.organization()
    with pytest.raises(ValidationError) as caught:
        guidance.assign(staff, _data(dinas, support.village("Negeri Passo"), **change))
    assert field in caught.value.errors
    assert _count() == 0


def test_the_village_must_be_a_village_and_the_agency_not() -> None:
    staff = factories.user(Role.SECRETARIAT)
    dinas, other = factories.organization(), factories.organization()
    passo = support.village("Negeri Passo")
    with pytest.raises(ValidationError) as caught:
        guidance.assign(staff, _data(dinas, other))
    assert "bukan desa" in str(caught.value.errors["village_ids"][0])
    with pytest.raises(ValidationError) as caught:
        guidance.assign(staff, _data(passo, passo))
    assert "organization_id" in caught.value.errors
    assert _count() == 0


def test_no_overlap_in_one_institution_but_another_may_assign() -> None:
    staff = factories.user(Role.SECRETARIAT)
    dinas, bappeda = factories.organization(), factories.organization()
    passo, hative = support.village("Negeri Passo"), support.village("Negeri Hative Besar")
    guidance.assign(staff, _data(dinas, passo))
    # Overlapping, even with a free village in the same request: nothing is written.
    with pytest.raises(ValidationError) as caught:
        guidance.assign(staff, _data(bappeda, hative, passo, starts_on=date(2025, 6, 1)))
    assert "Negeri Passo" in str(caught.value.errors["village_ids"][0])
    assert _count() == 1
    # After the first period ends it is free.
    guidance.assign(staff, _data(bappeda, passo, starts_on=date(2026, 1, 1), ends_on=None))
    # Another institution's decree is independent.
    province = factories.institution()
    theirs = factories.user(Role.SECRETARIAT, institution=province)
    guidance.assign(theirs, _data(bappeda, passo))
    assert _count() == 3


def test_ending_an_assignment_keeps_it_and_checks_the_date() -> None:
    staff = factories.user(Role.SECRETARIAT)
    [row] = guidance.assign(
        staff, _data(factories.organization(), support.village("Negeri Passo"), ends_on=None)
    )
    with pytest.raises(ValidationError):
        guidance.end(staff, row, date(2023, 1, 1))
    guidance.end(staff, row, date(2024, 6, 30))
    assert db.session.get(GuidanceAssignment, row.id).ends_on == date(2024, 6, 30)


def test_a_viewer_cannot_assign() -> None:
    viewer = factories.user(Role.VIEWER)
    with pytest.raises(PermissionDenied) as caught:
        guidance.assign(viewer, _data(factories.organization(), support.village("Negeri Passo")))
    assert getattr(caught.value, "status", None) == 403
    assert _count() == 0


def test_api_crud_and_scope(client: FlaskClient) -> None:
    staff = factories.user(Role.SECRETARIAT)
    headers = bearer(staff)
    dinas = factories.organization(name="Dinas Kesehatan Uji")
    passo = support.village("Negeri Passo")
    body = {
        "organization_id": dinas.id,
        "village_ids": [passo.id],
        "starts_on": "2024-01-01",
        "decree_number": "050/1/2024",
        "decree_date": "2023-12-20",
    }
    made = client.post("/api/v1/guidance-assignments", json=body, headers=headers)
    assert made.status_code == 201, made.get_json()
    row_id = made.get_json()[0]["id"]
    again = client.post("/api/v1/guidance-assignments", json=body, headers=headers)
    assert again.status_code == 422
    assert again.headers["Content-Type"].startswith("application/problem+json")
    assert "village_ids" in again.get_json()["errors"]
    listed = client.get(f"/api/v1/guidance-assignments?village_id={passo.id}", headers=headers)
    assert [r["id"] for r in listed.get_json()["items"]] == [row_id]
    patched = client.patch(
        f"/api/v1/guidance-assignments/{row_id}",
        json={"decree_number": "050/2/2024"},
        headers=headers,
    )
    assert patched.get_json()["decree_number"] == "050/2/2024"
    ended = client.post(
        f"/api/v1/guidance-assignments/{row_id}/end",
        json={"ends_on": "2024-12-31"},
        headers=headers,
    )
    assert ended.get_json()["ends_on"] == "2024-12-31"
    # Another institution's staff: not found, for reading and changing alike.
    stranger = bearer(factories.user(Role.SECRETARIAT, institution=factories.institution()))
    assert client.get(f"/api/v1/guidance-assignments/{row_id}", headers=stranger).status_code == 404
    assert (
        client.delete(f"/api/v1/guidance-assignments/{row_id}", headers=stranger).status_code == 404
    )
    assert client.get("/api/v1/guidance-assignments", headers=stranger).get_json()["total"] == 0
    assert (
        client.delete(f"/api/v1/guidance-assignments/{row_id}", headers=headers).status_code == 204
    )
    assert _count() == 0


def test_the_form_assigns_and_shows_a_clash_in_place(client: FlaskClient, auth: Any) -> None:
    staff = auth.login()
    dinas = factories.organization(name="Dinas PUPR Uji")
    passo = support.village("Negeri Passo")
    form = {
        "organization_id": str(dinas.id),
        "village_ids": [str(passo.id)],
        "starts_on": "2024-01-01",
        "decree_number": "050/9/2024",
        "decree_date": "2023-12-01",
    }
    assert client.get("/villages/guidance/new").status_code == 200
    done = auth.post("/villages/guidance/new", form)
    assert done.status_code == 302
    clash = auth.post("/villages/guidance/new", form)
    assert clash.status_code == 422
    assert "sudah dibina Dinas PUPR Uji" in clash.get_data(as_text=True)
    [row] = db.session.scalars(select(GuidanceAssignment)).all()
    assert row.institution_id == factories.default_institution().id
    assert row.decree_number == "050/9/2024"
    assert staff is not None
    page = client.get(f"/villages/{passo.id}").get_data(as_text=True)
    assert f"/villages/guidance/{row.id}/end" in page
    ended = auth.post(f"/villages/guidance/{row.id}/end", {"ends_on": "2024-06-30"})
    assert ended.status_code == 302
    assert db.session.get(GuidanceAssignment, row.id).ends_on == date(2024, 6, 30)


def test_a_viewer_gets_no_form(client: FlaskClient, auth: Any) -> None:
    auth.login(Role.VIEWER)
    assert client.get("/villages/guidance/new").status_code == 403
    assert client.get("/villages/idm/import").status_code == 403
    assert client.get("/villages").status_code == 200
