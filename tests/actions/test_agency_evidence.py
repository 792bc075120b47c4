"""The agency downloads its own evidence, and the history tells which standing link made
an update (issue 13, point 2).

From the personal link's actions page and from a standing link, each evidence file of
the agency's own actions downloads as the staff tracker serves it; another agency's
file, a file asked for under another action, and a revoked link answer 404. An update
made through a standing link names the link: the staff page and API say so, and the
staff API counts a link's updates.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.actions import agency
from meetcoord.actions.models import ActionEvidence
from meetcoord.extensions import db
from meetcoord.portal.links import PRIVATE_HEADERS
from tests.actions import support
from tests.actions.test_agency_view import API, Agencies, post_update
from tests.conftest import AuthActions


@pytest.fixture
def scene(app: Flask) -> Agencies:
    return Agencies()


def evidence_of(action_id: int) -> list[ActionEvidence]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(ActionEvidence).where(ActionEvidence.action_id == action_id))
    )


def assert_served_safely(response: object, body: bytes, content_type: str) -> None:
    assert response.status_code == 200  # type: ignore[attr-defined]
    headers = response.headers  # type: ignore[attr-defined]
    assert response.data == body  # type: ignore[attr-defined]
    assert headers["Content-Type"] == content_type
    assert headers["Content-Disposition"].startswith('attachment; filename="')
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "private, no-store"
    for name, value in PRIVATE_HEADERS.items():
        if name != "Cache-Control":
            assert headers[name] == value, name


def test_the_person_downloads_their_agency_s_evidence(client: FlaskClient, scene: Agencies) -> None:
    base = f"/i/{scene.token}/actions"
    sent = post_update(
        client, base, scene.mine, {"note": "Data terkumpul"}, [("data desa.pdf", support.PDF)]
    )
    assert sent.status_code == 302
    (found,) = evidence_of(scene.mine.id)
    url = f"{base}/{scene.mine.id}/evidence/{found.id}"
    assert url in client.get(base).get_data(as_text=True)
    response = client.get(url)
    assert_served_safely(response, support.PDF, "application/pdf")
    assert 'filename="data desa.pdf"' in response.headers["Content-Disposition"]


def test_another_agency_or_a_wrong_pair_is_not_found(client: FlaskClient, scene: Agencies) -> None:
    mine = post_update(
        client, f"/i/{scene.token}/actions", scene.mine, {}, [("a.pdf", support.PDF)]
    )
    assert mine.status_code == 302
    theirs = post_update(
        client, f"/i/{scene.other_token}/actions", scene.theirs, {}, [("b.png", support.PNG)]
    )
    assert theirs.status_code == 302
    (own,) = evidence_of(scene.mine.id)
    (other,) = evidence_of(scene.theirs.id)
    base = f"/i/{scene.token}/actions"
    # Dinas Sosial's file, under its own action or smuggled under one of ours.
    assert client.get(f"{base}/{scene.theirs.id}/evidence/{other.id}").status_code == 404
    assert client.get(f"{base}/{scene.mine.id}/evidence/{other.id}").status_code == 404
    # Our own file under our other action: the pair is checked, not the id alone.
    assert client.get(f"{base}/{scene.elsewhere.id}/evidence/{own.id}").status_code == 404
    assert client.get(f"{base}/{scene.mine.id}/evidence/999999").status_code == 404
    assert client.get(f"{base}/{scene.mine.id}/evidence/{own.id}").status_code == 200


def test_the_standing_link_downloads_and_names_itself_in_the_history(
    client: FlaskClient, auth: AuthActions, scene: Agencies
) -> None:
    link, token = agency.issue(scene.staff, scene.dinas, "Kepala Dinas Pertanian")
    sent = post_update(
        client, f"/a/{token}", scene.mine, {"status": "in_progress"}, [("r.xlsx", support.XLSX)]
    )
    assert sent.status_code == 302
    (found,) = evidence_of(scene.mine.id)
    url = f"/a/{token}/actions/{scene.mine.id}/evidence/{found.id}"
    assert url in client.get(f"/a/{token}").get_data(as_text=True)
    assert_served_safely(client.get(url), support.XLSX, found.content_type)
    (row,) = support.history(scene.mine)
    assert row.agency_link_id == link.id
    assert row.by_label == "Kepala Dinas Pertanian"
    assert (row.invitation_id, row.user_id) == (None, None)

    headers = support.bearer(scene.staff)
    detail = client.get(f"{API}/actions/{scene.mine.id}", headers=headers).get_json()
    (entry,) = detail["history"]
    assert (entry["via"], entry["agency_link_id"], entry["by"]) == (
        "agency_link",
        link.id,
        "Kepala Dinas Pertanian",
    )
    links = client.get(f"{API}/actions/agency-links/{scene.dinas.id}", headers=headers)
    assert [(x["id"], x["update_count"]) for x in links.get_json()["items"]] == [(link.id, 1)]

    auth.login(user=scene.staff)
    page = client.get(f"/actions/{scene.mine.id}").get_data(as_text=True)
    assert "Kepala Dinas Pertanian" in page
    assert "lewat tautan tetap instansi" in page
    auth.logout()

    agency.revoke(scene.staff, link)
    assert client.get(url).status_code == 404


def test_a_personal_link_update_is_not_counted_for_a_standing_link(
    client: FlaskClient, scene: Agencies
) -> None:
    link, _token = agency.issue(scene.staff, scene.dinas, "Kepala")
    sent = post_update(client, f"/i/{scene.token}/actions", scene.mine, {"note": "Mulai"})
    assert sent.status_code == 302
    (row,) = support.history(scene.mine)
    assert row.agency_link_id is None
    assert link.update_count == 0
    headers = support.bearer(scene.staff)
    detail = client.get(f"{API}/actions/{scene.mine.id}", headers=headers).get_json()
    assert detail["history"][0]["via"] == "personal_link"


def test_the_json_twin_lists_and_serves_the_agency_s_evidence(
    client: FlaskClient, scene: Agencies
) -> None:
    link, token = agency.issue(scene.staff, scene.dinas, "Kepala")
    sent = post_update(client, f"/a/{token}", scene.mine, {}, [("foto.png", support.PNG)])
    assert sent.status_code == 302
    listed = {a["id"]: a for a in client.get(f"{API}/a/{token}/actions").get_json()["items"]}
    (item,) = listed[scene.mine.id]["evidence"]
    assert (item["filename"], item["content_type"]) == ("foto.png", "image/png")
    for base in (f"{API}/a/{token}", f"{API}/i/{scene.token}"):
        response = client.get(f"{base}/actions/{scene.mine.id}/evidence/{item['id']}")
        assert_served_safely(response, support.PNG, "image/png")
        wrong = client.get(f"{base}/actions/{scene.elsewhere.id}/evidence/{item['id']}")
        assert wrong.status_code == 404
    other = f"{API}/i/{scene.other_token}/actions/{scene.mine.id}/evidence/{item['id']}"
    assert client.get(other).status_code == 404
    agency.revoke(scene.staff, link)
    gone = client.get(f"{API}/a/{token}/actions/{scene.mine.id}/evidence/{item['id']}")
    assert gone.status_code == 404
