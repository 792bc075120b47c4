"""One scan, two doors, one format: the desk page's JSON endpoints (session + CSRF) and the
check-in API (bearer token) answer the same bad request with the same problem+json body,
status and content type, and the same good scan with the same CheckinResult."""

from __future__ import annotations

import re
from typing import Any

import pytest

from meetcoord.accounts.services import create_token
from meetcoord.checkin import keys
from meetcoord.checkin.models import Attendance
from tests import factories
from tests.helpers import count

PROBLEM = "application/problem+json"
KEYS = ("type", "title", "status", "code", "detail", "errors")
_CSRF_ATTR = re.compile(r'data-csrf="([^"]+)"')
API_KIND = {"scan": "redeem", "checkout": "checkout", "offline": "offline"}


@pytest.fixture
def meeting():
    m = factories.meeting(title="Rakor Satu Pintu", sites=[factories.venue()])
    for _ in range(3):
        factories.invitation(m)
    return factories.schedule(m)


@pytest.fixture
def doors(app, auth, meeting):
    """``send(kind, body, site_code=None)`` → (desk response, API response), as one user.

    The desk: that user's browser session with the page's CSRF token. The API: their
    bearer token from another client (no cookie)."""
    staff = auth.login("secretariat")
    page = auth.client.get(f"/desk/{meeting.sites[0].code}").get_data(as_text=True)
    match = _CSRF_ATTR.search(page)
    assert match
    csrf = match.group(1)
    _token, secret = create_token(None, staff, "test")
    api = app.test_client()

    def send(kind: str, body: Any, site_code: str | None = None, **options: Any) -> Any:
        code = site_code or meeting.sites[0].code
        payload = {"json": body} if "data" not in options else {}
        desk = auth.client.post(
            f"/desk/{code}/{kind}",
            headers={"X-CSRFToken": csrf, **options.get("headers", {})},
            **payload,
            **{k: v for k, v in options.items() if k != "headers"},
        )
        other = api.post(
            f"/api/v1/checkin/sites/{code}/{API_KIND[kind]}",
            headers={"Authorization": f"Bearer {secret}", **options.get("headers", {})},
            **payload,
            **{k: v for k, v in options.items() if k != "headers"},
        )
        return desk, other

    send.client = auth.client  # type: ignore[attr-defined]
    send.csrf = csrf  # type: ignore[attr-defined]
    send.api = api  # type: ignore[attr-defined]
    send.api_headers = {"Authorization": f"Bearer {secret}"}  # type: ignore[attr-defined]
    return send


def assert_same_problem(desk: Any, api: Any, status: int) -> dict[str, Any]:
    for response in (desk, api):
        assert response.status_code == status, response.get_data(as_text=True)[:300]
        assert response.mimetype == PROBLEM, response.get_data(as_text=True)[:300]
    desk_body, api_body = desk.get_json(force=True), api.get_json(force=True)
    assert {k: desk_body.get(k) for k in KEYS} == {k: api_body.get(k) for k in KEYS}
    assert set(desk_body) == set(api_body)
    assert desk_body["status"] == status
    assert desk_body["detail"]
    return desk_body


def credential(meeting: Any, n: int = 0) -> str:
    return keys.credential_for(meeting.invitations[n])


@pytest.mark.parametrize("kind", ["scan", "checkout"])
def test_a_malformed_body_is_the_same_422(doors, meeting, kind):
    cases = [
        {"credential": credential(meeting), "nonce": ""},  # empty nonce
        {"credential": credential(meeting), "nonce": "n" * 65},  # too long
        {"nonce": "n-1"},  # no credential
        {"credential": credential(meeting), "nonce": "n-2", "extra": 1},  # unknown field
        {"credential": 7, "nonce": "n-3"},  # wrong type
        ["not", "an", "object"],
    ]
    for body in cases:
        got = assert_same_problem(*doors(kind, body), 422)
        assert got["code"] == "validation_error"
        assert got["errors"], body
    scan_at = {"credential": credential(meeting), "nonce": "n-4", "scanned_at": "2024-03-15T09:00"}
    if kind == "scan":  # a scan time without its zone
        assert "scanned_at" in assert_same_problem(*doors(kind, scan_at), 422)["errors"]
    assert count(Attendance) == 0


def test_an_offline_upload_that_is_not_a_list_of_scans_is_the_same_422(doors, meeting):
    naive = {"credential": credential(meeting), "nonce": "o-1", "scanned_at": "2024-03-15T09:00"}
    for body in ({"scans": "x"}, {}, {"scans": [naive]}, {"scans": [{"nonce": "o-2"}]}):
        got = assert_same_problem(*doors("offline", body), 422)
        assert got["errors"], body
    assert (
        "scans.0.scanned_at"
        in assert_same_problem(*doors("offline", {"scans": [naive]}), 422)["errors"]
    )
    assert count(Attendance) == 0


@pytest.mark.parametrize("kind", ["scan", "checkout", "offline"])
def test_broken_json_is_the_same_400(doors, kind):
    desk, api = doors(kind, None, data="{nope", headers={"Content-Type": "application/json"})
    got = assert_same_problem(desk, api, 400)
    assert got["errors"] == {"json": ["Isi permintaan bukan JSON yang valid."]}


