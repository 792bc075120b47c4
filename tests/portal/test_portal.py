"""The participant portal: every URL a personal link opens is the portal's, and all share
one policy (issue 12, point 3).

The token in ``/i/<token>`` is the credential, so what guards it must hold for every route
it opens, including the ones added next year: the tests walk the app's URL map rather than
a list of known pages. A route under a personal-link prefix served by another package, an
answer without the private headers (a 404 and a 429 included) or a route outside the
shared rate-limit budget fails here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from meetcoord.documents import invitation_letters
from meetcoord.documents.models import Document
from meetcoord.extensions import db
from meetcoord.meetings import invitations, links
from meetcoord.portal.links import PRIVATE_HEADERS
from tests.conftest import AuthActions
from tests.live_support import LiveRakor

API = "/api/v1"
# A standing agency link (``/a/<agency_token>``) is a portal credential too.
PERSONAL_PREFIXES = (
    "/i/<token>",
    "/a/<agency_token>",
    "/s/<speaker_token>",  # a speaker's upload link (issue 15)
    f"{API}/i/",
    f"{API}/a/",
)
PORTAL_BLUEPRINTS = ("portal", "portal_api", "portal_agency_api", "portal_questions_api")
FEED_PREFIX = "/feeds/"
_addresses = itertools.count(1)


def portal_rules(app: Flask) -> list[Rule]:
    """Every rule under a personal-link or feed prefix, found in the URL map."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith((*PERSONAL_PREFIXES, FEED_PREFIX))
    ]


def requests_of(rule: Rule, token: str, document_id: int) -> Iterator[tuple[str, str]]:
    """(method, path) for each method ``rule`` answers, its arguments filled in."""
    values = {"token": token, "agency_token": token, "speaker_token": token}
    values |= {"document_id": document_id}
    values |= {"id": document_id, "action_id": document_id, "evidence_id": document_id}
    values |= {"code": "KODE", "step": "comment", "channel_id": document_id}
    values |= {"material_id": document_id, "question_id": document_id}
    path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), rule.rule)
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        yield method, path


def send(client: FlaskClient, method: str, path: str, address: str, csrf: str = "") -> Any:
    kwargs: dict[str, Any] = {"environ_base": {"REMOTE_ADDR": address}}
    if method in ("POST", "PATCH"):
        # A form's CSRF check runs before the rate limit (and costs no query).
        kwargs |= {"json": {}} if path.startswith(API) else {"data": {"csrf_token": csrf}}
    return client.open(path, method=method, **kwargs)


def assert_private(response: Any, where: str) -> None:
    for name, value in PRIVATE_HEADERS.items():
        assert response.headers.get(name) == value, f"{where}: {name}={response.headers}"


def new_address() -> str:
    n = next(_addresses)
    return f"198.51.{n // 256 % 256}.{n % 256}"


@pytest.fixture
def scene(app: Flask) -> tuple[LiveRakor, Document]:
    """A meeting with its participants and an issued invitation letter they may read."""
    rakor = LiveRakor()
    letter = invitation_letters.issue_invitation_letter(rakor.staff_actor, rakor.meeting)
    db.session.commit()
    return rakor, letter


# --- every personal-link URL is the portal's ------------------------------------------------


def test_every_personal_link_route_is_served_by_the_portal(app: Flask) -> None:
    rules = portal_rules(app)
    found = {rule.rule for rule in rules}
    # The map really holds them: pages, live, desk, documents, both APIs, the feed.
    for expected in (
        "/i/<token>",
        "/i/<token>/rsvp",
        "/i/<token>/live",
        "/i/<token>/console",
        "/i/<token>/desk/<code>",
        "/i/<token>/documents/<int:document_id>",
        f"{API}/i/<token>/documents",
        f"{API}/i/<token>/documents/<int:id>/sign",
        f"{API}/i/<token>/rsvp",
        "/i/<token>/actions",
        "/a/<agency_token>",
        f"{API}/i/<token>/actions",
        f"{API}/a/<agency_token>/actions",
        "/feeds/<token>.ics",
    ):
        assert expected in found, sorted(found)
    elsewhere = [
        f"{rule.rule} -> {rule.endpoint} ({app.view_functions[rule.endpoint].__module__})"
        for rule in rules
        if not app.view_functions[rule.endpoint].__module__.startswith("meetcoord.portal.")
        or rule.endpoint.split(".")[0] not in PORTAL_BLUEPRINTS
    ]
    assert not elsewhere, "personal-link routes outside meetcoord.portal:\n" + "\n".join(elsewhere)


def test_the_portal_serves_nothing_but_personal_links(app: Flask) -> None:
    """And the other way round: no staff page hides in the portal's blueprints."""
    strays = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in PORTAL_BLUEPRINTS
        and not rule.rule.startswith((*PERSONAL_PREFIXES, FEED_PREFIX))
    ]
    assert strays == []


# --- private headers ----------------------------------------------------------------------


