"""The evaluation on a small seeded set: per village figures, the agencies' ranking with
its parts, ties, the pages (list, village, dashboard) and the API, and another
institution's staff seeing none of this institution's work."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.actions.models import ActionStatus
from meetcoord.extensions import db
from meetcoord.planning import guidance, village_dashboard, villages
from meetcoord.planning.models import MarkOutcome, ProposalStatus, SyncMark
from tests import factories
from tests.actions import support as action_support
from tests.actions.support import bearer
from tests.conftest import AuthActions
from tests.helpers import reads
from tests.planning import support


class Seed:
    """Two agencies of the default institution guiding three villages; one unguided."""

    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT)
        self.dinas_a = factories.organization(name="Dinas Pertanian Uji A")
        self.dinas_b = factories.organization(name="Dinas Sosial Uji B")
        self.wee = support.village("Desa Wee Rame")
        self.kalena = support.village("Desa Kalena Wanno")
        self.tena = support.village("Desa Tena Teke", region="Kabupaten Sumba Timur")
        self.free = support.village("Desa Lolo Ole")
        start = {"starts_on": date(2020, 1, 1), "decree_number": "050/7/2020"}
        start["decree_date"] = date(2019, 12, 1)
        guidance.assign(
            self.staff,
            {
                "organization_id": self.dinas_a.id,
                "village_ids": [self.wee.id, self.kalena.id],
                **start,
            },
        )
        guidance.assign(
            self.staff, {"organization_id": self.dinas_b.id, "village_ids": [self.tena.id], **start}
        )
        for village, first, second in (
            (self.wee, "0.60", "0.65"),
            (self.kalena, "0.70", "0.68"),
            (self.tena, "0.50", "0.53"),
        ):
            villages.record_idm(self.staff, village, {"year": 2023, "score": first})
            villages.record_idm(self.staff, village, {"year": 2024, "score": second})
        self.meeting = factories.meeting(by=self.staff, title="Musrenbang Kecamatan Uji")
        mk = action_support.action
        self.open_wee = mk(
            self.meeting, title="Bangun embung", locus="Wee Rame", organization_id=self.dinas_a.id
        )
        mk(
            self.meeting,
            title="Pelatihan tani",
            locus="Desa Wee Rame",
            status=ActionStatus.DONE,
            organization_id=self.dinas_a.id,
        )
        from_mark = mk(
            self.meeting,
            title="Sumur bor",
            status=ActionStatus.VERIFIED,
            organization_id=self.dinas_a.id,
        )
        mk(self.meeting, title="Jalan tani", locus="Tena Teke", organization_id=self.dinas_b.id)
        mk(
            self.meeting,
            title="Dihentikan",
            locus="Tena Teke",
            status=ActionStatus.DROPPED,
            organization_id=self.dinas_b.id,
        )
        accepted = ProposalStatus.ACCOMMODATED
        self.embung = support.proposal(
            factories.default_institution(),
            "Embung desa",
            village_id=self.wee.id,
            status=accepted,
            budget=1,
        )
        sumur = support.proposal(
            factories.default_institution(), "Sumur bor", village_id=self.kalena.id
        )
        tena_1 = support.proposal(
            factories.default_institution(), "Jalan", village_id=self.tena.id, status=accepted
        )
        support.proposal(
            factories.default_institution(),
            "Pasar",
            village_id=self.tena.id,
            status=accepted,
            budget=30_000_000,
        )
        for proposal, amount, action in (
            (self.embung, 100_000_000, None),
            (sumur, None, from_mark.id),
            (tena_1, 20_000_000, None),
        ):
            outcome = MarkOutcome.ACCOMMODATED if amount else MarkOutcome.CARRIED
            db.session.add(
                SyncMark(
                    meeting_id=self.meeting.id,
                    proposal_id=proposal.id,
                    outcome=outcome,
                    amount=amount,
                    action_id=action,
                )
            )
        db.session.flush()


def test_figures_per_village_and_ranking_with_parts() -> None:
    seed = Seed()
    board = village_dashboard.dashboard(seed.staff)
    lines = {line.village: line for line in board.villages}
    assert set(lines) == {"Desa Wee Rame", "Desa Kalena Wanno", "Desa Tena Teke"}
    wee, kalena, tena = lines["Desa Wee Rame"], lines["Desa Kalena Wanno"], lines["Desa Tena Teke"]
    assert (wee.open_actions, wee.done_actions, wee.accommodated, wee.amount) == (
        1,
        1,
        1,
        100_000_000,
    )
    assert (kalena.open_actions, kalena.done_actions, kalena.accommodated) == (0, 1, 0)
    assert (tena.open_actions, tena.counted_actions, tena.accommodated, tena.amount) == (
        1,
        1,
        2,
        50_000_000,
    )
    assert [wee.movement.value, kalena.movement.value, tena.movement.value] == ["up", "down", "up"]
    first, second = board.ranking
    assert (first.agency, first.rank, first.tied) == ("Dinas Pertanian Uji A", 1, False)
    # A: IDM 100 × mean(+0.05, −0.02) = 1.50; actions 10 × 2/3 = 6.67; proposals 1/2 = 0.50
    assert (first.idm_points, first.action_points, first.proposal_points) == (
        Decimal("1.50"),
        Decimal("6.67"),
        Decimal("0.50"),
    )
    assert first.score == Decimal("8.67")
    # B: IDM 3.00; actions 0/1 (the dropped one does not count); proposals 2/1
    assert (second.idm_points, second.action_points, second.proposal_points) == (
        Decimal("3.00"),
        Decimal("0.00"),
        Decimal("2.00"),
    )
    assert second.rank == 2


def test_ties_share_a_rank_and_are_ordered_by_their_parts() -> None:
    line = village_dashboard.VillageLine
    same = (2023, Decimal("0.6"), None)
    lines = [
        line(1, "V1", None, 10, "Zeta", done_actions=1, counted_actions=1),  # 10 action points
        line(
            2,
            "V2",
            None,
            20,
            "Alfa",
            previous=(2023, Decimal("0.5"), None),
            latest=(2024, Decimal("0.6"), None),
        ),
        line(3, "V3", None, 30, "Beta", previous=same, latest=same),
    ]
    ranked = village_dashboard.rank(lines)
    assert [(a.agency, a.rank, a.tied) for a in ranked] == [
        ("Alfa", 1, True),  # 10 IDM points: ahead of Zeta within the tie
        ("Zeta", 1, True),
        ("Beta", 3, False),
    ]


def test_another_institution_sees_nothing_of_it() -> None:
    seed = Seed()
    stranger = factories.user(Role.SECRETARIAT, institution=factories.institution())
    assert village_dashboard.dashboard(stranger).villages == []
    page = villages.village_page(stranger, seed.wee)
    assert (page["assignments"], page["proposals"], page["actions"], page["meetings"]) == (
        [],
        [],
        [],
        [],
    )
    assert [h.year for h in page["history"]] == [2023, 2024]  # IDM is the directory's


def test_pages_show_the_village_and_the_dashboard(client: FlaskClient, auth: AuthActions) -> None:
    seed = Seed()
    auth.login(user=seed.staff)
    listed = client.get("/villages?guided=0")
    assert "Desa Lolo Ole" in listed.get_data(as_text=True)
    assert "Desa Wee Rame" not in listed.get_data(as_text=True)
    by_agency = client.get(f"/villages?organization_id={seed.dinas_b.id}").get_data(as_text=True)
    assert "Desa Tena Teke" in by_agency
    assert "Desa Wee Rame" not in by_agency
    html = client.get(f"/villages/{seed.wee.id}").get_data(as_text=True)
    for text in (
        "0.6500",
        "050/7/2020",
        "Dinas Pertanian Uji A",
        "Embung desa",
        "Bangun embung",
        "Pelatihan tani",
        "Musrenbang Kecamatan Uji",
        "<svg",
    ):
        assert text in html, text
    assert "Sumur bor" not in html  # Kalena's
    board = client.get("/villages/dashboard").get_data(as_text=True)
    assert "8.67" in board
    assert "5.00" in board
    assert client.get(f"/villages/{seed.dinas_a.id}").status_code == 404  # not a village
    english = reads(client, "en").get("/villages/dashboard")
    assert "Ranking of guiding agencies" in english.get_data(as_text=True)
    refused = client.post(
        f"/api/v1/villages/{seed.wee.id}/idm",
        json={"year": 2024, "score": 0.9},
        headers=bearer(seed.staff) | {"Accept-Language": "en"},
    )
    assert "tick the confirmation" in refused.get_json()["detail"]


def test_idm_form_refuses_then_replaces_with_confirmation(
    client: FlaskClient, auth: AuthActions
) -> None:
    seed = Seed()
    auth.login(user=seed.staff)
    url = f"/villages/{seed.wee.id}/idm"
    refused = auth.post(url, {"year": "2024", "score": "0.9"})
    assert refused.status_code == 409
    assert villages.idm_history(seed.wee)[-1].score == Decimal("0.6500")
    assert auth.post(url, {"year": "2024", "score": "1,9"}).status_code == 422
    assert auth.post(url, {"year": "2024", "score": "0.9", "replace": "1"}).status_code == 302
    assert villages.idm_history(seed.wee)[-1].score == Decimal("0.9000")


def test_api_villages_idm_import_and_dashboard(client: FlaskClient) -> None:
    seed = Seed()
    headers = bearer(seed.staff)
    listed = client.get("/api/v1/villages?status=developing&per_page=1", headers=headers).get_json()
    assert (listed["total"], listed["pages"]) == (2, 2)  # Wee Rame 0.65 and Kalena 0.68
    one = client.get(f"/api/v1/villages/{seed.wee.id}", headers=headers).get_json()
    assert [(r["year"], r["score"]) for r in one["idm"]] == [(2023, "0.6000"), (2024, "0.6500")]
    assert one["assignments"][0]["decree_number"] == "050/7/2020"
    newest = client.get(
        f"/api/v1/villages/{seed.wee.id}/idm?sort=year&order=desc&per_page=1", headers=headers
    ).get_json()
    assert (newest["pages"], [r["year"] for r in newest["items"]]) == (2, [2024])
    url = f"/api/v1/villages/{seed.free.id}/idm"
    made = client.post(
        url, json={"year": 2024, "score": 0.6, "status": "advanced"}, headers=headers
    )
    assert made.status_code == 201
    assert made.get_json()["status_matches_score"] is False
    assert client.post(url, json={"year": 2024, "score": 0.61}, headers=headers).status_code == 409
    bad = client.post(url, json={"year": 2025, "score": 2}, headers=headers)
    assert bad.status_code == 422
    assert "score" in bad.get_json()["errors"]
    assert client.get(url, headers=headers).get_json()["total"] == 1
    csv = b"desa;tahun;skor\nDesa Lolo Ole;2025;0,62\nDesa Entah;2025;0,5\n"
    upload = client.post(
        "/api/v1/villages/idm/import",
        data={"file": (io.BytesIO(csv), "idm.csv")},
        headers=headers,
    )
    assert upload.status_code == 422
    assert "row 3.village" in upload.get_json()["errors"]
    good = csv.split(b"\n")[:2]
    upload = client.post(
        "/api/v1/villages/idm/import",
        data={"file": (io.BytesIO(b"\n".join(good)), "idm.csv")},
        headers=headers,
    )
    assert upload.status_code == 201
    assert upload.get_json()["created"] == 1
    board: dict[str, Any] = client.get("/api/v1/villages/dashboard", headers=headers).get_json()
    assert [(a["agency"], a["score"]) for a in board["ranking"]] == [
        ("Dinas Pertanian Uji A", "8.67"),
        ("Dinas Sosial Uji B", "5.00"),
    ]
    stranger = bearer(factories.user(Role.SECRETARIAT, institution=factories.institution()))
    assert client.get("/api/v1/villages/dashboard", headers=stranger).get_json()["villages"] == []
    assert client.get("/api/v1/villages/999999", headers=headers).status_code == 404
