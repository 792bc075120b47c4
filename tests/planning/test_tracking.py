"""Public tracking of proposals: off by default, on shows a village's proposals with their
path through the meetings and nothing personal, off again answers the same 404; only the
institution's own working staff switch it, and every switch is audited."""

from __future__ import annotations

from dataclasses import dataclass

from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.access.models import Institution
from meetcoord.accounts.models import Role, User
from meetcoord.actions.models import ActionStatus
from meetcoord.core.audit import AuditEntry
from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from meetcoord.meetings.models import MeetingStatus
from meetcoord.planning.models import (
    Confirmation,
    MarkOutcome,
    PlanningForum,
    ProposalStatus,
    SyncMark,
)
from meetcoord.planning.tracking import ProposalTracking
from tests import factories
from tests.actions import support as actions
from tests.conftest import AuthActions
from tests.planning import support

PROPOSER = "Maria Goreti Nenobais"
MARKER = "Yosef Ndolu Lakapu"
CONFIRMER = "Agustinus Bili Bora"
CONTACT = ("Elisabeth Kaka Ngongo", "elisabeth.ngongo@pertanian.example.go.id", "081234567890")
LOURA = "Kecamatan Loura, Kabupaten Sumba Barat Daya"


@dataclass
class Scene:
    staff: User
    institution: Institution
    karuni: Organization
    waimangura: Organization


def mark(meeting_id: int, proposal_id: int, **fields: object) -> None:
    db.session.add(
        SyncMark(meeting_id=meeting_id, proposal_id=proposal_id, marked_by=MARKER, **fields)
    )


def seed() -> Scene:
    """A held synchronisation meeting of the default institution that marked four of a
    village's five proposals, a follow-up action owed by a named contact, and proposals
    of another village and of another institution."""
    staff = factories.user(Role.SECRETARIAT)
    inst = factories.default_institution()
    venue = factories.venue(name="Aula Bappeda Sumba Barat Daya", city="Tambolaka")
    meeting = factories.meeting(
        by=staff,
        venue=venue,
        title="Sinkronisasi Rencana Penghidupan Desa",
        start_at="2025-03-11T09:00",
        end_at="2025-03-11T12:00",
    )
    meeting.status = MeetingStatus.CLOSED
    karuni = support.village("Desa Karuni", region=LOURA)
    waimangura = support.village("Desa Waimangura", region="Kecamatan Wewewa Barat")
    agency = factories.organization(name="Dinas Pertanian Kabupaten Sumba Barat Daya")
    contact = factories.person(
        name=CONTACT[0], email=CONTACT[1], phone=CONTACT[2], organization_id=agency.id
    )
    common = {"village_id": karuni.id, "proposer_name": PROPOSER}
    garden = support.proposal(
        inst, "Kebun sayur kelompok wanita tani", status=ProposalStatus.ACCOMMODATED, **common
    )
    pond = support.proposal(inst, "Embung desa", status=ProposalStatus.CARRIED, **common)
    dryer = support.proposal(
        inst, "Rumah pengering kopi", status=ProposalStatus.NOT_ACCOMMODATED, **common
    )
    seeds = support.proposal(
        inst,
        "Benih sayur untuk kelompok tani",
        status=ProposalStatus.MERGED,
        merged_into_id=garden.id,
        **common,
    )
    support.proposal(inst, "Sekolah lapang iklim", plan_year=2026, **common)
    support.proposal(inst, "Jalan usaha tani Waimangura", village_id=waimangura.id)
    support.proposal(factories.institution(), "Usulan institusi lain", village_id=karuni.id)
    action = actions.action(
        meeting,
        title="Menyalurkan benih hortikultura",
        organization_id=agency.id,
        person_id=contact.id,
        status=ActionStatus.IN_PROGRESS,
    )
    mark(
        meeting.id,
        garden.id,
        outcome=MarkOutcome.ACCOMMODATED,
        organization_id=agency.id,
        programme="Program Penyediaan Sarana Pertanian",
        activity="Penyediaan benih hortikultura",
        plan_document="RKPD 2025",
        plan_year=2025,
        amount=38_500_000,
        confirmation=Confirmation.CONFIRMED,
        confirmed_by=CONFIRMER,
        action_id=action.id,
    )
    mark(meeting.id, pond.id, outcome=MarkOutcome.CARRIED, carried_to=PlanningForum.MUSRENBANGKAB)
    mark(
        meeting.id,
        dryer.id,
        outcome=MarkOutcome.NOT_ACCOMMODATED,
        reason="pagu Dinas Pertanian 2025 sudah penuh",
    )
    mark(meeting.id, seeds.id, outcome=MarkOutcome.MERGED, merged_with_id=garden.id)
    db.session.commit()
    return Scene(staff, inst, karuni, waimangura)


