"""Sign-ins end when they should (issue 11, point 3).

Logout, a password change or reset, a role change and deactivation end the session cookie
and the remember-me cookie, copies included; a live-room connection opened with them stops
acting at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from meetcoord.accounts import admin, models, services
from meetcoord.accounts.models import ApiToken, Role
from meetcoord.core.db import utcnow
from meetcoord.extensions import db, socketio
from meetcoord.live import services as live_services
from tests import factories
from tests.conftest import AuthActions
from tests.helpers import count, text
from tests.live_support import NAMESPACE, LiveRakor, command

PAGE = "/directory/organizations"


def copy_of(app: Flask, client: FlaskClient, *names: str) -> FlaskClient:
    """Another browser holding a copy of ``client``'s cookies (a stolen or shared one)."""
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = client.environ_base.get("REMOTE_ADDR", "127.0.0.1")
    for name in names or ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            other.set_cookie(name, cookie.value)
    return other


def signed_in(client: FlaskClient) -> bool:
    response = client.get(PAGE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def remember_login(client: FlaskClient, auth: AuthActions, role: str = "secretariat") -> Any:
    auth.user = factories.user(role)
    auth.csrf_token = auth.token_from(text(client.get("/login")))
    response = client.post(
        "/login",
        data={
            "email": auth.user.email,
            "password": factories.PASSWORD,
            "remember": "y",
            "csrf_token": auth.csrf_token,
        },
    )
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is not None
    return auth.user


def test_logout_ends_a_copied_session_cookie(app: Flask, client: FlaskClient, auth: Any) -> None:
    auth.login("secretariat")
    stolen = copy_of(app, client, "session")
    assert signed_in(stolen)
    auth.logout()
    assert not signed_in(client)
    assert not signed_in(stolen)


def test_logout_ends_the_remember_me_cookie(app: Flask, client: FlaskClient, auth: Any) -> None:
    remember_login(client, auth)
    kept = copy_of(app, client, "remember_token")  # no session: the remember cookie alone
    assert signed_in(kept)
    auth.logout()
    assert not signed_in(copy_of(app, client, "remember_token"))
    assert not signed_in(kept)


def test_logout_leaves_the_same_persons_other_devices_signed_in(app: Flask, auth: Any) -> None:
    laptop = app.test_client()
    laptop_auth = AuthActions(laptop)
    user = laptop_auth.login("secretariat")
    phone = app.test_client()
    AuthActions(phone).login(user=user)
    laptop_auth.logout()
    assert not signed_in(laptop)
    assert signed_in(phone)  # the console running a meeting stays signed in


def test_own_password_change_ends_other_sign_ins_and_tokens_but_not_this_one(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    user = remember_login(client, auth)
    other_device = app.test_client()
    AuthActions(other_device).login(user=user)
    stolen = copy_of(app, client, "remember_token")
    _token, secret = services.create_token(None, user, "sinkron")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/tokens", headers=bearer).status_code == 200

    response = auth.change_password(factories.PASSWORD, "Weekuri-Lagoon-2026")
    assert response.status_code == 302, text(response)[:500]
    assert signed_in(client)
    assert not signed_in(other_device)
    assert not signed_in(stolen)
    assert app.test_client().get("/api/v1/tokens", headers=bearer).status_code == 401
    assert user.check_password("Weekuri-Lagoon-2026")


def test_own_password_change_with_a_wrong_current_password_changes_nothing(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    user = auth.login("secretariat")
    other_device = app.test_client()
    AuthActions(other_device).login(user=user)
    assert client.get("/account/password").status_code == 200
    response = auth.change_password(
        "bukan-sandi-lama", "Weekuri-Lagoon-2026", "Weekuri-Lagoon-2026x"
    )
    assert response.status_code == 422
    html = text(response)
    assert "Kata sandi saat ini salah." in html
    assert user.check_password(factories.PASSWORD)
    assert signed_in(other_device)


def test_admin_reset_ends_every_sign_in_and_revokes_the_tokens(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    staff_browser = app.test_client()
    staff = remember_login(staff_browser, AuthActions(staff_browser))
    remembered = copy_of(app, staff_browser, "remember_token")
    token, _secret = services.create_token(None, staff, "sinkron")
    auth.login("admin")

    response = auth.post(f"/admin/users/{staff.id}/password", {"password": "Loura-Kodi-2026"})
    assert response.status_code == 302
    assert not signed_in(staff_browser)
    assert not signed_in(remembered)
    assert token.is_revoked
    assert signed_in(client)  # the administrator's own sign-in is untouched


def test_a_new_role_ends_the_accounts_sign_ins(app: Flask, client: FlaskClient, auth: Any) -> None:
    first_admin = auth.login("admin")
    second = app.test_client()
    demoted = AuthActions(second).login("admin")
    assert second.get("/admin/users").status_code == 200
    admin.update_user(first_admin, demoted, {"role": "viewer"})
    assert not signed_in(second)
    # Renaming alone keeps them signed in.
    third = app.test_client()
    renamed = AuthActions(third).login("secretariat")
    admin.update_user(first_admin, renamed, {"name": "Nama Baru"})
    assert signed_in(third)


def test_deactivation_ends_sign_ins_for_good(app: Flask, client: FlaskClient, auth: Any) -> None:
    administrator = factories.user(Role.ADMIN)
    staff = remember_login(client, auth)
    stolen = copy_of(app, client)
    admin.update_user(administrator, staff, {"is_active_account": False})
    assert not signed_in(client)
    admin.update_user(administrator, staff, {"is_active_account": True})
    # Switched on again, the account starts from a new sign-in: old cookies stay dead.
    assert not signed_in(client)
    assert not signed_in(stolen)


def test_a_sign_in_ends_on_the_server_when_its_time_is_up(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    user = remember_login(client, auth)
    login = db.session.query(models.LoginSession).filter_by(user_id=user.id).one()
    lifetime = login.expires_at - login.created_at
    assert timedelta(days=13) < lifetime <= app.config["REMEMBER_COOKIE_DURATION"]
    db.session.execute(
        update(models.LoginSession)
        .where(models.LoginSession.id == login.id)
        .values(expires_at=utcnow())
    )
    db.session.commit()
    assert not signed_in(copy_of(app, client, "remember_token"))


def test_administrator_ends_all_sign_ins_of_an_account(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    staff_browser = app.test_client()
    staff = AuthActions(staff_browser).login("secretariat")
    auth.login("admin")
    page = text(client.get(f"/admin/users/{staff.id}"))
    assert "Sesi yang masih berlaku: 1." in page
    response = auth.post(f"/admin/users/{staff.id}/sessions/end")
    assert response.status_code == 302
    assert not signed_in(staff_browser)
    assert count(models.LoginSession, models.LoginSession.user_id == staff.id) == 0


# --- the live room -----------------------------------------------------------------------


def _live_client(app: Flask, client: FlaskClient, meeting_id: int) -> Any:
    live = socketio.test_client(
        app, namespace=NAMESPACE, auth={"meeting": meeting_id}, flask_test_client=client
    )
    assert live.is_connected(NAMESPACE)
    return live


def _running_meeting() -> LiveRakor:
    rakor = LiveRakor()
    live_services.open_meeting(rakor.staff_actor, rakor.meeting.id)
    return rakor


def test_a_live_connection_on_a_sign_in_stops_when_the_password_is_reset(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    rakor = _running_meeting()
    staff = auth.login("secretariat")
    live = _live_client(app, client, rakor.meeting.id)
    assert command(live, "agenda.add", title="Usulan tambahan")["ok"]

    admin.reset_password(factories.user(Role.ADMIN), staff, "Loura-Kodi-2026")
    refused = command(live, "agenda.add", title="Usulan kedua")
    assert refused["ok"] is False
    assert refused["error"]["code"] == "forbidden"


def test_a_live_connection_on_a_sign_in_stops_at_logout(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    rakor = _running_meeting()
    auth.login("secretariat")
    live = _live_client(app, client, rakor.meeting.id)
    auth.logout()
    refused = command(live, "agenda.add", title="Usulan tambahan")
    assert refused["error"]["code"] == "forbidden"


def test_an_expired_token_is_refused_by_the_live_room(app: Flask) -> None:
    rakor = _running_meeting()
    user = factories.user(Role.SECRETARIAT)
    token, secret = services.create_token(None, user, "layar", days=1)
    auth = {"meeting": rakor.meeting.id, "bearer": secret}
    live = socketio.test_client(app, namespace=NAMESPACE, auth=auth)
    assert command(live, "agenda.add", title="Usulan tambahan")["ok"]

    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(expires_at=utcnow()))
    db.session.commit()
    refused = command(live, "agenda.add", title="Usulan kedua")
    assert refused["error"]["code"] == "forbidden"
    late = socketio.test_client(app, namespace=NAMESPACE, auth=auth)
    assert not late.is_connected(NAMESPACE)
