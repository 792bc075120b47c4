"""The action review in two browsers on the real (eventlet) server (issue 13, carry-over):
the forum's next meeting reviews an open action of its previous one, owed by the agency of
a participant at site B. From their phone (390 px) the participant moves it to "in
progress" and the chair's console shows it; the chair marks it done from the console and
the phone shows the new status without a reload, its own buttons gone (verifying is the
secretariat's). A dropped step asks for a reason first. While the review is the current
item, site A's projector counts the actions by status. Everything fits 390 px and
1280×720.

Seeded in the server's database by this module run as a script, as test_live_room is.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests import factories
from tests.browser.conftest import seed_server, sign_in
from tests.support import ServerProcess

pytestmark = pytest.mark.browser

TITLE = "Menyusun data cadangan pangan desa"


def seed() -> dict[str, Any]:
    import secrets
    from datetime import timedelta

    from meetcoord import create_app
    from meetcoord.accounts.models import Role, User
    from meetcoord.actions.models import Action
    from meetcoord.directory.models import (
        Organization,
        OrgKind,
        OrgLevel,
        Person,
        StakeholderCategory,
        Venue,
    )
    from meetcoord.extensions import db
    from meetcoord.meetings import invitations, links, services

    app = create_app()
    with app.app_context():
        tag = secrets.token_hex(3)
        editor = User(email=f"rv-{tag}@bappeda.example.go.id", name="Seed", role=Role.SECRETARIAT)
        editor.set_password(secrets.token_hex(16))
        wita = Venue(name=f"Aula Bappeda SBD {tag}", timezone="Asia/Makassar", capacity=80)
        wit = Venue(name=f"Kantor Gubernur Maluku {tag}", timezone="Asia/Jayapura", capacity=80)
        agency = Organization(
            name=f"Dinas Ketahanan Pangan {tag}", kind=OrgKind.OPD, level=OrgLevel.PROVINCE
        )
        db.session.add_all([editor, wita, wit, agency])
        db.session.flush()
        chair = Person(name="Ir. Yohanes Bili, M.Si.", category=StakeholderCategory.GOVERNMENT)
        member = Person(
            name=f"Peserta Ambon {tag}",
            category=StakeholderCategory.GOVERNMENT,
            organization_id=agency.id,
        )
        db.session.add_all([chair, member])
        db.session.flush()
        factories.membership(editor, factories.default_institution(), "secretariat")
        forum = factories.forum()

        def meeting(title: str, **when: Any) -> Any:
            return services.create_meeting(
                editor,
                {
                    "title": f"{title} {tag}",
                    "kind": "coordination",
                    "host_venue_id": wita.id,
                    "forum_id": forum.id,
                    **factories.meeting_times("Asia/Makassar", **when),
                },
            )

        previous = meeting("Rakor Pangan triwulan I", starts_in=-timedelta(days=90))
        db.session.add(Action(meeting_id=previous.id, title=TITLE, organization_id=agency.id))
        current = meeting("Rakor Pangan triwulan II")
        services.add_site(editor, current, {"venue_id": wit.id})
        site_a, site_b = current.sites
        invitations.invite(
            editor, current, {"person_ids": [chair.id], "role": "chair", "site_id": site_a.id}
        )
        invitations.invite(editor, current, {"person_ids": [member.id], "site_id": site_b.id})
        services.schedule_meeting(editor, current)  # the standing items, the review's too
        by_person = {inv.person_id: inv for inv in current.invitations}
        return {
            "site_a": site_a.code,
            "chair": f"/i/{links.personal_token(by_person[chair.id])}",
            "member": f"/i/{links.personal_token(by_person[member.id])}",
        }


def test_the_chair_marks_a_carried_action_done_and_the_agency_s_phone_follows(
    page: Any, browser: Any, live_server: ServerProcess
) -> None:
    from playwright.sync_api import expect

    scene = seed_server(live_server, "tests.browser.test_live_review")
    errors: list[str] = []

    def tab(width: int, height: int) -> Any:
        ctx = browser.new_context(base_url=live_server.base_url, locale="id-ID")
        ctx.set_default_timeout(15_000)
        page = ctx.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        return ctx, page

    chair_ctx, chair = tab(1280, 720)
    phone_ctx, phone = tab(390, 844)
    try:
        chair.goto(f"{scene['chair']}/console")
        expect(chair.locator("#live-conn")).to_have_text("Terhubung")
        panel = chair.locator("#live-review")
        row = panel.locator("li.review-item", has_text=TITLE)
        expect(row.locator(".review-status")).to_have_text("Belum dimulai")
        expect(row).to_contain_text("Dinas Ketahanan Pangan")
        expect(row.locator("button[data-status]").first).to_be_disabled()  # not open yet

        phone.goto(f"{scene['member']}/live")
        expect(phone.locator("#live-conn")).to_have_text("Terhubung")
        mine = phone.locator("#live-review [data-review-list] li", has_text=TITLE)
        expect(mine.locator(".review-status")).to_have_text("Belum dimulai")

        chair.get_by_role("button", name="Buka rapat").click()
        expect(phone.locator("#live-state")).to_have_text("Berlangsung")

        # The agency, from the phone: in progress (never verify or drop from there).
        expect(mine.locator("button[data-status]")).to_have_count(2)
        mine.get_by_role("button", name=f"Ubah status “{TITLE}” menjadi Sedang dikerjakan").click()
        expect(mine.locator(".review-status")).to_have_text("Sedang dikerjakan")
        expect(row.locator(".review-status")).to_have_text("Sedang dikerjakan")
        expect(row).to_contain_text("sebelum rapat ini: Belum dimulai")

        # Dropping asks why; dismissed, nothing is sent.
        chair.once("dialog", lambda dialog: dialog.dismiss())
        row.locator('button[data-status="dropped"]').click()
        expect(row.locator(".review-status")).to_have_text("Sedang dikerjakan")

        # The chair marks it done with a short note; the phone follows without a reload.
        row.locator("input.review-note").fill("Data 12 desa sudah masuk")
        row.locator('button[data-status="done"]').click()
        expect(row.locator("[role=status]")).to_have_text("Tersimpan.")
        expect(row.locator(".review-status")).to_have_text("Selesai")
        expect(mine.locator(".review-status")).to_have_text("Selesai")
        expect(mine).to_contain_text("Data 12 desa sudah masuk")
        expect(mine.locator("button[data-status]")).to_have_count(0)  # verifying: the secretariat
        expect(row.locator('button[data-status="verified"]')).to_be_visible()

        # The projector at site A (1280×720) counts by status while the review is the
        # current item, and shows nothing of it otherwise.
        projector = page
        projector.set_viewport_size({"width": 1280, "height": 720})
        sign_in(projector)
        projector.goto(f"/projector/{scene['site_a']}")
        expect(projector.locator("#live-conn")).to_have_text("Terhubung")
        expect(projector.locator("#screen-review")).to_be_hidden()
        item = chair.locator("#live-agenda li", has_text="Tinjauan tindak lanjut")
        item.get_by_role("button", name="Aktifkan").click()
        expect(projector.locator("#screen-review-counts")).to_have_text("Selesai1")
        expect(panel).to_have_attribute("data-current", "1")

        # All fit: no sideways scrolling on the phone, the console or the projector.
        for tab_, width in ((phone, 390), (chair, 1280), (projector, 1280)):
            assert tab_.evaluate("document.documentElement.scrollWidth") <= width
        chair.set_viewport_size({"width": 390, "height": 844})  # the chair on a phone
        expect(row.locator('button[data-status="verified"]')).to_be_visible()
        assert chair.evaluate("document.documentElement.scrollWidth") <= 390
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        chair_ctx.close()
        phone_ctx.close()


if __name__ == "__main__":
    print(json.dumps(seed()))
