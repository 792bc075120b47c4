"""A secretariat member logs in and adds a venue in WITA, in a real browser."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import SECRETARIAT_EMAIL, SECRETARIAT_PASSWORD

pytestmark = pytest.mark.browser


def test_login_and_add_venue(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.fill("#email", SECRETARIAT_EMAIL)
    page.fill("#password", SECRETARIAT_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/login" not in url)

    name = "Aula Rapat Bappeda Lombok Timur"
    page.goto("/directory/venues/new")
    page.fill("#name", name)
    page.fill("#address", "Jl. Prof. M. Yamin No. 57, Selong")
    page.fill("#city", "Selong")
    page.select_option("#timezone", "Asia/Makassar")
    page.fill("#capacity", "80")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(lambda url: "/new" not in url)

    page.goto(f"/directory/venues?q={quote(name)}")
    row = page.locator("tr, li", has_text=name).last
    expect(row).to_be_visible()
    expect(row).to_contain_text("WITA")
