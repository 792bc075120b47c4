"""The meeting page as a workspace in a real browser (issue 16 point 4): the person picker
searches and chooses by keyboard, an agenda item is added without reloading the page, and
the overview tab is a short page on a 1366x900 screen that fits a 390 px phone.

Runs against the real server with the demo directory (Forum BangKIT's 24 members).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from meetcoord.demo import DEMO_LOGINS
from tests.support import ServerProcess, run_cli

pytestmark = pytest.mark.browser

SBD = next(login for login in DEMO_LOGINS if login.institution == "sbd")
HOST = "Aula Bappeda Sumba Barat Daya, Tambolaka (WITA)"
WIT_SITE = "Ruang Rapat Lantai 6 Kantor Gubernur Maluku, Ambon (WIT)"
FORUM = (
    "Forum Koordinasi Pengembangan Perencanaan Masyarakat yang Inklusif di Perdesaan "
    "Kabupaten Sumba Barat Daya"
)
TABS = ("overview", "sites", "agenda", "invitees", "checkin", "live", "documents")
# The single page this replaced measured 6,600 px on a 1366x900 screen (issue 16).
OVERVIEW_MAX_PX = 1_800


@pytest.fixture(scope="module")
def demo_directory(live_server: ServerProcess) -> Iterator[ServerProcess]:
    run_cli(live_server.env, "demo", "load")
    return live_server


def height(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


def width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_picker_agenda_without_reload_and_a_short_overview(
    page: Any, demo_directory: ServerProcess
) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/login")
    page.fill("#email", SBD.email)
    page.fill("#password", SBD.password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto("/meetings/new")
    page.fill("#title", "Rakor Ruang Kerja Forum BangKIT")
    page.fill("#purpose", "Evaluasi capaian rencana aksi per OPD")
    page.select_option("#kind", "coordination")
    page.select_option("#host_venue_id", label=HOST)
    page.fill("#start_at", "2030-06-11T09:00")
    page.fill("#end_at", "2030-06-11T12:00")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(lambda url: "/new" not in url)
    overview_url = page.url
    tabs = page.get_by_role("navigation", name="Bagian rapat")

    # A site, the forum at each member's usual site, so the other tabs have content.
    tabs.get_by_role("link", name="Lokasi").click()
    page.select_option("#venue_id", label=WIT_SITE)
    page.get_by_role("button", name="Tambah lokasi").click()
    expect(page.locator(".flashes")).to_contain_text("ditambahkan")
    tabs.get_by_role("link", name="Undangan").click()
    forum_form = page.locator("form.invite-form", has=page.locator("#f-forum_id"))
    forum_form.locator("#f-forum_id").select_option(label=FORUM)
    expect(forum_form.locator("#f-site_id")).to_have_value("usual")
    forum_form.get_by_role("button", name="Undang").click()
    expect(page.locator(".flashes")).to_contain_text("orang diundang.")

    # The person picker: type, the list opens, arrow down, Enter chooses, the form posts.
    picker = page.get_by_role("combobox", name="Cari orang")
    expect(page.locator("#p-person_ids")).to_be_hidden()
    listbox = page.get_by_role("listbox")
    picker.type("Kaka")
    taken = listbox.get_by_role("option").filter(has_text="Yohanes Bili Kaka").first
    expect(taken).to_be_visible()
    expect(taken).to_have_attribute("aria-disabled", "true")  # already invited with the forum
    picker.fill("")
    picker.type("Sri Handay")
    option = listbox.get_by_role("option").filter(has_text="Sri Handayani")
    option = option.filter(has_text="Perencana Ahli Madya")  # the Bappenas one
    expect(option).to_have_count(1)
    for _ in range(listbox.get_by_role("option").count()):  # arrow down to her
        picker.press("ArrowDown")
        if option.get_attribute("aria-selected") == "true":
            break
    expect(option).to_have_attribute("aria-selected", "true")
    expect(picker).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
    picker.press("Enter")
    expect(listbox).to_be_hidden()
    expect(picker).to_have_value(re.compile(r"^Sri Handayani"))
    assert page.locator("#p-person_ids").input_value() != ""
    page.select_option("#p-role", "minute_taker")
    page.locator("form.invite-form", has=picker).get_by_role("button", name="Undang").click()
    expect(page.locator(".flashes")).to_contain_text("1 orang diundang.")
    expect(page.locator("table.invitees")).to_contain_text("Sri Handayani")

    # Agenda items added without a reload: a mark set on the page survives each add.
    tabs.get_by_role("link", name="Agenda").click()
    page.evaluate("window.__sameDocument = true")
    for title, minutes in (("Pembukaan", "15"), ("Paparan capaian RTL per OPD", "45")):
        page.fill("#title", title)
        page.fill("#planned_minutes", minutes)
        page.get_by_role("button", name="Tambah butir").click()
        expect(page.locator("#agenda-list")).to_contain_text(title)
        expect(page.locator("#agenda-added")).to_have_text(f"Butir agenda {title} ditambahkan.")
    assert page.evaluate("window.__sameDocument") is True
    items = page.locator("#agenda-list .agenda-item")
    expect(items.nth(1)).to_contain_text("09.15 WITA")
    expect(page.locator("#agenda-summary")).to_contain_text("10.00 WITA")
    expect(items.nth(0).get_by_role("button", name="Turunkan Pembukaan")).to_be_enabled()
    # A refused item falls back to the plain post, which shows the message by the field.
    page.fill("#title", "")
    page.get_by_role("button", name="Tambah butir").click()
    expect(page.locator(".alert-error")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is None  # that one did load a page
    page.goto(overview_url + "?tab=agenda")
    expect(items).to_have_count(2)

    # The overview is short on a 1366x900 screen; every tab fits a 390 px phone.
    page.goto(overview_url)
    overview = height(page)
    print(f"overview height at 1366x900: {overview} px")
    assert overview <= OVERVIEW_MAX_PX, overview
    page.set_viewport_size({"width": 390, "height": 844})
    for tab in TABS:
        page.goto(f"{overview_url}?tab={tab}")
        assert width(page) <= 390, (tab, width(page))
        print(f"{tab} at 390 px: {height(page)} px high")