def switch(auth: AuthActions, institution_id: int, state: str) -> str:
    """Through the confirmation page, as staff do; the public address."""
    path = f"/planning/tracking/{institution_id}"
    assert auth.client.get(path).status_code == 200
    response = auth.post(path, {"state": state})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    found = db.session.get(ProposalTracking, institution_id)
    return f"/t/{found.slug}"


def assert_nothing_personal(text: str) -> None:
    for value in (PROPOSER, MARKER, CONFIRMER, *CONTACT):
        assert value not in text, value
    assert "/i/" not in text


def test_off_by_default_on_shows_a_villages_proposals_off_again_404(
    client: FlaskClient, auth: AuthActions
) -> None:
    s = seed()
    assert db.session.scalars(select(ProposalTracking)).all() == []
    unknown = client.get("/t/tidak-ada-halaman-ini")
    assert unknown.status_code == 404
    assert client.get("/api/v1/public/tracking/tidak-ada-halaman-ini").status_code == 404

    auth.login(user=s.staff)
    overview = auth.client.get("/planning/tracking").get_data(as_text=True)
    assert f'href="/planning/tracking/{s.institution.id}"' in overview
    assert "Tidak aktif" in overview
    url = switch(auth, s.institution.id, "on")
    assert len(url) > 20  # a random slug, not the institution's id

    public = FlaskClient(client.application)  # a stranger: no session, no cookie
    first = public.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in first.headers
    html = first.get_data(as_text=True)
    assert LOURA in html
    assert "Kebun sayur" not in html
    region = public.get(url, query_string={"region": LOURA}).get_data(as_text=True)
    assert f"village_id={s.karuni.id}" in region

    shown = public.get(url, query_string={"village_id": s.karuni.id})
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    for expected in (
        "Kebun sayur kelompok wanita tani",
        "Dibahas",
        "Sinkronisasi Rencana Penghidupan Desa",
        "Selasa, 11 Maret 2025",
        "09.00",
        "WITA",
        "Diakomodasi dalam Dinas Pertanian Kabupaten Sumba Barat Daya",
        "Penyediaan benih hortikultura (RKPD 2025)",
        "Rp 38.500.000",
        "Dikonfirmasi instansi",
        "Menyalurkan benih hortikultura",
        "Sedang dikerjakan",
        "Dibawa ke Musrenbang Kabupaten",
        "Tidak diakomodasi karena pagu Dinas Pertanian 2025 sudah penuh",
        "Digabung dengan usulan: Kebun sayur kelompok wanita tani",
        "Diajukan untuk tahun rencana 2026",
    ):
        assert expected in html, expected
    assert "Jalan usaha tani Waimangura" not in html
    assert "Usulan institusi lain" not in html
    assert_nothing_personal(html)

    found = public.get(url, query_string={"q": "waimangura"}).get_data(as_text=True)
    assert "Jalan usaha tani Waimangura" in found
    assert "Embung desa" not in found

    english = public.get(url, query_string={"village_id": s.karuni.id, "lang": "en"})
    text = english.get_data(as_text=True)
    assert '<html lang="en">' in text
    assert "Carried to" in text
    assert "Tuesday, 11 March 2025" in text

    api = f"/api/v1/public/tracking/{url[3:]}"
    data = public.get(api, query_string={"village_id": s.karuni.id})
    assert data.status_code == 200
    assert data.headers["Cache-Control"] == "public, max-age=300"
    body = data.get_json()
    paths = {p["title"]: [step["stage"] for step in p["path"]] for p in body["proposals"]}
    assert paths["Kebun sayur kelompok wanita tani"] == [
        "submitted",
        "discussed",
        "accommodated",
        "action",
    ]
    assert paths["Embung desa"] == ["submitted", "discussed", "carried"]
    assert paths["Sekolah lapang iklim"] == ["submitted"]
    assert len(paths) == 5
    garden = next(p for p in body["proposals"] if p["title"].startswith("Kebun sayur"))
    discussed = garden["path"][1]
    assert (discussed["zone_label"], discussed["timezone"]) == ("WITA", "Asia/Makassar")
    assert_nothing_personal(data.get_data(as_text=True))

    assert public.get(api, query_string={"village_id": "abc"}).status_code == 400
    assert public.get(api, query_string={"village_id": 999999}).status_code == 404
    assert public.get(url, query_string={"village_id": "abc"}).status_code == 400

    switch(auth, s.institution.id, "off")
    closed = public.get(url)
    assert closed.status_code == 404
    assert closed.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert public.get(api).status_code == 404

    audited = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "proposal_trackings")
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor_id, e.entity_id) for e in audited] == [
        ("proposal_tracking.enable", s.staff.id, s.institution.id),
        ("proposal_tracking.disable", s.staff.id, s.institution.id),
    ]
    assert switch(auth, s.institution.id, "on") == url  # the same address again


