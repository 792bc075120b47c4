"""Administrator pages: staff accounts and the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from meetcoord.accounts import admin
from meetcoord.accounts.models import Role, User
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import Conflict, PermissionDenied
from meetcoord.core.pagination import ListQuery
from meetcoord.directory import services
from meetcoord.extensions import db
from tests import factories


def users_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_only_admins_see_the_admin_pages(client, auth):
    auth.login("secretariat")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert "/admin/users" not in client.get("/directory/organizations").get_data(as_text=True)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_admin_creates_an_account_through_the_form(client, auth):
    auth.login("admin")
    page = client.get("/admin/users/new")
    assert page.status_code == 200
    response = auth.post(
        "/admin/users/new",
        {
            "email": "notulis@bappeda-sbd.example.go.id",
            "name": "Yuliana Kaka",
            "role": "secretariat",
            "password": "Tambolaka-2026!",
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.name == "Yuliana Kaka"))
    assert created.role is Role.SECRETARIAT
    assert created.check_password("Tambolaka-2026!")
    listing = client.get("/admin/users?q=yuliana").get_data(as_text=True)
    assert "notulis@bappeda-sbd.example.go.id" in listing


def test_bad_account_form_changes_nothing(client, auth):
    auth.login("admin")
    before = users_count()
    response = auth.post(
        "/admin/users/new", {"email": "bukan email", "name": "", "role": "raja", "password": "x"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Alamat email tidak valid." in html
    assert "Kata sandi minimal 10 karakter." in html
    assert users_count() == before


def test_duplicate_email_is_refused(client, auth):
    auth.login("admin")
    existing = factories.user()
    response = auth.post(
        "/admin/users/new",
        {
            "email": existing.email.upper(),
            "name": "X",
            "role": "viewer",
            "password": "Waikabubak-2026",
        },
    )
    assert response.status_code == 409


def test_deactivated_account_cannot_sign_in(client, auth, app):
    admin_user = auth.login("admin")
    staff = factories.user("secretariat")
    response = auth.post(f"/admin/users/{staff.id}", {"name": staff.name, "role": "secretariat"})
    assert response.status_code == 302
    assert staff.is_active_account is False  # unchecked box = deactivated
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.entity_id == staff.id, AuditEntry.action == "update")
    )
    assert entry.actor_id == admin_user.id
    assert entry.changes["is_active_account"] == ["True", "False"]
    other = app.test_client()
    login = other.post(
        "/login",
        data={"email": staff.email, "password": factories.PASSWORD},
        environ_base={"REMOTE_ADDR": "10.250.0.1"},
    )
    assert login.status_code in (400, 401)


def test_last_active_admin_cannot_be_demoted_or_deactivated():
    only = factories.user("admin")
    with pytest.raises(Conflict):
        admin.update_user(only, only, {"role": "viewer"})
    with pytest.raises(Conflict):
        admin.update_user(only, only, {"is_active_account": False})
    second = factories.user("admin")
    admin.update_user(second, only, {"role": "viewer"})
    assert only.role is Role.VIEWER


def test_password_reset_checks_length_and_audits(client, auth):
    auth.login("admin")
    staff = factories.user("viewer")
    response = auth.post(f"/admin/users/{staff.id}/password", {"password": "pendek"})
    assert response.status_code == 422
    assert staff.check_password(factories.PASSWORD)
    response = auth.post(f"/admin/users/{staff.id}/password", {"password": "Selong-Lotim-2026"})
    assert response.status_code == 302
    assert staff.check_password("Selong-Lotim-2026")


def test_audit_page_lists_directory_changes_newest_first_with_zone(client, auth):
    user = auth.login("admin")
    services.save_venue(user, {"name": "Aula Bappeda Lombok Timur", "timezone": "Asia/Makassar"})
    services.save_venue(user, {"name": "Ruang Rapat Bappenas", "timezone": "Asia/Jakarta"})
    html = client.get("/admin/audit?entity_type=venues").get_data(as_text=True)
    assert html.index("Ruang Rapat Bappenas") < html.index("Aula Bappeda Lombok Timur")
    assert "WIB" in html
    assert user.name in html


def test_non_admin_services_refused():
    staff = factories.user("secretariat")
    with pytest.raises(PermissionDenied):
        admin.list_audit(staff, ListQuery())
    with pytest.raises(PermissionDenied):
        admin.update_user(staff, staff, {"role": "admin"})
    assert staff.role is Role.SECRETARIAT


def test_a_form_without_its_password_field_is_refused_not_a_500(client, auth):
    """A hand-made POST that leaves the password field out (issue 11's bad-input run)."""
    admin = auth.login(Role.ADMIN)
    before = db.session.scalar(select(func.count()).select_from(User))
    created = auth.post(
        "/admin/users/new", {"email": "tanpa.sandi@bappeda.example.go.id", "name": "Tanpa Sandi"}
    )
    assert created.status_code == 422
    assert "minimal 10 karakter" in created.get_data(as_text=True)
    reset = auth.post(f"/admin/users/{admin.id}/password", {})
    assert reset.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(User)) == before
