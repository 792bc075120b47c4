"""Language: Indonesian by default, English on request, and no string left untranslated."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from flask_babel import get_babel

from meetcoord.i18n_tools import (
    KEYWORDS,
    TRANSLATIONS,
    compile_catalogs,
    extract_msgids,
    load_catalog,
    method_map,
    missing_translations,
    po_path,
)

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w+\}")


@pytest.fixture(scope="session")
def catalogs(app):
    """Compile the .po files (when the .mo is missing or older) before English is shown.

    ``make run`` and ``make test`` compile at install; this keeps a bare ``pytest`` honest
    too. Flask-Babel caches loaded catalogs per process, so the cache is cleared after a
    (re)compile in case an earlier test already looked for English.
    """
    if compile_catalogs():
        with app.app_context():
            get_babel(app).instance.domain_instance.cache.clear()
    return TRANSLATIONS


def _switch(client, lang: str, next_url: str = "/login"):
    page = client.get("/login").get_data(as_text=True)
    token = _CSRF.search(page).group(1)
    return client.post("/lang", data={"lang": lang, "next": next_url, "csrf_token": token})


def test_default_language_is_indonesian(client, catalogs):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Kata sandi" in html
    assert "Masuk dengan akun sekretariat" in html
    assert "Password" not in html


def test_the_browser_language_does_not_choose(client, catalogs):
    """A browser set to English (as shops sell them) still gets Indonesian until asked."""
    html = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="id">' in html
    assert "Kata sandi" in html
    assert "Password" not in html


def test_the_choice_is_remembered_on_the_next_visit(app, client, catalogs):
    english = {"Accept-Language": "en-US,en;q=0.9"}
    response = _switch(client, "en")
    cookie = client.get_cookie("lang")
    assert cookie is not None
    assert cookie.value == "en"
    assert cookie.expires is not None  # kept when the browser closes, unlike the session
    assert "Password" in client.get("/login", headers=english).get_data(as_text=True)

    # The next visit: the browser was closed (no session), only the lasting cookie is left.
    later = app.test_client()
    later.set_cookie("lang", cookie.value)
    html = later.get("/login", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Password" in html
    assert response.status_code == 302


def test_an_api_programme_may_ask_for_english(client, catalogs):
    """A programme's Accept-Language is deliberate; a page's own scripts follow the page."""
    asked = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en"})
    assert asked.get_json()["detail"] == "Page not found."
    from_page = client.get(
        "/api/v1/no-such-thing",
        headers={"Accept-Language": "en", "Sec-Fetch-Site": "same-origin"},
    )
    assert from_page.get_json()["detail"] == "Halaman tidak ditemukan."


def test_switching_to_english_and_back(client, catalogs):
    response = _switch(client, "en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Password" in html
    assert "Sign in with your secretariat account" in html
    assert "Remember me on this device" in html
    assert "Kata sandi" not in html

    _switch(client, "id")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Kata sandi" in html


def test_explicit_choice_beats_the_browser(client, catalogs):
    _switch(client, "id")
    html = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Kata sandi" in html


def test_unknown_language_is_ignored(client, catalogs):
    _switch(client, "fr")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in html


def test_switch_never_redirects_off_site(client, catalogs):
    response = _switch(client, "en", next_url="//evil.example/")
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_error_messages_follow_the_language(client, catalogs):
    _switch(client, "en")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found." in response.get_data(as_text=True)


def test_babel_cfg_covers_python_and_templates():
    methods, _options = method_map()
    assert ("meetcoord/**.py", "python") in methods
    assert ("templates/**.html", "jinja2") in methods
    assert {"_l", "lazy_gettext", "_", "gettext"} <= set(KEYWORDS)


def test_extraction_finds_python_and_template_strings():
    msgids = extract_msgids()
    assert msgids["Kata sandi"].startswith("meetcoord/")  # lazy_gettext in a form
    assert msgids["Masuk dengan akun sekretariat untuk mengelola direktori dan rapat koordinasi."]
    assert any(where.startswith("templates/") for where in msgids.values())


def test_every_source_string_has_an_english_translation():
    """Fails when someone adds a string without translating it. To fix: see i18n_tools."""
    missing = missing_translations("en")
    report = "\n".join(f"  {where}: {msgid!r}" for msgid, where in sorted(missing.items()))
    assert not missing, f"{len(missing)} msgid(s) have no English translation:\n{report}"


def test_catalog_has_no_empty_fuzzy_or_broken_entries():
    catalog = load_catalog("en")
    assert catalog.locale.language == "en"
    for message in catalog:
        if not message.id:
            continue
        assert message.string, f"empty translation for {message.id!r}"
        assert not message.fuzzy, f"fuzzy translation for {message.id!r}"
        assert sorted(_PLACEHOLDER.findall(message.id)) == sorted(
            _PLACEHOLDER.findall(message.string)
        ), f"placeholders differ in {message.id!r}"
    assert not [(m.id, errors) for m, errors in catalog.check()]


def test_template_pot_matches_the_catalog():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    catalog = load_catalog("en")
    pot_ids = {m.id for m in template if m.id}
    assert pot_ids <= {m.id for m in catalog if m.id}


def test_compile_writes_mo_files(tmp_path):
    target = tmp_path / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_bytes(po_path("en").read_bytes())
    assert compile_catalogs(tmp_path) == [target / "messages.mo"]
    assert compile_catalogs(tmp_path) == []  # up to date: nothing to do
    assert compile_catalogs(tmp_path, force=True) == [target / "messages.mo"]
    assert (target / "messages.mo").stat().st_size > 1000
