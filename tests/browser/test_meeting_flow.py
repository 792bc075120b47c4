"""The secretariat sets up a three-site meeting across WITA, WIB and WIT, invites a forum
and sends the invitations; the secretariat mails one invitee their personal link again (it is
shown on no staff page) and the invitee opens it from that mail and answers "Hadir".

Runs against the real server (``live_server``) with the demo directory loaded through the
CLI: venues in all three zones and the 24 members of Forum BangKIT. Mail goes to the
console transport (the server's default), so nothing tries SMTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from meetcoord.demo import DEMO_LOGINS
from tests.browser.conftest import mail_text, newest_mail
from tests.support import ServerProcess, run_cli

pytestmark = pytest.mark.browser

HOST = "Aula Bappeda Sumba Barat Daya, Tambolaka (WITA)"
WIB_SITE = "Ruang Rapat Bappenas, Jakarta (WIB)"
WIT_SITE = "Ruang Rapat Lantai 6 Kantor Gubernur Maluku, Ambon (WIT)"
# Forum BangKIT is Bappeda SBD's: its secretariat runs this meeting (another institution's
# staff would not even see the forum).
SBD = next(login for login in DEMO_LOGINS if login.institution == "sbd")
FORUM = (
    "Forum Koordinasi Pengembangan Perencanaan Masyarakat yang Inklusif di Perdesaan "
    "Kabupaten Sumba Barat Daya"
)


@pytest.fixture(scope="module")
def demo_directory(live_server: ServerProcess) -> Iterator[ServerProcess]:
    run_cli(live_server.env, "demo", "load")
    return live_server


def test_three_site_meeting_invite_forum_and_rsvp(
    page: Any, browser: Any, demo_directory: ServerProcess
) -> None:
    from playwright.sync_api import expect

    page.on("dialog", lambda dialog: dialog.accept())  # "Kirim undangan" asks first
    page.goto("/login")
    page.fill("#email", SBD.email)
    page.fill("#password", SBD.password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/login" not in url)

    # A meeting hosted in WITA: the times typed are the host venue's wall clock.
    page.goto("/meetings/")
    page.get_by_role("link", name="Rapat baru").first.click()
    page.fill("#title", "Rapat Koordinasi Forum BangKIT Triwulan II")
    page.fill("#purpose", "Evaluasi capaian rencana aksi stunting per OPD")
    page.select_option("#kind", "coordination")
    page.select_option("#host_venue_id", label=HOST)
    page.fill("#start_at", "2030-05-14T09:00")
    page.fill("#end_at", "2030-05-14T12:00")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(lambda url: "/new" not in url)
    expect(page.locator("h1")).to_contain_text("Rapat Koordinasi Forum BangKIT Triwulan II")

    # The page is a workspace: one tab per section, the current one marked.
    tabs = page.get_by_role("navigation", name="Bagian rapat")
    expect(tabs.locator('[aria-current="page"]')).to_have_text("Ringkasan")

    # Two more linked sites, in WIB and WIT (20 seats there: the forum has 24 members).
    tabs.get_by_role("link", name="Lokasi").click()
    for label, seats in ((WIB_SITE, "40"), (WIT_SITE, "20")):
        page.select_option("#venue_id", label=label)
        page.fill("#capacity", seats)
        page.get_by_role("button", name="Tambah lokasi").click()
        expect(page.locator("#sites")).to_contain_text(label.rsplit(" (", 1)[0])
        expect(tabs.locator('[aria-current="page"]')).to_contain_text("Lokasi")  # same tab
    tabs.get_by_role("link", name="Ringkasan").click()
    expect(page.locator(".facts .zones")).to_contain_text("08.00 WIB / 09.00 WITA / 10.00 WIT")

    # Agenda: two items, reordered by dragging (agenda.js posts the whole order) and
    # back with the ↑ button (a plain form), the planned times following each move.
    tabs.get_by_role("link", name="Agenda").click()
    for title, minutes in (("Pembukaan", "15"), ("Paparan capaian RTL per OPD", "45")):
        page.fill("#title", title)
        page.fill("#planned_minutes", minutes)
        page.get_by_role("button", name="Tambah butir").click()
        expect(page.locator("#agenda-list")).to_contain_text(title)
    items = page.locator("#agenda-list .agenda-item")
    expect(items.nth(1)).to_contain_text("09.15 WITA")
    items.nth(1).drag_to(items.nth(0))
    expect(page.locator("#agenda-note")).to_have_text("Urutan agenda tersimpan.")
    expect(items.nth(0)).to_contain_text("Paparan capaian RTL per OPD")
    expect(items.nth(1)).to_contain_text("09.45 WITA")
    page.reload()
    expect(items.nth(0)).to_contain_text("Paparan capaian RTL per OPD")
    page.get_by_role("button", name="Naikkan Pembukaan").click()
    expect(items.nth(0)).to_contain_text("Pembukaan")
    expect(items.nth(1)).to_contain_text("09.15 WITA")

    # The whole forum, to the WIT site.
    tabs.get_by_role("link", name="Undangan").click()
    forum_form = page.locator("form.invite-form", has=page.locator("#f-forum_id"))
    forum_form.locator("#f-forum_id").select_option(label=FORUM)
    forum_form.locator("#f-site_id").select_option(label=WIT_SITE)
    forum_form.get_by_role("button", name="Undang").click()
    expect(page.locator(".flashes")).to_contain_text("24 orang diundang.")
    expect(page.locator(".flashes .alert")).to_be_focused()  # kept in view after the step
    tabs.get_by_role("link", name="Lokasi").click()
    expect(page.locator("tr.over-capacity")).to_contain_text(
        "Melebihi kapasitas: 24 orang untuk 20 kursi."
    )

    # Nobody is chair or minute-taker: sending asks first.
    tabs.get_by_role("link", name="Undangan").click()
    page.get_by_role("button", name="Kirim undangan").click()
    expect(page.locator("h1")).to_have_text("Kirim undangan tanpa pimpinan atau notulis?")
    page.get_by_role("button", name="Tetap kirim undangan").click()
    expect(page.locator(".flashes")).to_contain_text("24 undangan dikirim")
    expect(page.locator("h1 .badge")).to_have_text("Terjadwal")

    # Nobody's personal link is on the page; the secretariat can only mail it again to the
    # invitee's own address (asked first), and the invitee opens it from that mail.
    assert "/i/" not in page.content()
    first_row = page.locator("table.invitees tbody tr").first
    name = first_row.locator("td").first.inner_text().splitlines()[0].strip()
    first_row.get_by_role("link", name=f"Kirim ulang tautan pribadi {name}").click()
    expect(page.locator("h1")).to_have_text("Kirim ulang tautan pribadi?")
    page.get_by_role("button", name="Ya, kirim ulang tautan").click()
    expect(page.locator(".flashes")).to_contain_text(f"Tautan pribadi {name} dikirim ulang")
    assert "/i/" not in page.content()
    mail = newest_mail(demo_directory, "personal_link")
    found = re.search(r"https?://\S+/i/[A-Za-z0-9_-]+", mail_text(mail))
    assert found, "no personal link in the mail"
    path = urlsplit(found.group(0)).path

    participant = browser.new_context(base_url=demo_directory.base_url, locale="id-ID")
    try:
        phone = participant.new_page()
        phone.goto(path)
        expect(phone.locator("body")).to_contain_text("Rapat Koordinasi Forum BangKIT Triwulan II")
        phone.get_by_label("Hadir", exact=True).check()
        phone.get_by_role("button", name="Kirim jawaban").click()
        expect(phone.locator("body")).to_contain_text("Jawaban Anda tersimpan")
    finally:
        participant.close()

    # The secretariat sees the answer.
    page.reload()
    row = page.locator("table.invitees tbody tr", has_text=name).first
    expect(row.locator(".badge")).to_have_text("Hadir")
