"""The agency's view of its follow-up actions, without an account (issue 13, point 2).

The responsible person's personal link shows every action of their agency, from meetings
of two institutions, and takes a progress report with evidence up to done; the staff
tracker then shows it. Verifying, dropping, a wrong file and another agency's action are
refused, nothing changed. A standing agency link does the same until it is revoked; only
its hash is stored. The new routes are private and share the portal's rate limit.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.access.permissions import TABLE, Permission
from meetcoord.accounts.models import Role
from meetcoord.actions import agency
from meetcoord.actions.models import Action, ActionStatus, AgencyLink
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import PermissionDenied
from meetcoord.core.tokens import hash_token
from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.portal.links import PRIVATE_HEADERS
from tests import factories
from tests.actions import support
from tests.conftest import AuthActions

API = "/api/v1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Agencies:
    """Dinas Pertanian owes two actions, in meetings of two institutions; Dinas Sosial
    owes one. Its responsible person is invited to the first meeting."""

    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT)
        self.ntb = factories.institution(name="Bappeda Provinsi NTB Uji")
        self.ntb_staff = factories.user(Role.SECRETARIAT, institution=self.ntb)
        self.first = factories.meeting(by=self.staff, title="Rakor Desa Binaan Triwulan I")
        self.second = factories.meeting(by=self.ntb_staff, title="Evaluasi OPD NTB")
        self.dinas = factories.organization(name="Dinas Pertanian Uji")
        self.sosial = factories.organization(name="Dinas Sosial Uji")
        self.person = factories.person(organization_id=self.dinas.id, name="Maria Lewerissa")
        self.invitation = factories.invitation(self.first, person=self.person)
        other_person = factories.person(organization_id=self.sosial.id)
        self.other_invitation = factories.invitation(self.first, person=other_person)
        self.mine = support.action(
            self.first,
            title="Data petani desa binaan",
            organization_id=self.dinas.id,
            person_id=self.person.id,
            locus="Desa Wee Rame",
            due_on=date(2030, 3, 31),
        )
        self.elsewhere = support.action(
            self.second, title="Bibit jagung", organization_id=self.dinas.id, locus="Desa Sape"
        )
        self.theirs = support.action(
            self.first, title="Bantuan sosial", organization_id=self.sosial.id
        )
        db.session.commit()
        self.token = links.personal_token(self.invitation)
        self.other_token = links.personal_token(self.other_invitation)


@pytest.fixture
def scene(app: Flask) -> Agencies:
    return Agencies()


def csrf_of(client: FlaskClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    match = _CSRF.search(page.get_data(as_text=True))
    assert match
    return match.group(1)


def post_update(
    client: FlaskClient, base: str, action: Action, data: dict[str, Any], files: Any = ()
) -> Any:
    payload: dict[str, Any] = {"csrf_token": csrf_of(client, base), **data}
    if files:
        payload["evidence"] = [(io.BytesIO(body), name) for name, body in files]
    return client.post(
        f"{base.rstrip('/')}{'/actions' if base.startswith('/a/') else ''}/{action.id}",
        data=payload,
        content_type="multipart/form-data",
    )


def status_of(action: Action) -> ActionStatus:
    db.session.expire_all()
    return db.session.get(Action, action.id).status


def test_the_person_sees_their_agency_s_actions_from_two_institutions(
    client: FlaskClient, scene: Agencies
) -> None:
    home = client.get(f"/i/{scene.token}").get_data(as_text=True)
    assert f"/i/{scene.token}/actions" in home
    response = client.get(f"/i/{scene.token}/actions")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Data petani desa binaan", "Bibit jagung", "Evaluasi OPD NTB", "Desa Sape"):
        assert text in html
    assert "Bantuan sosial" not in html
    assert "WITA" in html or "WIT" in html or "WIB" in html  # the date's zone, labelled


def test_marking_done_with_a_pdf_reaches_the_staff_tracker(
    app: Flask, client: FlaskClient, auth: AuthActions, scene: Agencies
) -> None:
    base = f"/i/{scene.token}/actions"
    response = post_update(
        client,
        base,
        scene.elsewhere,
        {"status": "done", "note": "Bibit sudah dibagikan", "percentage": "100"},
        [("berita-acara.pdf", support.PDF)],
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert status_of(scene.elsewhere) is ActionStatus.DONE
    (row,) = support.history(scene.elsewhere)
    assert row.invitation_id == scene.invitation.id
    assert row.user_id is None
    assert [e.filename for e in row.evidence] == ["berita-acara.pdf"]
    # The other institution's secretariat sees it done, with the evidence.
    auth.login(user=scene.ntb_staff)
    page = client.get(f"/actions/{scene.elsewhere.id}").get_data(as_text=True)
    assert "Selesai" in page
    assert "berita-acara.pdf" in page


@pytest.mark.parametrize("target", ["verified", "dropped"])
def test_verifying_or_dropping_is_the_secretariat_s(
    client: FlaskClient, scene: Agencies, target: str
) -> None:
    scene.mine.status = ActionStatus.DONE
    db.session.commit()
    response = post_update(
        client, f"/i/{scene.token}/actions", scene.mine, {"status": target, "reason": "x"}
    )
    assert response.status_code == 422
    assert "verifikasi dan penghentian dilakukan sekretariat" in response.get_data(as_text=True)
    assert status_of(scene.mine) is ActionStatus.DONE
    assert support.history(scene.mine) == []


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [("laporan.pdf", b"MZ\x90\x00 not a pdf", "bukan PDF"), ("besar.pdf", None, "terlalu besar")],
)
def test_a_wrong_or_too_large_file_is_refused_and_nothing_is_stored(
    app: Flask,
    client: FlaskClient,
    scene: Agencies,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    body: bytes | None,
    message: str,
) -> None:
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 2048)
    before = support.stored_files(app)
    data = body if body is not None else support.PDF + b"0" * 4096
    response = post_update(
        client, f"/i/{scene.token}/actions", scene.mine, {"status": "done"}, [(name, data)]
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert status_of(scene.mine) is ActionStatus.OPEN
    assert support.history(scene.mine) == []
    assert support.stored_files(app) == before


def test_another_agency_s_link_cannot_see_or_change_these_actions(
    client: FlaskClient, scene: Agencies
) -> None:
    html = client.get(f"/i/{scene.other_token}/actions").get_data(as_text=True)
    assert "Bantuan sosial" in html
    assert "Data petani" not in html
    csrf = csrf_of(client, f"/i/{scene.other_token}/actions")
    response = client.post(
        f"/i/{scene.other_token}/actions/{scene.mine.id}",
        data={"csrf_token": csrf, "status": "done"},
    )
    assert response.status_code == 404
    api = client.post(
        f"{API}/i/{scene.other_token}/actions/{scene.mine.id}/updates",
        data={"status": "done"},
        content_type="multipart/form-data",
    )
    assert api.status_code == 404
    assert status_of(scene.mine) is ActionStatus.OPEN
    assert support.history(scene.mine) == []


def test_the_json_twin_lists_and_updates(client: FlaskClient, scene: Agencies) -> None:
    listed = client.get(f"{API}/i/{scene.token}/actions")
    assert listed.status_code == 200
    body = listed.get_json()
    assert {a["title"] for a in body["items"]} == {"Data petani desa binaan", "Bibit jagung"}
    assert (body["page"], body["pages"], body["total"]) == (1, 1, 2)
    by_title = client.get(f"{API}/i/{scene.token}/actions?sort=title&per_page=1&page=2")
    assert [a["title"] for a in by_title.get_json()["items"]] == ["Data petani desa binaan"]
    assert client.get(f"{API}/i/{scene.token}/actions?sort=person").status_code == 422
    assert client.get(f"{API}/i/{scene.token}/actions?status=open").status_code == 400
    done = client.post(
        f"{API}/i/{scene.token}/actions/{scene.mine.id}/updates",
        data={"status": "in_progress", "evidence": [(io.BytesIO(support.PNG), "foto.png")]},
        content_type="multipart/form-data",
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "in_progress"
    refused = client.post(
        f"{API}/i/{scene.token}/actions/{scene.mine.id}/updates",
        data={"status": "verified"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert status_of(scene.mine) is ActionStatus.IN_PROGRESS


# --- a standing agency link --------------------------------------------------------------


def issue_from_directory(client: FlaskClient, auth: AuthActions, scene: Agencies) -> str:
    auth.login(user=scene.staff)
    page = client.get(f"/directory/organizations/{scene.dinas.id}")
    html = page.get_data(as_text=True)
    assert "Buat tautan tetap tindak lanjut" in html
    response = auth.post(f"/actions/agency-links/{scene.dinas.id}", {"label": "Kepala Dinas"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    match = re.search(r"/a/([A-Za-z0-9_-]+)", response.get_data(as_text=True))
    assert match
    auth.logout()
    return match.group(1)


def test_a_standing_link_works_and_stops_when_revoked(
    client: FlaskClient, auth: AuthActions, scene: Agencies
) -> None:
    token = issue_from_directory(client, auth, scene)
    (link,) = db.session.scalars(select(AgencyLink)).all()
    # Only the hash is stored, and the token appears nowhere afterwards.
    assert link.token_hash == hash_token(token)
    assert token not in repr(vars(link))
    page = client.get(f"/a/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Data petani desa binaan" in html
    assert "Bibit jagung" in html
    assert "Bantuan sosial" not in html
    response = post_update(
        client, f"/a/{token}", scene.mine, {"status": "done"}, [("bukti.pdf", support.PDF)]
    )
    assert response.status_code == 302
    assert status_of(scene.mine) is ActionStatus.DONE
    assert support.history(scene.mine)[0].by_label == "Kepala Dinas"
    # Another agency's action through it: not found, nothing changed.
    csrf = csrf_of(client, f"/a/{token}")
    other = client.post(
        f"/a/{token}/actions/{scene.theirs.id}", data={"csrf_token": csrf, "status": "done"}
    )
    assert other.status_code == 404
    assert status_of(scene.theirs) is ActionStatus.OPEN
    assert client.get(f"{API}/a/{token}/actions").status_code == 200
    # The list of links on the directory page never shows the token.
    auth.login(user=scene.staff)
    listing = client.get(f"/directory/organizations/{scene.dinas.id}").get_data(as_text=True)
    assert "Kepala Dinas" in listing
    assert token not in listing
    revoked = auth.post(f"/actions/agency-links/{scene.dinas.id}/{link.id}/revoke")
    assert revoked.status_code == 302
    auth.logout()
    assert client.get(f"/a/{token}").status_code == 404
    assert client.get(f"{API}/a/{token}/actions").status_code == 404
    actions = {e.action for e in db.session.scalars(select(AuditEntry))}
    assert {"agency_link.issue", "agency_link.revoke"} <= actions


def test_a_viewer_cannot_issue_a_standing_link(
    client: FlaskClient, auth: AuthActions, scene: Agencies
) -> None:
    auth.login(Role.VIEWER)
    page = client.get(f"/directory/organizations/{scene.dinas.id}").get_data(as_text=True)
    assert "Buat tautan tetap tindak lanjut" not in page
    response = auth.post(f"/actions/agency-links/{scene.dinas.id}", {"label": "x"})
    assert response.status_code == 403
    assert db.session.scalars(select(AgencyLink)).all() == []


def test_the_service_refuses_a_secretariat_of_no_institution(scene: Agencies) -> None:
    loner = factories.user(Role.SECRETARIAT, member=False)
    with pytest.raises(PermissionDenied):
        agency.issue(loner, scene.dinas, "Kepala")
    assert TABLE[Permission.AGENCY_ACTIONS].agency


# --- the portal's policy ----------------------------------------------------------------


def test_the_new_routes_are_private_and_share_the_portal_budget(
    app: Flask, client: FlaskClient, scene: Agencies, monkeypatch: pytest.MonkeyPatch
) -> None:
    _link, token = agency.issue(scene.staff, scene.dinas, "Kepala")
    monkeypatch.setitem(app.config, "PERSONAL_LINK_RATE_LIMIT", "3 per minute")
    address = {"REMOTE_ADDR": "203.0.113.77"}
    for path in (f"/i/{scene.token}/actions", f"/a/{token}", f"{API}/a/{token}/actions"):
        response = client.get(path, environ_base=address)
        assert response.status_code == 200, path
        for name, value in PRIVATE_HEADERS.items():
            assert response.headers.get(name) == value, (path, name)
    for path in (f"{API}/i/{scene.token}/actions", "/a/tautan-palsu"):
        response = client.get(path, environ_base=address)
        assert response.status_code == 429, path
        assert response.headers.get("Cache-Control") == "no-store"
    assert (
        client.get("/a/tautan-palsu", environ_base={"REMOTE_ADDR": "203.0.113.78"}).status_code
        == 404
    )


def test_the_staff_api_issues_lists_and_revokes(client: FlaskClient, scene: Agencies) -> None:
    headers = support.bearer(scene.staff)
    base = f"{API}/actions/agency-links/{scene.dinas.id}"
    issued = client.post(base, json={"label": "Kepala Dinas"}, headers=headers)
    assert issued.status_code == 201, issued.get_json()
    body = issued.get_json()
    assert body["url"].endswith(f"/a/{body['token']}")
    assert client.get(f"{API}/a/{body['token']}/actions").status_code == 200
    listed = client.get(base, headers=headers)
    assert listed.status_code == 200
    assert body["token"] not in listed.get_data(as_text=True)
    assert [row["label"] for row in listed.get_json()["items"]] == ["Kepala Dinas"]
    viewer = support.bearer(factories.user(Role.VIEWER))
    assert client.post(base, json={}, headers=viewer).status_code == 403
    revoked = client.post(f"{base}/{body['id']}/revoke", headers=headers)
    assert revoked.status_code == 200
    assert revoked.get_json()["revoked_at"]
    assert client.get(f"{API}/a/{body['token']}/actions").status_code == 404
    wrong = f"{API}/actions/agency-links/{scene.sosial.id}/{body['id']}/revoke"
    missing = client.post(wrong, headers=headers)
    assert missing.status_code == 404
