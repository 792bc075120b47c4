"""Institutions and memberships: validation, who new work belongs to, and the admin pages
and API that keep them (installation administrators only, every change audited)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from meetcoord.access import services as access
from meetcoord.access.institutions import acting_institution, letterhead_for
from meetcoord.access.models import Institution, MemberRole, Membership
from meetcoord.accounts import services as accounts
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.directory import services as directory
from meetcoord.extensions import db
from meetcoord.meetings import services as meetings
from tests import factories

SBD = "Badan Perencanaan Pembangunan Daerah Kabupaten Sumba Barat Daya"
NTB = "Badan Perencanaan Pembangunan Daerah Provinsi Nusa Tenggara Barat"


def _meeting_data(**extra: Any) -> dict[str, Any]:
    venue = factories.venue(timezone="Asia/Makassar")
    return {
        "title": "Rakor Musrenbang",
        "kind": "coordination",
        "host_venue_id": venue.id,
        **factories.meeting_times("Asia/Makassar"),
        **extra,
    }


@pytest.fixture
def sbd() -> Institution:
    return factories.institution(name=SBD, letter_number_pattern="005/{seq}/SBD/{year}")


@pytest.fixture
def ntb() -> Institution:
    return factories.institution(name=NTB, letter_number_pattern="050/{seq}/NTB/{year}")


# --- validation ------------------------------------------------------------------------------


def test_a_letterhead_is_checked_when_it_is_saved(tmp_path: Any) -> None:
    admin = factories.user("admin")
    with pytest.raises(ValidationError) as refused:
        access.save_institution(
            admin,
            {
                "name": "  ",
                "letter_number_pattern": "005/{nomor}/{year}",
                "logo_path": str(tmp_path / "tidak-ada.png"),
            },
        )
    errors = {key: [str(m) for m in messages] for key, messages in refused.value.errors.items()}
    assert errors["name"] == ["Wajib diisi."]
    assert errors["letter_number_pattern"] == [
        "Pola nomor surat hanya boleh memakai {seq}, {year}, {month} dan {month_roman}."
    ]
    assert errors["logo_path"] == [
        "Logo harus berkas PNG atau JPEG di server, paling besar 4096 piksel per sisi."
    ]
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), "white").save(logo)
    saved = access.save_institution(
        admin,
        {
            "name": "Bappeda Maluku",
            "letter_number_pattern": "050/{seq}/{year}",
            "logo_path": str(logo),
        },
    )
    assert saved.logo_path == str(logo)
    assert saved.sender_name == "Bappeda Maluku"  # no sender name: the institution's


def test_names_are_unique_and_only_admins_keep_institutions(sbd: Institution) -> None:
    with pytest.raises(Conflict):
        access.save_institution(
            factories.user("admin"),
            {"name": SBD.upper() + " ", "letter_number_pattern": "1/{seq}/{year}"},
        )
    with pytest.raises(PermissionDenied):
        access.save_institution(
            factories.user("secretariat"), {"name": "X", "letter_number_pattern": "{seq}/{year}"}
        )


# --- who new work belongs to -----------------------------------------------------------------


def test_a_meeting_belongs_to_its_secretariats_institution(sbd: Institution) -> None:
    staff = factories.user("secretariat", institution=sbd)
    meeting = meetings.create_meeting(staff, _meeting_data())
    assert meeting.institution_id == sbd.id
    assert letterhead_for(meeting).name == SBD
    forum = directory.save_forum(staff, {"name": "Forum BangKIT Uji"})
    assert forum.institution_id == sbd.id


def test_staff_of_one_institution_cannot_file_under_another(
    sbd: Institution, ntb: Institution
) -> None:
    staff = factories.user("secretariat", institution=ntb)
    with pytest.raises(ValidationError) as refused:
        meetings.create_meeting(staff, _meeting_data(institution_id=sbd.id))
    assert [str(m) for m in refused.value.errors["institution_id"]] == [
        "Anda bukan sekretariat penyelenggara ini."
    ]
    with pytest.raises(ValidationError):
        directory.save_forum(staff, {"name": "Forum Lain", "institution_id": sbd.id})
    with pytest.raises(ValidationError) as unknown:
        meetings.create_meeting(staff, _meeting_data(institution_id=999_999))
    assert [str(m) for m in unknown.value.errors["institution_id"]] == [
        "Penyelenggara tidak ditemukan."
    ]


def test_working_for_two_institutions_means_choosing(sbd: Institution, ntb: Institution) -> None:
    staff = factories.user("secretariat", institution=ntb)
    factories.membership(staff, sbd, MemberRole.SECRETARIAT)
    with pytest.raises(ValidationError) as refused:
        meetings.create_meeting(staff, _meeting_data())
    assert [str(m) for m in refused.value.errors["institution_id"]] == [
        "Pilih penyelenggara: Anda bekerja untuk lebih dari satu."
    ]
    meeting = meetings.create_meeting(staff, _meeting_data(institution_id=str(sbd.id)))
    assert meeting.institution_id == sbd.id


def test_a_viewer_membership_creates_nothing(sbd: Institution, ntb: Institution) -> None:
    """Secretariat by account but only a viewer of SBD: nothing can be filed there."""
    staff = factories.user("secretariat", institution=sbd)
    db.session.scalars(
        select(Membership).where(Membership.user_id == staff.id)
    ).one().role = MemberRole.VIEWER
    with pytest.raises(PermissionDenied):
        acting_institution(staff)
    with pytest.raises(PermissionDenied):
        meetings.create_meeting(staff, _meeting_data())
    with pytest.raises(PermissionDenied):
        meetings.create_meeting(factories.user("secretariat", member=False), _meeting_data())


def test_an_installation_admin_may_file_under_any_institution(
    sbd: Institution, ntb: Institution
) -> None:
    admin = factories.user("admin", member=False)
    meeting = meetings.create_meeting(admin, _meeting_data(institution_id=ntb.id))
    assert meeting.institution_id == ntb.id


def test_a_cohost_is_another_institution(sbd: Institution, ntb: Institution) -> None:
    staff = factories.user("secretariat", institution=ntb)
    meeting = meetings.create_meeting(staff, _meeting_data(cohost_institution_id=sbd.id))
    assert (meeting.institution_id, meeting.cohost_institution_id) == (ntb.id, sbd.id)
    with pytest.raises(ValidationError) as refused:
        meetings.update_meeting(staff, meeting, {"cohost_institution_id": ntb.id})
    assert [str(m) for m in refused.value.errors["cohost_institution_id"]] == [
        "Penyelenggara bersama harus lembaga lain."
    ]
    meetings.update_meeting(staff, meeting, {"cohost_institution_id": ""})
    assert meeting.cohost_institution_id is None


def test_a_new_account_joins_the_only_institution(app: Flask) -> None:
    """One Bappeda, one installation: nobody has to set memberships by hand."""
    others = db.session.scalar(select(Institution.id).order_by(Institution.id).offset(1))
    assert others is None, "the test database holds only the migration's institution"
    user = accounts.create_user(
        None,
        email="baru@bappeda.example",
        name="Staf Baru",
        password="Rahasia-Uji-2026",
        role="viewer",
    )
    roles = [
        (m.institution_id, m.role)
        for m in db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    ]
    assert roles == [(factories.default_institution().id, MemberRole.VIEWER)]
    factories.institution()
    second = accounts.create_user(
        None,
        email="lain@bappeda.example",
        name="Staf Lain",
        password="Rahasia-Uji-2026",
        role="secretariat",
    )
    assert db.session.scalars(select(Membership).where(Membership.user_id == second.id)).all() == []


# --- admin pages and API ---------------------------------------------------------------------


def test_admin_pages_list_create_and_keep_members(auth: Any, sbd: Institution) -> None:
    auth.login("admin")
    listed = auth.client.get("/admin/institutions?q=Sumba")
    assert listed.status_code == 200
    assert SBD in listed.get_data(as_text=True)
    empty = auth.client.get("/admin/institutions?q=tidak-ada-yang-cocok")
    assert "Tidak ada data yang cocok dengan pencarian ini." in empty.get_data(as_text=True)

    refused = auth.post(
        "/admin/institutions/new", {"name": "Bappenas", "letter_number_pattern": "B-{seq}"}
    )
    assert refused.status_code == 422
    assert "Pola nomor surat harus memuat {seq} dan {year}." in refused.get_data(as_text=True)
    created = auth.post(
        "/admin/institutions/new",
        {"name": "Bappenas", "letter_number_pattern": "B-{seq}/{year}", "city": "Jakarta"},
    )
    assert created.status_code == 302
    bappenas = db.session.scalars(select(Institution).where(Institution.name == "Bappenas")).one()

    staff = factories.user("secretariat", member=False)
    added = auth.post(
        f"/admin/institutions/{bappenas.id}/members",
        {"user_id": str(staff.id), "role": "secretariat"},
    )
    assert added.status_code == 302
    again = auth.post(
        f"/admin/institutions/{bappenas.id}/members",
        {"user_id": str(staff.id), "role": "viewer"},
    )
    assert again.status_code == 409
    membership = db.session.scalars(select(Membership).where(Membership.user_id == staff.id)).one()
    assert membership.role is MemberRole.SECRETARIAT
    page = auth.client.get(f"/admin/institutions/{bappenas.id}").get_data(as_text=True)
    assert staff.email in page
    audited = db.session.scalars(
        select(AuditEntry.entity_type).where(AuditEntry.action == "create")
    ).all()
    assert {"institutions", "institution_memberships"} <= set(audited)


def test_admin_pages_are_for_administrators_only(auth: Any) -> None:
    auth.login("secretariat")
    assert auth.client.get("/admin/institutions").status_code == 403


def test_api_twin(client: Any, api_token: Any, sbd: Institution) -> None:
    _admin, headers = api_token("admin")
    bad = client.post(
        "/api/v1/institutions",
        json={"name": "Bappeda Maluku", "letter_number_pattern": "{seq:xyz}/{year}"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.get_json()["errors"]["letter_number_pattern"] == ["Pola nomor surat tidak valid."]
    made = client.post(
        "/api/v1/institutions",
        json={"name": "Bappeda Maluku", "letter_number_pattern": "050/{seq}/{year}"},
        headers=headers,
    )
    assert made.status_code == 201
    maluku = made.get_json()["id"]
    assert made.headers["Location"].endswith(f"/api/v1/institutions/{maluku}")
    staff = factories.user("viewer", member=False)
    member = client.post(
        f"/api/v1/institutions/{maluku}/members",
        json={"user_id": staff.id, "role": "viewer"},
        headers=headers,
    )
    assert member.status_code == 201
    changed = client.patch(
        f"/api/v1/institutions/{maluku}/members/{member.get_json()['id']}",
        json={"role": "secretariat"},
        headers=headers,
    )
    assert changed.get_json()["role"] == "secretariat"
    listing = client.get("/api/v1/institutions?q=maluku", headers=headers).get_json()
    assert [row["name"] for row in listing["items"]] == ["Bappeda Maluku"]
    assert listing["items"][0]["member_count"] == 1

    _staff, staff_headers = api_token("secretariat")
    assert client.get("/api/v1/institutions", headers=staff_headers).status_code == 403


def test_meetings_api_shows_and_takes_the_owner(
    client: Any, api_token: Any, sbd: Institution, ntb: Institution
) -> None:
    user, headers = api_token("secretariat")  # a member of the default institution
    factories.membership(user, ntb, MemberRole.SECRETARIAT)
    data = _meeting_data(institution_id=ntb.id, cohost_institution_id=sbd.id)
    created = client.post("/api/v1/meetings", json=data, headers=headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["institution_id"], body["cohost_institution_id"]) == (ntb.id, sbd.id)
    foreign = client.post(
        "/api/v1/meetings", json=_meeting_data(institution_id=sbd.id), headers=headers
    )
    assert foreign.status_code == 422
    assert foreign.get_json()["errors"]["institution_id"] == [
        "Anda bukan sekretariat penyelenggara ini."
    ]


def test_the_api_twin_refuses_a_secretariat_and_stores_nothing(
    client: Any, api_token: Any, sbd: Institution
) -> None:
    """Only an administrator of the installation keeps institutions and memberships: a
    secretariat's token may not list, create, change or join one, over the API too."""
    staff, headers = api_token("secretariat")
    before = (
        db.session.scalar(select(func.count()).select_from(Institution)),
        db.session.scalar(select(func.count()).select_from(Membership)),
        sbd.name,
    )
    answers = [
        client.get("/api/v1/institutions", headers=headers),
        client.post(
            "/api/v1/institutions",
            json={"name": "Bappeda Palsu", "letter_number_pattern": "{seq}/{year}"},
            headers=headers,
        ),
        client.patch(f"/api/v1/institutions/{sbd.id}", json={"name": "Diubah"}, headers=headers),
        client.post(
            f"/api/v1/institutions/{sbd.id}/members",
            json={"user_id": staff.id, "role": "admin"},
            headers=headers,
        ),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    db.session.expire_all()
    after = (
        db.session.scalar(select(func.count()).select_from(Institution)),
        db.session.scalar(select(func.count()).select_from(Membership)),
        db.session.get(Institution, sbd.id).name,
    )
    assert after == before