def test_every_answer_a_personal_link_gets_is_private(
    app: Flask, client: FlaskClient, scene: tuple[LiveRakor, Document]
) -> None:
    rakor, letter = scene
    token = links.personal_token(rakor.participant)
    feed = links.feed_url(invitations.feed_for(rakor.participant.person))
    address = new_address()
    for path, status in (
        (f"/i/{token}", 200),
        (f"/i/{token}/live", 200),
        (f"/i/{token}/documents/{letter.id}", 200),
        (f"{API}/i/{token}", 200),
        (f"{API}/i/{token}/documents", 200),
        (f"{API}/i/{token}/documents/{letter.id}", 200),
        (feed.removeprefix(app.config["BASE_URL"].rstrip("/")), 200),
        ("/i/tautan-palsu", 404),
        (f"{API}/i/tautan-palsu", 404),
        (f"/i/{token}/documents/999999", 404),
        (f"/i/{token}/console", 403),  # a participant does not run the meeting
    ):
        response = send(client, "GET", path, address)
        assert response.status_code == status, (path, response.status_code)
        assert_private(response, path)


def test_every_portal_route_is_private_even_for_a_forged_link(
    app: Flask, client: FlaskClient
) -> None:
    """Each rule and method of the map, with a token nobody holds: refused (or its body
    refused first), and private."""
    address = new_address()
    for rule in portal_rules(app):
        for method, path in requests_of(rule, "tautan-palsu", 1):
            response = send(client, method, path, address)
            # 415: a JSON body to an upload (multipart) operation is refused first
            assert response.status_code in (400, 404, 415, 422), (
                method,
                path,
                response.status_code,
            )
            assert_private(response, f"{method} {path}")


# --- one rate limit -------------------------------------------------------------------------


def test_every_personal_link_route_spends_one_budget(
    app: Flask,
    client: FlaskClient,
    scene: tuple[LiveRakor, Document],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rakor, letter = scene
    monkeypatch.setitem(app.config, "PERSONAL_LINK_RATE_LIMIT", "3 per minute")
    token = links.personal_token(rakor.participant)
    address = new_address()
    # Three different doors spend the same three requests.
    page = send(client, "GET", f"/i/{token}", address)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert page.status_code == 200
    assert csrf
    for path in (f"{API}/i/{token}", f"/i/{token}/documents/{letter.id}"):
        assert send(client, "GET", path, address).status_code == 200, path
    # Then every personal-link route and method refuses this address, before the view.
    for rule in portal_rules(app):
        if rule.rule.startswith(FEED_PREFIX):
            continue
        for method, path in requests_of(rule, token, letter.id):
            response = send(client, method, path, address, csrf.group(1))
            assert response.status_code == 429, (method, path, response.status_code)
            assert_private(response, f"{method} {path}")
    # Another address has its own budget.
    assert send(client, "GET", f"/i/{token}", new_address()).status_code == 200


def test_the_feed_keeps_its_own_limits_outside_the_personal_budget(
    app: Flask,
    client: FlaskClient,
    scene: tuple[LiveRakor, Document],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Calendar servers poll many people's feeds from one address: the feed neither spends
    the personal-link budget nor is refused when that budget is spent."""
    rakor, _letter = scene
    monkeypatch.setitem(app.config, "PERSONAL_LINK_RATE_LIMIT", "2 per minute")
    token = links.personal_token(rakor.participant)
    feed = links.feed_url(invitations.feed_for(rakor.participant.person))
    feed = feed.removeprefix(app.config["BASE_URL"].rstrip("/"))
    address = new_address()
    assert [send(client, "GET", feed, address).status_code for _ in range(4)] == [200] * 4
    assert [send(client, "GET", f"/i/{token}", address).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert send(client, "GET", feed, address).status_code == 200


def test_a_signed_in_secretariat_opening_a_wrong_link_gets_the_plain_404(
    client: FlaskClient,
) -> None:
    """The staff menu on the error page asks about the account, not about the link that
    was not found (that question raised again inside the 404 handler: a 500)."""
    AuthActions(client).login()
    response = client.get("/i/not-a-real-token")
    assert response.status_code == 404
    assert "Rapat" in response.get_data(as_text=True)  # the staff menu is there


def test_the_phone_page_carries_a_small_room_snapshot_and_never_a_large_one(monkeypatch):
    """Issue 16: the phone view is drawn from the snapshot in its page before the socket
    connects; a room whose snapshot exceeds INITIAL_MAX_BYTES comes over the socket only."""
    import json

    from meetcoord.portal import live_views
    from tests.live_support import LiveRakor

    rakor = LiveRakor("Rakor Cuplikan")
    small = live_views.initial_snapshot(rakor.meeting)
    assert small is not None
    assert small["seq"] >= 0
    assert [a["title"] for a in small["agenda"]] == [i.title for i in rakor.meeting.agenda]
    size = len(json.dumps(small, separators=(",", ":"), default=str))
    monkeypatch.setattr(live_views, "INITIAL_MAX_BYTES", size - 1)
    assert live_views.initial_snapshot(rakor.meeting) is None