def test_another_institution_s_staff_cannot_toggle_and_a_viewer_only_looks(
    client: FlaskClient, auth: AuthActions
) -> None:
    s = seed()
    outsider = factories.user(Role.SECRETARIAT, institution=factories.institution())
    headers = actions.bearer(outsider)
    api = f"/api/v1/institutions/{s.institution.id}/proposal-tracking"
    for method in (client.get, client.put, client.delete):
        assert method(api, headers=headers).status_code == 404
    auth.login(user=outsider)
    path = f"/planning/tracking/{s.institution.id}"
    assert auth.client.get(path).status_code == 404
    assert auth.post(path, {"state": "on"}).status_code == 404
    listed = auth.client.get("/planning/tracking").get_data(as_text=True)
    assert f'href="{path}"' not in listed
    auth.logout()

    viewer = factories.user(Role.VIEWER)
    assert client.put(api, headers=actions.bearer(viewer)).status_code == 403
    assert client.get("/planning/tracking/999999", headers=headers).status_code == 404
    assert db.session.scalars(select(ProposalTracking)).all() == []
    assert (
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "proposal_trackings")
        ).all()
        == []
    )

    own = actions.bearer(s.staff)
    assert client.get(api, headers=own).get_json()["enabled"] is False
    turned = client.put(api, headers=own)
    assert turned.status_code == 200
    assert turned.get_json()["enabled"] is True
    slug = turned.get_json()["url"].rsplit("/", 1)[1]
    assert client.get(f"/api/v1/public/tracking/{slug}").status_code == 200
    assert client.delete(api, headers=own).get_json()["enabled"] is False
    assert client.get(f"/t/{slug}").status_code == 404


def test_neither_on_nor_off_is_refused_and_changes_nothing(auth: AuthActions) -> None:
    s = seed()
    auth.login(user=s.staff)
    refused = auth.post(f"/planning/tracking/{s.institution.id}", {"state": "maybe"})
    assert refused.status_code == 400
    assert "Pilih membuka atau menutup" in refused.get_data(as_text=True)
    assert db.session.scalars(select(ProposalTracking)).all() == []
