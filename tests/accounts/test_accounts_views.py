"""Login pages, CSRF, rate limiting and the headers every page carries."""

from __future__ import annotations

import re

from meetcoord.accounts.models import User
from meetcoord.extensions import db
from tests import factories

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _token(client, ip: str = "127.0.0.1") -> str:
    html = client.get("/login", environ_base={"REMOTE_ADDR": ip}).get_data(as_text=True)
    match = CSRF.search(html)
    assert match
    return match.group(1)


def test_login_page_is_indonesian_and_has_the_form(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Masuk" in html
    assert 'id="email"' in html
    assert 'id="password"' in html
    assert 'type="submit"' in html
    assert "meetcoord" in html
    # signed out: no directory navigation
    assert "/directory/people" not in html


def test_anonymous_is_sent_to_login(client):
    response = client.get("/directory/venues")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_and_logout(client, auth):
    user = auth.login("secretariat")
    page = client.get("/directory/organizations")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert user.name in html
    assert "Selamat datang" in html
    for label in ("Organisasi", "Orang", "Forum", "Tempat", "Keluar"):
        assert label in html
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/directory/organizations").status_code == 302


def test_wrong_password_is_401_and_stays_anonymous(client):
    user = factories.user("secretariat")
    ip = "10.200.0.1"
    response = client.post(
        "/login",
        data={"email": user.email, "password": "salah-sekali", "csrf_token": _token(client, ip)},
        environ_base={"REMOTE_ADDR": ip},
    )
    assert response.status_code == 401
    assert "Email atau kata sandi salah." in response.get_data(as_text=True)
    assert client.get("/directory/organizations").status_code == 302


def test_login_without_csrf_is_400_and_logs_nobody_in(client):
    user = factories.user("secretariat")
    before = user.last_login_at
    response = client.post(
        "/login",
        data={"email": user.email, "password": factories.PASSWORD},
        environ_base={"REMOTE_ADDR": "10.200.0.2"},
    )
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).last_login_at == before
    assert client.get("/directory/organizations").status_code == 302


def test_login_rate_limit_gives_429(app, client):
    """Per address: guesses at many accounts from one address (no account reaches its
    own limit) are stopped; another address is not affected."""
    user = factories.user("secretariat")
    ip = "10.201.7.7"
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    token = _token(client, ip)

    def attempt(email: str, password: str, address: str) -> int:
        data = {"email": email, "password": password, "csrf_token": token}
        return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address}).status_code

    statuses = [attempt(f"tebak{n}@bappeda.example.go.id", "bukan-ini", ip) for n in range(limit)]
    assert statuses == [401] * limit
    blocked = client.post(
        "/login",
        data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": ip},
    )
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.get_data(as_text=True)
    # another address is not affected
    assert attempt(user.email, factories.PASSWORD, "10.201.7.8") == 302


def test_security_headers_and_csp_without_inline(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    # the CSP forbids inline code, so the pages must not carry any
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert " style=" not in html
    assert "onclick=" not in html
    assert re.search(r'<script src="/static/js/app\.[0-9a-f]{8}\.js" defer>', html)


def test_session_cookie_flags_on_login(client):
    user = factories.user("secretariat")
    ip = "10.203.0.1"
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": factories.PASSWORD,
            "csrf_token": _token(client, ip),
        },
        environ_base={"REMOTE_ADDR": ip},
    )
    assert response.status_code == 302
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_language_switch_to_english_and_back(client):
    token = _token(client)
    response = client.post("/lang", data={"lang": "en", "next": "/login?", "csrf_token": token})
    assert response.status_code == 302
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    client.post("/lang", data={"lang": "id", "next": "/login", "csrf_token": token})
    assert '<html lang="id">' in client.get("/login").get_data(as_text=True)


def test_language_switch_refuses_offsite_next(client):
    response = client.post(
        "/lang", data={"lang": "en", "next": "//evil.example", "csrf_token": _token(client)}
    )
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_error_pages_use_the_layout(client, auth):
    auth.login("secretariat")
    response = client.get("/directory/venues/999999/edit")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Data tidak ditemukan." in html
    assert "meetcoord" in html
