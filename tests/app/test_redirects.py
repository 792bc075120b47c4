"""No user-supplied ``next`` leads off this site (issue 11, point 5).

Browsers drop tabs and line breaks inside a URL and read ``\\`` as ``/``, so targets
that look like paths here are addresses on another host there. One helper
(``core.security.is_safe_target`` / ``redirect_back``) judges every such redirect: the
login form's ``next`` and the language switch's.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests import factories
from tests.conftest import AuthActions

UNSAFE = [
    "/\t/evil.example",  # the reported one: next=/%09/evil.example
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "///evil.example",
    "https://evil.example",
    "http:/evil.example",
    "/\n/evil.example",  # %0a: answered 500 before
    "/\r\n/evil.example",
    "\n//evil.example",
    "/%0a\n/evil.example",
    " //evil.example",
    "/\u200b/evil.example",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "",
]
SAFE = ["/", "/meetings/5", "/directory/people?q=Kaka&page=2", "/login?", "/meetings/5#agenda"]


@pytest.mark.parametrize("target", UNSAFE)
def test_unsafe_targets_are_refused(target: str) -> None:
    from meetcoord.core.security import is_safe_target

    assert is_safe_target(target) is False


@pytest.mark.parametrize("target", SAFE)
def test_paths_on_this_site_are_allowed(target: str) -> None:
    from meetcoord.core.security import is_safe_target

    assert is_safe_target(target) is True


def _lands_home(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost"), response.headers["Location"]
    assert location.path == "/", response.headers["Location"]


@pytest.mark.parametrize("target", [t for t in UNSAFE if t])
def test_login_never_redirects_off_site(client, target: str) -> None:
    auth = AuthActions(client)
    user = factories.user("secretariat")
    page = client.get("/login")
    token = auth.token_from(page.get_data(as_text=True))
    response = client.post(
        "/login?next=" + quote(target, safe=""),
        data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token},
    )
    _lands_home(response)
    # Signed in already: the same rule on the GET that bounces back.
    _lands_home(client.get("/login?next=" + quote(target, safe="")))


def test_login_returns_to_a_page_on_this_site(client) -> None:
    auth = AuthActions(client)
    user = factories.user("secretariat")
    token = auth.token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=" + quote("/directory/people?q=Kaka", safe=""),
        data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/directory/people?q=Kaka")


@pytest.mark.parametrize("target", [t for t in UNSAFE if t])
def test_language_switch_never_redirects_off_site(client, target: str) -> None:
    token = AuthActions.token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/lang", data={"lang": "en", "next": target, "csrf_token": token})
    _lands_home(response)


def test_reported_query_strings_over_raw_urls(client) -> None:
    """The exact strings from the report, percent-encoded as an attacker sends them."""
    auth = AuthActions(client)
    auth.login("secretariat")
    for raw in ("/%09/evil.example", "/%0a/evil.example", "%0a//evil.example", "/%0d%0a/x"):
        _lands_home(client.get("/login?next=" + raw))
