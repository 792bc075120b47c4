"""Moderated questions in real browsers on the real server (issue 15, point 4).

A participant on a phone-sized page opens the questions page from their live view and
asks a question, anonymously; the secretariat's moderation page sees it (with the
asker's name) and approves it; a second participant's phone shows it without the name
and votes it up; the chair picks it from the questions page of their personal link, and
the projector at site A shows it. (A vote needs an approved question: pending ones are
seen only by their asker and the moderators.)

The scene is seeded in the server's database by this module run as a script::

    python -m tests.browser.test_questions   →   {"chair": "/i/…", ...}
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests import factories
from tests.browser.conftest import seed_server, sign_in
from tests.support import ServerProcess

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def seed() -> dict[str, Any]:
    import secrets

    from meetcoord import create_app
    from meetcoord.accounts.models import Role, User
    from meetcoord.directory.models import Person, StakeholderCategory, Venue
    from meetcoord.extensions import db
    from meetcoord.meetings import agenda, invitations, links, services

    app = create_app()
    with app.app_context():
        tag = secrets.token_hex(3)
        editor = User(email=f"qa-{tag}@bappenas.example.go.id", name="Seed", role=Role.SECRETARIAT)
        editor.set_password(secrets.token_hex(16))
        venue = Venue(name=f"Ruang Rapat Bappenas {tag}", timezone="Asia/Jakarta", capacity=80)
        chair = Person(name=f"Pimpinan Webinar {tag}", category=StakeholderCategory.GOVERNMENT)
        asker = Person(name=f"Penanya Poso {tag}", category=StakeholderCategory.GOVERNMENT)
        voter = Person(name=f"Peserta Bangka {tag}", category=StakeholderCategory.GOVERNMENT)
        db.session.add_all([editor, venue, chair, asker, voter])
        db.session.flush()
        factories.membership(editor, factories.default_institution(), "secretariat")
        meeting = services.create_meeting(
            editor,
            {
                "title": f"Webinar Praktik Baik {tag}",
                "kind": "coordination",
                "host_venue_id": venue.id,
                **factories.meeting_times("Asia/Jakarta"),
            },
        )
        for title in ("Paparan Temanggung", "Tanya jawab"):
            agenda.add_agenda_item(
                editor, meeting, {"title": title, "planned_minutes": 20, "kind": "discussion"}
            )
        site = meeting.sites[0]
        invitations.invite(
            editor, meeting, {"person_ids": [chair.id], "role": "chair", "site_id": site.id}
        )
        invitations.invite(editor, meeting, {"person_ids": [asker.id, voter.id]})
        services.schedule_meeting(editor, meeting)
        by_person = {inv.person_id: inv for inv in meeting.invitations}
        return {
            "meeting_id": meeting.id,
            "site": site.code,
            "chair": f"/i/{links.personal_token(by_person[chair.id])}",
            "asker": f"/i/{links.personal_token(by_person[asker.id])}",
            "asker_name": asker.name,
            "voter": f"/i/{links.personal_token(by_person[voter.id])}",
        }


def _fits(tab: Any) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{width}px wide on a {PHONE['width']}px phone"


def test_a_question_from_a_phone_reaches_the_projector(
    page: Any, browser: Any, live_server: ServerProcess
) -> None:
    from playwright.sync_api import expect

    scene = seed_server(live_server, "tests.browser.test_questions")
    question = "Bagaimana Temanggung membiayai program ini?"

    def context() -> Any:
        ctx = browser.new_context(base_url=live_server.base_url, locale="id-ID")
        ctx.set_default_timeout(15_000)
        return ctx

    chair_ctx, asker_ctx, voter_ctx = context(), context(), context()
    try:
        # The chair opens the meeting and starts the first item from the console.
        chair = chair_ctx.new_page()
        chair.goto(f"{scene['chair']}/console")
        expect(chair.locator("#live-conn")).to_have_text("Terhubung")
        chair.get_by_role("button", name="Buka rapat").click()
        expect(chair.locator("#live-state")).to_have_text("Berlangsung")
        chair.locator("#live-agenda li").first.get_by_role("button", name="Aktifkan").click()

        # The projector and the moderation page: the secretariat, signed in.
        projector = page
        sign_in(projector)
        projector.goto(f"/projector/{scene['site']}")
        expect(projector.locator("#screen-item")).to_have_text("Paparan Temanggung")
        expect(projector.locator("#qa-screen")).to_be_hidden()
        moderator = projector.context.new_page()
        moderator.goto(f"/meetings/{scene['meeting_id']}/questions")
        expect(moderator.locator("#live-conn")).to_have_text("Terhubung")

        # A participant's phone: from the live view to the questions page; asks anonymously.
        asker = asker_ctx.new_page()
        asker.set_viewport_size(PHONE)
        asker.goto(f"{scene['asker']}/live")
        asker.get_by_role("link", name="Tanya jawab").click()
        expect(asker.locator("#live-conn")).to_have_text("Terhubung")
        expect(asker.locator("#qa-item")).to_have_text("Paparan Temanggung")
        asker.fill("#qa-text", question)
        asker.check("#qa-anon")
        asker.get_by_role("button", name="Kirim pertanyaan").click()
        expect(asker.locator("#qa-sent")).to_contain_text("Pertanyaan terkirim")
        mine = asker.locator("#qa-list li", has_text=question)
        expect(mine).to_contain_text("menunggu moderasi")
        _fits(asker)

        # The other phone sees nothing yet; the moderator sees it, with the asker's name.
        voter = voter_ctx.new_page()
        voter.set_viewport_size(PHONE)
        voter.goto(f"{scene['voter']}/questions")
        expect(voter.locator("#live-conn")).to_have_text("Terhubung")
        expect(voter.locator("#qa-list")).to_contain_text("Belum ada pertanyaan.")
        pending = moderator.locator("#qa-pending li", has_text=question)
        expect(pending).to_contain_text(scene["asker_name"])
        pending.get_by_role("button", name="Setujui").click()

        # Approved: the other phone shows it, anonymous, and votes it up.
        shown = voter.locator("#qa-list li", has_text=question)
        expect(shown).to_contain_text("Anonim")
        assert scene["asker_name"] not in voter.content()
        shown.get_by_role("button", name="Dukung").click()
        expect(shown).to_contain_text("1 dukungan")
        expect(shown.get_by_role("button", name="Batalkan dukungan")).to_be_visible()
        expect(mine).to_contain_text("1 dukungan")  # the asker's phone follows
        _fits(voter)

        # The chair picks it from their questions page; the projector shows it.
        board = chair_ctx.new_page()
        board.goto(f"{scene['chair']}/questions")
        picked = board.locator("#qa-list li", has_text=question)
        picked.get_by_role("button", name="Pilih untuk dijawab").click()
        expect(picked).to_contain_text("sedang dijawab")
        expect(projector.locator("#qa-screen")).to_be_visible()
        expect(projector.locator("#qa-screen [data-qa-text]")).to_have_text(question)
        expect(projector.locator("#qa-screen [data-qa-who]")).to_have_text("Anonim · 1 dukungan")
        expect(voter.locator("#qa-list li", has_text=question)).to_contain_text("sedang dijawab")
        projector.set_viewport_size({"width": 1280, "height": 720})
        assert projector.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        for ctx in (chair_ctx, asker_ctx, voter_ctx):
            ctx.close()


def _questions(server: ServerProcess, meeting_id: int) -> list[str]:
    import sqlite3

    path = server.env["MEETCOORD_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT text FROM questions WHERE meeting_id = ?", (meeting_id,))
        return [text for (text,) in rows.fetchall()]


def test_a_question_asked_offline_waits_on_the_phone_and_arrives_once(
    browser: Any, live_server: ServerProcess
) -> None:
    """Issue 16: the questions page opened once loads with no network (service worker);
    a question asked then is kept on the device, survives a reload, and reaches the server
    once when the link returns (the same nonce on every attempt)."""
    from playwright.sync_api import expect

    from tests.browser.test_offline_pwa import wait_kept

    scene = seed_server(live_server, "tests.browser.test_questions")
    question = "Apakah dana desa boleh dipakai untuk posyandu?"

    def context(**extra: Any) -> Any:
        ctx = browser.new_context(base_url=live_server.base_url, locale="id-ID", **extra)
        ctx.set_default_timeout(15_000)
        return ctx

    chair_ctx, asker_ctx = context(), context(service_workers="allow")
    try:
        chair = chair_ctx.new_page()
        chair.goto(f"{scene['chair']}/console")
        expect(chair.locator("#live-conn")).to_have_text("Terhubung")
        chair.get_by_role("button", name="Buka rapat").click()
        expect(chair.locator("#live-state")).to_have_text("Berlangsung")
        chair.locator("#live-agenda li").first.get_by_role("button", name="Aktifkan").click()

        asker = asker_ctx.new_page()
        asker.set_viewport_size(PHONE)
        asker.goto(f"{scene['asker']}/questions")
        expect(asker.locator("#live-conn")).to_have_text("Terhubung")
        expect(asker.locator("#qa-item")).to_have_text("Paparan Temanggung")
        wait_kept(asker, ["live-questions.js", "live-client.js"])

        asker_ctx.set_offline(True)
        asker.reload()  # from the worker's copy
        expect(asker.locator("#qa-text")).to_be_visible()
        asker.fill("#qa-text", question)
        asker.get_by_role("button", name="Kirim pertanyaan").click()
        expect(asker.locator("#qa-sent")).to_contain_text("disimpan di perangkat ini")
        asker.reload()  # closed and opened again, still offline: the question is still kept
        expect(asker.locator("#qa-text")).to_be_visible()
        assert asker.evaluate("window.MeetcoordLive.clients[0].queued()") == 1
        assert _questions(live_server, scene["meeting_id"]) == []

        asker_ctx.set_offline(False)
        expect(asker.locator("#live-conn")).to_have_text("Terhubung", timeout=30_000)
        expect(asker.locator("#qa-sent")).to_contain_text("Pertanyaan terkirim", timeout=20_000)
        assert asker.evaluate("window.MeetcoordLive.clients[0].queued()") == 0
        assert _questions(live_server, scene["meeting_id"]) == [question]
        asker.reload()
        expect(asker.locator("#live-conn")).to_have_text("Terhubung")
        asker.wait_for_timeout(1_000)
        assert _questions(live_server, scene["meeting_id"]) == [question]  # once
    finally:
        for ctx in (chair_ctx, asker_ctx):
            ctx.close()


if __name__ == "__main__":
    print(json.dumps(seed()))