@pytest.mark.parametrize("kind", ["scan", "checkout", "offline"])
def test_an_unknown_site_is_the_same_404(doors, meeting, kind):
    body: dict[str, Any] = {"credential": credential(meeting), "nonce": "x-1"}
    if kind == "offline":
        body = {"scans": [{**body, "scanned_at": "2024-03-15T09:00:00+08:00"}]}
    got = assert_same_problem(*doors(kind, body, site_code="tidakada"), 404)
    assert got["detail"] == "Lokasi tidak ditemukan."


@pytest.mark.parametrize("kind", ["scan", "checkout", "offline"])
def test_a_user_who_may_not_run_the_site_gets_the_same_403(app, auth, meeting, kind):
    viewer = auth.login("viewer")
    site = meeting.sites[0]
    token = auth.csrf_token  # the session's token, from the login form
    _token, secret = create_token(None, viewer, "test")
    body: dict[str, Any] = {"credential": credential(meeting), "nonce": "v-1"}
    if kind == "offline":
        body = {"scans": [{**body, "scanned_at": "2024-03-15T09:00:00+08:00"}]}
    desk = auth.client.post(f"/desk/{site.code}/{kind}", json=body, headers={"X-CSRFToken": token})
    api = app.test_client().post(
        f"/api/v1/checkin/sites/{site.code}/{API_KIND[kind]}",
        json=body,
        headers={"Authorization": f"Bearer {secret}"},
    )
    got = assert_same_problem(desk, api, 403)
    assert got["code"] == "forbidden"
    assert count(Attendance) == 0


@pytest.mark.parametrize("kind", ["scan", "checkout", "offline"])
def test_nobody_signed_in_is_the_same_401(app, client, auth, meeting, kind):
    site = meeting.sites[0]
    token = auth.token_from(client.get("/login").get_data(as_text=True))
    body = {"credential": credential(meeting), "nonce": "a-1"}
    desk = client.post(f"/desk/{site.code}/{kind}", json=body, headers={"X-CSRFToken": token})
    api = app.test_client().post(f"/api/v1/checkin/sites/{site.code}/{API_KIND[kind]}", json=body)
    assert_same_problem(desk, api, 401)
    assert desk.headers["WWW-Authenticate"] == api.headers["WWW-Authenticate"]


@pytest.mark.parametrize("kind", ["scan", "checkout", "offline"])
def test_a_missing_csrf_token_is_the_same_400_for_a_session(doors, meeting, kind):
    """A browser session calls either door without its token: the same csrf_failed."""
    site = meeting.sites[0]
    body = {"credential": credential(meeting), "nonce": "c-1"}
    desk = doors.client.post(f"/desk/{site.code}/{kind}", json=body)
    api = doors.client.post(f"/api/v1/checkin/sites/{site.code}/{API_KIND[kind]}", json=body)
    got = assert_same_problem(desk, api, 400)
    assert got["code"] == "csrf_failed"  # the desk's script fetches a fresh token on this


@pytest.mark.parametrize("kind", ["scan", "checkout", "offline"])
def test_a_body_over_the_limit_is_the_same_413(app, doors, meeting, kind, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    body = {"credential": "x" * 4096, "nonce": "big-1"}
    assert_same_problem(*doors(kind, body), 413)
    assert count(Attendance) == 0


def test_the_same_scan_gets_the_same_answer_at_either_door(doors, meeting):
    """Each pair sends one nonce: the second door answers the stored first answer, so any
    difference in the bytes is a difference between the two doors' serializations."""
    first, second = credential(meeting, 0), credential(meeting, 1)
    desk, api = doors("scan", {"credential": first, "nonce": "s-1"})
    assert desk.json["status"] == "checked_in"
    assert desk.json["person"]["name"] == meeting.invitations[0].person.name
    assert desk.mimetype == api.mimetype == "application/json"
    assert desk.get_data() == api.get_data()
    # The API first (a fresh nonce), then the desk with that nonce.
    api = doors.api.post(
        f"/api/v1/checkin/sites/{meeting.sites[0].code}/redeem",
        json={"credential": second, "nonce": "s-2"},
        headers=doors.api_headers,
    )
    assert api.json["status"] == "checked_in"
    desk = doors.client.post(
        f"/desk/{meeting.sites[0].code}/scan",
        json={"credential": second, "nonce": "s-2"},
        headers={"X-CSRFToken": doors.csrf},
    )
    assert desk.get_data() == api.get_data()
    for text_, nonce in ((first, "s-3"), ("bukan-kartu", "s-4")):  # already; refused
        desk, api = doors("scan", {"credential": text_, "nonce": nonce})
        assert desk.json["status"] in ("already", "refused")
        assert desk.get_data() == api.get_data()
    desk, api = doors("checkout", {"credential": first, "nonce": "s-5"})
    assert desk.json["status"] == "checked_out"
    assert desk.get_data() == api.get_data()
    at = "2024-03-15T09:00+08:00"
    scans = [{"credential": "bukan-kartu", "nonce": "s-6", "scanned_at": at}]
    desk, api = doors("offline", {"scans": scans})
    assert desk.get_data() == api.get_data()
    assert desk.json["results"][0]["nonce"] == "s-6"  # each result names its scan
    assert count(Attendance) == 2
