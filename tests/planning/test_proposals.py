"""Proposals for staff, through the pages and the API: the list's filters and sort, one
proposal with its marks across meetings, hand entry with per-field messages (id + en),
another institution's proposal not found, a viewer who may only read, and the merge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.core.audit import AuditEntry
from meetcoord.extensions import db
from meetcoord.planning.models import (
    FundSource,
    MarkOutcome,
    Proposal,
    ProposalField,
    ProposalStatus,
    SyncMark,
)
from tests import factories
from tests.actions.support import bearer
from tests.conftest import AuthActions
from tests.helpers import reads
from tests.planning import support


@pytest.fixture
def scene() -> Any:
    class Scene:
        home = factories.default_institution()
        other = factories.institution(name="Bappeda Provinsi NTB")
        wee = support.village("Wee Rame")
        kadi = support.village("Kadi Wanno")
        road = support.proposal(
            home,
            "Pembangunan jalan desa",
            village_id=wee.id,
            priority_score=Decimal("90"),
            budget=500_000_000,
            field=ProposalField.INFRASTRUCTURE,
        )
        well = support.proposal(
            home,
            "Sumur bor air bersih",
            village_id=kadi.id,
            priority_score=Decimal("70"),
            fund_source=FundSource.APBDES,
        )
        twin = support.proposal(home, "Pembangunan jalan di desa", village_id=wee.id)
        theirs = support.proposal(other, "Dermaga perahu nelayan", village_id=wee.id)
        outsider = factories.user(institution=other)

    db.session.commit()
    return Scene()


def test_the_list_filters_sorts_and_keeps_to_the_institution(
    auth: AuthActions, client: FlaskClient, scene: Any
) -> None:
    auth.login()
    html = client.get("/planning/proposals").get_data(as_text=True)
    assert html.index("Pembangunan jalan desa") < html.index("Sumur bor air bersih")  # by score
    assert "Dermaga perahu nelayan" not in html
    only_kadi = client.get(f"/planning/proposals?village_id={scene.kadi.id}").get_data(as_text=True)
    assert "Sumur bor air bersih" in only_kadi
    assert "Pembangunan jalan desa" not in only_kadi
    apbdes = client.get("/planning/proposals?fund_source=apbdes&q=sumur").get_data(as_text=True)
    assert "Sumur bor air bersih" in apbdes
    assert "jalan" not in apbdes
    none = client.get("/planning/proposals?plan_year=2031").get_data(as_text=True)
    assert "Tidak ada data yang cocok" in none


def test_the_detail_shows_the_marks_across_meetings(
    auth: AuthActions, client: FlaskClient, scene: Any
) -> None:
    auth.login()
    meeting = factories.meeting(title="Forum BangKIT triwulan II")
    agency = factories.organization(name="Dinas PUPR Sumba Barat Daya")
    db.session.add(
        SyncMark(
            meeting_id=meeting.id,
            proposal_id=scene.road.id,
            outcome=MarkOutcome.ACCOMMODATED,
            organization_id=agency.id,
            programme="Jalan desa",
            plan_document="RKPD 2025",
            amount=450_000_000,
        )
    )
    db.session.commit()
    html = client.get(f"/planning/proposals/{scene.road.id}").get_data(as_text=True)
    assert "Forum BangKIT triwulan II" in html
    assert "Dinas PUPR Sumba Barat Daya" in html
    assert "RKPD 2025" in html
    assert "450.000.000" in html
    assert "Pembangunan jalan di desa" in html  # offered as a likely twin to merge


def test_another_institutions_proposal_is_not_found(
    auth: AuthActions, client: FlaskClient, scene: Any
) -> None:
    head = bearer(scene.outsider)  # no session cookie yet: the token is who asks
    assert client.get(f"/api/v1/proposals/{scene.road.id}", headers=head).status_code == 404
    patch = client.patch(f"/api/v1/proposals/{scene.road.id}", json={"title": "x"}, headers=head)
    assert patch.status_code == 404
    merge = client.post(
        f"/api/v1/proposals/{scene.twin.id}/merge",
        json={"into_id": scene.theirs.id},
        headers=bearer(factories.user()),
    )
    assert merge.status_code == 404
    assert db.session.get(Proposal, scene.twin.id).status is ProposalStatus.SUBMITTED
    auth.login()
    for url in (
        f"/planning/proposals/{scene.theirs.id}",
        f"/planning/proposals/{scene.theirs.id}/edit",
    ):
        assert client.get(url).status_code == 404


def test_a_viewer_member_reads_but_may_not_change(
    auth: AuthActions, client: FlaskClient, scene: Any
) -> None:
    viewer = factories.user("viewer")
    auth.login(user=viewer)
    assert client.get(f"/planning/proposals/{scene.road.id}").status_code == 200
    refused = auth.post(f"/planning/proposals/{scene.road.id}/edit", {"title": "Diubah"})
    assert refused.status_code == 403
    assert db.session.get(Proposal, scene.road.id).title == "Pembangunan jalan desa"


@pytest.mark.parametrize(
    ("lang", "budget", "year"),
    [
        (
            "id",
            "Perkiraan biaya tidak boleh negatif.",
            "Tahun rencana harus tahun empat angka (2000–2100).",
        ),
        (
            "en",
            "The estimated cost cannot be negative.",
            "The plan year must be a four-digit year (2000–2100).",
        ),
    ],
)
def test_hand_entry_refuses_each_bad_field_and_saves_nothing(
    auth: AuthActions, client: FlaskClient, scene: Any, lang: str, budget: str, year: str
) -> None:
    auth.login()
    before = db.session.scalar(select(db.func.count()).select_from(Proposal))
    form = {
        "title": "Posyandu",
        "village_id": str(scene.wee.id),
        "field": "social_culture",
        "fund_source": "apbdes",
        "budget": "-5",
        "plan_year": "20x5",
    }
    reads(auth.client, lang)
    page = auth.post("/planning/proposals/new", form)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert budget in html
    assert year in html
    assert db.session.scalar(select(db.func.count()).select_from(Proposal)) == before
    saved = auth.post(
        "/planning/proposals/new", form | {"budget": "Rp 25.000.000", "plan_year": "2026"}
    )
    assert saved.status_code == 302
    made = db.session.scalar(select(Proposal).where(Proposal.title == "Posyandu"))
    assert made.budget == 25_000_000
    assert made.plan_year == 2026
    assert made.proposer_name == "Wee Rame"


def test_merge_through_the_page_is_audited(
    auth: AuthActions, client: FlaskClient, scene: Any
) -> None:
    auth.login()
    done = auth.post(f"/planning/proposals/{scene.twin.id}/merge", {"into_id": str(scene.road.id)})
    assert done.status_code == 302
    merged = db.session.get(Proposal, scene.twin.id)
    assert merged.status is ProposalStatus.MERGED
    assert merged.merged_into_id == scene.road.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "proposal.merge"))
    assert entry.entity_id == scene.twin.id
    again = auth.post(f"/planning/proposals/{scene.twin.id}/merge", {"into_id": str(scene.road.id)})
    assert again.status_code == 409


def test_api_round_trip_create_read_list_patch_merge_and_bulk(
    client: FlaskClient, scene: Any
) -> None:
    head = bearer(factories.user())
    made = client.post(
        "/api/v1/proposals",
        headers=head,
        json={
            "title": "Embung desa",
            "village": "wee rame",
            "field": "Prasarana Wilayah",
            "fund_source": "APBD Kabupaten/Kota",
            "plan_year": 2025,
            "budget": "Rp 1.250.000",
            "priority_score": "85,5",
            "external_ref": "EM-1",
        },
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["village_id"] == scene.wee.id
    assert body["budget"] == 1_250_000
    assert body["field"] == "infrastructure"
    assert body["fund_source"] == "apbd_regency"
    assert body["priority_score"] == "85.50"
    assert body["marks"] == []
    read = client.get(made.headers["Location"], headers=head).get_json()
    assert read["title"] == "Embung desa"
    listed = client.get(
        "/api/v1/proposals?field=infrastructure&sort=budget&order=asc", headers=head
    )
    assert [p["title"] for p in listed.get_json()["items"]] == [
        "Embung desa",
        "Pembangunan jalan desa",
    ]
    assert listed.get_json()["total"] == 2
    patched = client.patch(f"/api/v1/proposals/{body['id']}", headers=head, json={"budget": "abc"})
    assert patched.status_code == 422
    assert "budget" in patched.get_json()["errors"]
    patched = client.patch(
        f"/api/v1/proposals/{body['id']}", headers=head, json={"budget": 2_000_000}
    )
    assert patched.get_json()["budget"] == 2_000_000
    assert patched.get_json()["title"] == "Embung desa"
    merged = client.post(
        f"/api/v1/proposals/{scene.twin.id}/merge", headers=head, json={"into_id": scene.road.id}
    )
    assert merged.get_json()["status"] == "merged"

    rows = [
        {
            "title": "Pasar desa",
            "village": "Kadi Wanno",
            "field": "ekonomi",
            "fund_source": "apbn",
            "plan_year": 2025,
        },
        {
            "title": "Balai desa",
            "village": "Atlantis",
            "field": "ekonomi",
            "fund_source": "apbn",
            "plan_year": 2025,
            "budget": -5,
        },
        {
            "title": "Sumur bor air bersih",
            "village": "Kadi Wanno",
            "field": "sosial budaya",
            "fund_source": "dana x",
            "plan_year": 2025,
        },
    ]
    refused = client.post("/api/v1/proposals/bulk", headers=head, json={"rows": rows})
    assert refused.status_code == 422
    problems = {(r["line"], r["column"]) for r in refused.get_json()["rows"]}
    assert problems == {(2, "village"), (2, "budget"), (3, "fund_source")}
    rows[1] |= {"village": "Wee Rame", "budget": 0}
    rows[2]["fund_source"] = "APBDes"
    flagged = client.post("/api/v1/proposals/bulk", headers=head, json={"rows": rows})
    assert flagged.status_code == 409
    assert flagged.get_json()["duplicates"] == [
        {"line": 3, "existing_id": scene.well.id, "score": 1.0}
    ]
    done = client.post(
        "/api/v1/proposals/bulk", headers=head, json={"rows": rows, "on_duplicate": "skip"}
    )
    assert done.status_code == 201
    assert done.get_json() == {"created": 2, "skipped": 1}
