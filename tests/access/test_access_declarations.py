"""Every route and every socket command declares its permission, and the gate enforces it.

The list is not written here: the routes come from the application's URL map and the
commands from the live room's command table, so a route or a command added tomorrow is
checked without anyone remembering to add it to this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient

from meetcoord.access.declare import ELSEWHERE, declared, requires
from meetcoord.access.permissions import TABLE, Permission
from meetcoord.accounts.models import Role
from meetcoord.live.events import COMMANDS
from tests.conftest import AuthActions

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    return sorted(
        (rule.rule, method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - IGNORED_METHODS
    )


def test_every_route_declares_a_permission(app: Flask) -> None:
    routes = _routes(app)
    assert len(routes) > 150  # the whole application, not an empty map
    undeclared = [f"{m} {r} ({e})" for r, m, e in routes if declared(app, e, m) is None]
    assert undeclared == [], "routes without a declared permission:\n" + "\n".join(undeclared)


def test_every_declared_permission_is_a_row_of_the_table(app: Flask) -> None:
    used = {declared(app, e, m) for _, m, e in _routes(app)}
    assert used <= set(TABLE)
    assert set(Permission) == set(TABLE)  # and the table has no permission without a rule
    assert set(ELSEWHERE) <= {rule.endpoint for rule in app.url_map.iter_rules()}


def test_every_socket_command_declares_a_permission() -> None:
    assert len(COMMANDS) >= 20
    for name, spec in COMMANDS.items():
        assert spec.permission in TABLE, name
        assert TABLE[spec.permission].for_links or TABLE[spec.permission].for_accounts, name


def test_what_each_url_declares_is_what_its_users_need(app: Flask) -> None:
    """A sample read against the table, so a wrong declaration (not only a missing one)
    is caught where it matters most."""
    expected = {
        ("meetings.edit", "POST"): Permission.MEETING_ARRANGE,
        ("meetings.detail", "GET"): Permission.MEETING_VIEW,
        ("meetings_api.MeetingItem", "PATCH"): Permission.MEETING_ARRANGE,
        ("meetings_api.MeetingItem", "GET"): Permission.MEETING_VIEW,
        ("admin.users", "GET"): Permission.ADMIN,
        ("institutions.Institutions", "POST"): Permission.ADMIN,
        ("directory.person_edit", "POST"): Permission.DIRECTORY_EDIT,
        ("desk.scan", "POST"): Permission.CHECKIN_OPERATE,
        ("verify.by_hash", "GET"): Permission.PUBLIC,
        ("accounts.login", "POST"): Permission.PUBLIC,
        ("live.console", "GET"): Permission.MEETING_ARRANGE,
    }
    for (endpoint, method), permission in expected.items():
        assert declared(app, endpoint, method) is permission, (endpoint, method)


def test_a_route_that_declares_nothing_is_refused(tmp_path: Path) -> None:
    """On an application of its own: the session's app has served requests already."""
    from meetcoord import create_app
    from tests.conftest import test_config

    fresh = create_app(test_config(tmp_path, "sqlite://"))
    probe = Blueprint("undeclared_probe", __name__)

    @probe.get("/probe/undeclared")
    def undeclared() -> str:
        return "open by omission"

    @probe.get("/probe/declared")
    @requires(Permission.PUBLIC)
    def declared_public() -> str:
        return "public on purpose"

    fresh.register_blueprint(probe)
    client = fresh.test_client()
    refused = client.get("/probe/undeclared")
    assert refused.status_code == 403
    assert b"open by omission" not in refused.data
    assert client.get("/probe/declared").data == b"public on purpose"


@pytest.mark.parametrize(
    ("path", "method"),
    [("/meetings/new", "GET"), ("/admin/users", "GET"), ("/outbox", "GET")],
)
def test_an_account_only_route_sends_a_stranger_to_sign_in(
    client: FlaskClient, path: str, method: str
) -> None:
    response = client.open(path, method=method)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_viewer_is_refused_a_write_form_before_it_is_parsed(auth: AuthActions) -> None:
    auth.login(Role.VIEWER)
    # A body that would fail validation: the refusal comes first, and says why.
    response = auth.post("/meetings/new", {"title": ""})
    assert response.status_code == 403
    assert "berhak mengatur rapat" in response.get_data(as_text=True)
    assert auth.client.get("/admin/users").status_code == 403
