"""Importing a platform report into a meeting: matched by e-mail then by a unique name,
nothing written before confirm, people already present not duplicated, refused files
change nothing (with messages in Indonesian and English), unmatched participants matched
by hand or dismissed, and the API's upload → preview → confirm for 20 participants."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meetcoord.accounts.models import Role
from meetcoord.checkin import platform_import as service
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.checkin.platform_models import ImportState, Outcome, PlatformImport
from meetcoord.core.audit import AuditEntry
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from tests import factories
from tests.actions.support import bearer
from tests.conftest import AuthActions
from tests.helpers import reads

LIMITS = {"max_bytes": 64 * 1024, "max_rows": 500}
HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def line(name: str, email: str = "", join: str = "09:02:11 AM", leave: str = "10:00:00 AM") -> str:
    return f"{name},{email},09/24/2020 {join},09/24/2020 {leave},58\n"


class Webinar:
    """An online meeting with five invitees: two share a name; one is at the site already."""

    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT)
        self.meeting: Meeting = factories.meeting(by=self.staff)
        person = factories.person
        self.maria = person(name="Maria Goreti", email="maria.goreti@example.go.id")
        self.yohanes = person(name="Yohanes Bili", email="yohanes@example.go.id")
        self.twin_a = person(name="Agus Salim", email="agus.a@example.go.id")
        self.twin_b = person(name="Agus  SALIM", email="agus.b@example.go.id")
        self.here = person(name="Siti Rahma", email="siti@example.go.id")
        self.inv = {
            p.id: factories.invitation(self.meeting, person=p, online=True)
            for p in (self.maria, self.yohanes, self.twin_a, self.twin_b)
        }
        self.inv[self.here.id] = factories.invitation(self.meeting, person=self.here)
        factories.attendance(self.inv[self.here.id])  # checked in at the site
        db.session.commit()

    def report(self) -> bytes:
        return (
            HEADER
            + line("Bu Maria (HP)", "MARIA.GORETI@example.go.id")  # e-mail, another name
            + line("Yohanes  bili")  # no e-mail: the name, case and spaces aside
            + line("Agus Salim", "agus.personal@gmail.example")  # two invitees by that name
            + line("Siti Rahma", "siti@example.go.id")  # already at the site
            + line("Operator Zoom", "operator@vendor.example")  # nobody invited
            + line("Bu Maria (HP)", "maria.goreti@example.go.id", "10:10:00 AM", "11:00:00 AM")
        ).encode()


@pytest.fixture
def webinar() -> Webinar:
    return Webinar()


def test_preview_matches_by_email_then_unique_name_and_saves_nothing_until_confirmed(
    webinar: Webinar,
) -> None:
    imported = service.upload(
        webinar.staff, webinar.meeting, webinar.report(), filename="zoom.csv", zone=None, **LIMITS
    )
    assert imported.state is ImportState.DRAFT
    assert imported.zone == "Asia/Makassar"  # the host venue's, by default
    outcomes = {p.name: p.outcome for p in imported.participants}
    assert outcomes == {
        "Bu Maria (HP)": Outcome.MATCHED,
        "Yohanes bili": Outcome.MATCHED,
        "Agus Salim": Outcome.AMBIGUOUS,
        "Siti Rahma": Outcome.ALREADY,
        "Operator Zoom": Outcome.UNMATCHED,
    }
    assert service.summary(imported).as_dict() == {
        "participants": 5,
        "matched": 2,
        "already": 1,
        "unmatched": 2,
        "manual": 0,
        "dismissed": 0,
    }
    # Nothing in the attendance yet: only the site check-in of before.
    assert count(Attendance) == 1

    done = service.confirm(webinar.staff, webinar.meeting, imported)
    assert (done.matched, done.already, done.unmatched) == (2, 1, 2)
    rows = db.session.scalars(
        select(Attendance).where(Attendance.method == CheckinMethod.PLATFORM)
    ).all()
    assert {a.person_id for a in rows} == {webinar.maria.id, webinar.yohanes.id}
    maria = next(a for a in rows if a.person_id == webinar.maria.id)
    assert maria.site_id is None
    # 09:02:11 WITA (the host's zone), the earlier of Maria's two joins.
    assert maria.checked_in_at.isoformat() == "2020-09-24T01:02:11+00:00"
    assert maria.checked_out_at.isoformat() == "2020-09-24T03:00:00+00:00"
    assert count(Attendance) == 3  # Siti not duplicated
    assert [p.name for p in service.waiting(webinar.meeting)] == ["Agus Salim", "Operator Zoom"]
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "platform_imports")
    ).all()
    assert sorted(actions) == ["confirm", "upload"]
    with pytest.raises(Exception, match="sudah dikonfirmasi"):
        service.confirm(webinar.staff, webinar.meeting, imported)


def test_someone_checked_in_between_preview_and_confirm_is_not_duplicated(
    webinar: Webinar,
) -> None:
    imported = service.upload(
        webinar.staff, webinar.meeting, webinar.report(), filename=None, zone=None, **LIMITS
    )
    factories.attendance(webinar.inv[webinar.yohanes.id])
    db.session.commit()
    done = service.confirm(webinar.staff, webinar.meeting, imported)
    assert (done.matched, done.already) == (1, 2)
    assert count(Attendance) == 3


def test_the_zone_chosen_decides_the_times(webinar: Webinar) -> None:
    imported = service.upload(
        webinar.staff,
        webinar.meeting,
        webinar.report(),
        filename=None,
        zone="Asia/Jakarta",
        **LIMITS,
    )
    maria = next(p for p in imported.participants if p.email == "maria.goreti@example.go.id")
    assert maria.joined_at.isoformat() == "2020-09-24T02:02:11+00:00"  # 09:02:11 WIB


@pytest.mark.parametrize(
    ("raw", "indonesian", "english"),
    [
        (b"Nama,Jabatan\nMaria,Kepala\n", "Kolom wajib tidak ada", "Required columns missing"),
        (
            HEADER.encode() + "Mar\u00eda,,09/24/2020 09:00 AM,,5\n".encode("latin-1"),
            "bukan CSV teks UTF-8",
            "not a UTF-8 text CSV",
        ),
        (HEADER.encode() + line("Maria").encode() * 2000, "terlalu besar", "too large"),
    ],
)
def test_a_bad_file_is_refused_in_both_languages_and_changes_nothing(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    webinar: Webinar,
    raw: bytes,
    indonesian: str,
    english: str,
) -> None:
    monkeypatch.setitem(app.config, "CSV_MAX_BYTES", LIMITS["max_bytes"])
    auth = AuthActions(client)
    auth.login(user=webinar.staff)
    url = f"/meetings/{webinar.meeting.id}/attendance/platform"
    before = (count(PlatformImport), count(Attendance))
    for language, fragment in (("id", indonesian), ("en", english)):
        reads(client, language)
        response = auth.post(
            url,
            {"file": (io.BytesIO(raw), "laporan.csv"), "zone": "Asia/Makassar"},
            content_type="multipart/form-data",
        )
        assert response.status_code == 422
        assert fragment in response.get_data(as_text=True), language
    client.delete_cookie("lang")  # the API programme has no page and no choice
    api = client.post(
        f"/api/v1/meetings/{webinar.meeting.id}/platform-imports",
        data={"file": (io.BytesIO(raw), "laporan.csv")},
        content_type="multipart/form-data",
        headers=bearer(webinar.staff),
    )
    assert api.status_code == 422
    assert api.content_type == "application/problem+json"
    assert any(indonesian in text for text in api.get_json()["errors"]["file"])
    assert (count(PlatformImport), count(Attendance)) == before


def test_pages_preview_confirm_then_match_by_hand_and_dismiss(
    client: FlaskClient, webinar: Webinar
) -> None:
    auth = AuthActions(client)
    auth.login(user=webinar.staff)
    base = f"/meetings/{webinar.meeting.id}/attendance/platform"
    assert client.get(base).status_code == 200
    uploaded = auth.post(
        base,
        {"file": (io.BytesIO(webinar.report()), "zoom.csv"), "zone": "Asia/Makassar"},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    preview = client.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert 'data-count="matched">2<' in preview
    assert 'data-count="already">1<' in preview
    assert 'data-count="unmatched">2<' in preview
    assert "09.02 WITA" in preview
    assert count(Attendance) == 1
    confirmed = auth.post(uploaded.headers["Location"] + "/confirm")
    assert confirmed.status_code == 302
    assert count(Attendance) == 3

    page = client.get(base).get_data(as_text=True)
    agus, operator = service.waiting(webinar.meeting)
    assert f'data-participant="{agus.id}"' in page
    twin_b = webinar.inv[webinar.twin_b.id]
    matched = auth.post(f"{base}/participants/{agus.id}/match", {"invitation_id": str(twin_b.id)})
    assert matched.status_code == 302
    attendance = db.session.scalar(
        select(Attendance).where(Attendance.person_id == webinar.twin_b.id)
    )
    assert attendance.method is CheckinMethod.PLATFORM
    assert attendance.site_id is None
    assert auth.post(f"{base}/participants/{operator.id}/dismiss").status_code == 302
    assert service.waiting(webinar.meeting) == []
    db.session.expire_all()
    assert db.session.get(type(operator), operator.id).outcome is Outcome.DISMISSED
    # Handled once: a second match or dismissal is refused and changes nothing.
    again = auth.post(f"{base}/participants/{agus.id}/match", {"invitation_id": str(twin_b.id)})
    assert again.status_code == 409
    assert count(Attendance) == 4


def test_another_institution_or_a_viewer_cannot_import(
    client: FlaskClient, webinar: Webinar
) -> None:
    stranger = factories.user(Role.SECRETARIAT, institution=factories.institution())
    viewer = factories.user(Role.VIEWER)
    db.session.commit()
    url = f"/api/v1/meetings/{webinar.meeting.id}/platform-imports"
    data = {"file": (io.BytesIO(webinar.report()), "zoom.csv")}
    answer = client.post(
        url, data=data, content_type="multipart/form-data", headers=bearer(stranger)
    )
    assert answer.status_code == 404
    data = {"file": (io.BytesIO(webinar.report()), "zoom.csv")}
    answer = client.post(url, data=data, content_type="multipart/form-data", headers=bearer(viewer))
    assert answer.status_code == 403
    assert count(PlatformImport) == 0


def test_api_twenty_participants_matched_to_twenty_invitations(client: FlaskClient) -> None:
    staff = factories.user(Role.SECRETARIAT)
    meeting = factories.meeting(by=staff)
    people = [
        factories.person(name=f"Peserta Daring {n:02d}", email=f"daring{n:02d}@example.go.id")
        for n in range(20)
    ]
    for p in people:
        factories.invitation(meeting, person=p, online=True)
    db.session.commit()
    rows = "".join(
        # Half by e-mail (in capitals), half by name only.
        line(p.name, p.email.upper() if n % 2 else "", f"09:{n:02d}:00 AM")
        for n, p in enumerate(people)
    )
    headers = bearer(staff)
    base = f"/api/v1/meetings/{meeting.id}/platform-imports"
    uploaded = client.post(
        f"{base}?zone=Asia/Jakarta",
        data={"file": (io.BytesIO((HEADER + rows).encode()), "zoom.csv")},
        content_type="multipart/form-data",
        headers=headers,
    )
    assert uploaded.status_code == 201, uploaded.get_json()
    body = uploaded.get_json()
    assert (body["state"], body["platform"], body["zone"]) == ("draft", "zoom", "Asia/Jakarta")
    assert body["summary"]["matched"] == 20
    assert count(Attendance) == 0
    preview = client.get(f"{base}/{body['id']}", headers=headers).get_json()
    assert preview["summary"] == body["summary"]
    confirmed = client.post(f"{base}/{body['id']}/confirm", headers=headers)
    assert confirmed.status_code == 200
    assert confirmed.get_json()["state"] == "confirmed"
    assert count(Attendance) == 20
    assert {a.person_id for a in db.session.scalars(select(Attendance))} == {p.id for p in people}
    unmatched = client.get(
        f"/api/v1/meetings/{meeting.id}/platform-participants/unmatched", headers=headers
    )
    assert (unmatched.get_json()["items"], unmatched.get_json()["total"]) == ([], 0)
    again = client.post(f"{base}/{body['id']}/confirm", headers=headers)
    assert again.status_code == 409
    listed = client.get(base, headers=headers).get_json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert (listed["page"], listed["pages"], listed["total"]) == (1, 1, 1)


def test_api_match_dismiss_and_discard(client: FlaskClient, webinar: Webinar) -> None:
    headers = bearer(webinar.staff)
    base = f"/api/v1/meetings/{webinar.meeting.id}"
    draft = client.post(
        f"{base}/platform-imports",
        data={"file": (io.BytesIO(webinar.report()), "zoom.csv")},
        content_type="multipart/form-data",
        headers=headers,
    ).get_json()
    assert (
        client.delete(f"{base}/platform-imports/{draft['id']}", headers=headers).status_code == 204
    )
    assert count(PlatformImport) == 0
    draft = client.post(
        f"{base}/platform-imports",
        data={"file": (io.BytesIO(webinar.report()), "zoom.csv")},
        content_type="multipart/form-data",
        headers=headers,
    ).get_json()
    client.post(f"{base}/platform-imports/{draft['id']}/confirm", headers=headers)
    unmatched = f"{base}/platform-participants/unmatched"
    waiting = client.get(unmatched, headers=headers).get_json()["items"]
    assert [p["outcome"] for p in waiting] == ["ambiguous", "unmatched"]
    second = client.get(f"{unmatched}?per_page=1&page=2", headers=headers).get_json()
    assert (second["items"], second["total"], second["pages"]) == ([waiting[1]], 2, 2)
    turned = client.get(f"{unmatched}?sort=outcome&order=desc", headers=headers).get_json()
    assert [p["id"] for p in turned["items"]] == [waiting[1]["id"], waiting[0]["id"]]
    assert client.get(f"{unmatched}?sort=email", headers=headers).status_code == 422
    assert client.get(f"{unmatched}?outcome=x", headers=headers).status_code == 400
    twin_a = webinar.inv[webinar.twin_a.id]
    bad = client.post(
        f"{base}/platform-participants/{waiting[0]['id']}/match",
        json={"invitation_id": 2**40},
        headers=headers,
    )
    assert bad.status_code == 422
    matched = client.post(
        f"{base}/platform-participants/{waiting[0]['id']}/match",
        json={"invitation_id": twin_a.id},
        headers=headers,
    )
    assert matched.status_code == 200
    assert matched.get_json()["outcome"] == "manual"
    dismissed = client.post(
        f"{base}/platform-participants/{waiting[1]['id']}/dismiss", headers=headers
    )
    assert dismissed.get_json()["outcome"] == "dismissed"
    assert client.get(unmatched, headers=headers).get_json()["items"] == []
