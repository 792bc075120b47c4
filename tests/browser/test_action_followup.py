"""A follow-up action done and verified while the secretariat's home page watches
(issue 13, "what it must show"), in real browsers on the real (eventlet) server:

the responsible person opens their personal link's actions page and marks an action done
with a small real PDF as evidence; the secretariat, with ``/home`` open in another browser
context, sees "done, awaiting verification" go up without a reload; the secretariat opens
the action, verifies it, and the home count goes down again, still without a reload. The
home page polls every second here (``?poll=1``) instead of every 15 s. The scene is
seeded by this module run as a script, on the server's database::

    python -m tests.browser.test_action_followup   →   {"link": "/i/…", "action_id": …}
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import seed_server, sign_in
from tests.support import ServerProcess

pytestmark = pytest.mark.browser

TITLE = "Menyusun data petani desa binaan"


def seed() -> dict[str, Any]:
    import secrets
    from datetime import date

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
    from tests import factories

    app = create_app()
    with app.app_context():
        tag = secrets.token_hex(3)
        editor = User(email=f"rtl-{tag}@bappeda.example.go.id", name="Seed", role=Role.SECRETARIAT)
        editor.set_password(secrets.token_hex(16))
        dinas = Organization(
            name=f"Dinas Pertanian Maluku {tag}", kind=OrgKind.OPD, level=OrgLevel.PROVINCE
        )
        venue = Venue(name=f"Aula Bappeda Maluku {tag}", timezone="Asia/Jayapura", capacity=80)
        db.session.add_all([editor, dinas, venue])
        db.session.flush()
        factories.membership(editor, factories.default_institution(), "secretariat")
        person = Person(
            name="Maria Lewerissa",
            email=f"pj-{tag}@pertanian.example.go.id",
            organization_id=dinas.id,
            category=StakeholderCategory.GOVERNMENT,
        )
        db.session.add(person)
        db.session.flush()
        meeting = services.create_meeting(
            editor,
            {
                "title": f"Evaluasi Satu OPD Satu Desa Binaan {tag}",
                "kind": "evaluation",
                "host_venue_id": venue.id,
                **factories.meeting_times("Asia/Jayapura"),
            },
        )
        invitations.invite(
            editor,
            meeting,
            {"person_ids": [person.id], "role": "participant", "site_id": meeting.sites[0].id},
        )
        services.schedule_meeting(editor, meeting)
        action = Action(
            meeting_id=meeting.id,
            title=f"{TITLE} {tag}",
            organization_id=dinas.id,
            person_id=person.id,
            locus="Desa Hative Besar",
            due_on=date(2030, 6, 30),
        )
        db.session.add(action)
        db.session.commit()
        return {
            "link": f"/i/{links.personal_token(meeting.invitations[0])}",
            "action_id": action.id,
            "title": action.title,
        }


def small_pdf() -> bytes:
    """A real one-page PDF (valid cross-reference table), as a scanner would make it."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length 55 >>\nstream\nBT /F1 18 Tf 72 760 Td (Laporan desa binaan) Tj ET\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_done_with_evidence_then_verified_moves_the_home_counts_live(
    page: Any, browser: Any, live_server: ServerProcess, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    scene = seed_server(live_server, "tests.browser.test_action_followup")
    errors: list[str] = []
    contexts = []
    try:
        # The secretariat lands on home after signing in, and keeps it open.
        home = page
        home.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        sign_in(home)
        assert home.url.endswith("/home")
        home.goto("/home?poll=1")
        done = home.locator('#home-actions [data-count="actions_done"]')
        before = int(done.inner_text())
        home.evaluate("window.sameDocument = true")  # gone if the page reloads
        expect(home.locator("#home")).to_have_attribute("data-polled", re.compile(r"^\d+$"))

        # The responsible person marks the action done with a PDF, from their own link.
        person_ctx = browser.new_context(base_url=live_server.base_url, locale="id-ID")
        contexts.append(person_ctx)
        person = person_ctx.new_page()
        person.goto(f"{scene['link']}/actions")
        card = person.locator(f"#action-{scene['action_id']}")
        expect(card).to_contain_text(scene["title"])
        card.get_by_text("Laporkan perkembangan").click()
        card.locator("select[name=status]").select_option("done")
        card.locator("textarea[name=note]").fill("Data 12 desa binaan sudah lengkap.")
        evidence = tmp_path / "laporan-desa-binaan.pdf"
        evidence.write_bytes(small_pdf())
        card.locator("input[type=file]").set_input_files(str(evidence))
        card.get_by_role("button", name="Simpan pembaruan").click()
        expect(person.locator(".flashes")).to_contain_text("Pembaruan tersimpan")
        expect(person.locator(f"#action-{scene['action_id']}")).to_contain_text("Selesai")

        # The secretariat's home shows it, without a reload.
        expect(done).to_have_text(str(before + 1))
        assert home.evaluate("window.sameDocument") is True

        # The secretariat opens the action (another tab), sees the evidence, verifies it.
        detail = home.context.new_page()
        detail.goto(f"/actions/{scene['action_id']}")
        expect(detail.locator("main")).to_contain_text("laporan-desa-binaan.pdf")
        detail.once("dialog", lambda dialog: dialog.accept())
        detail.get_by_role("button", name="Verifikasi").click()
        expect(detail.locator(".flashes")).to_contain_text("diverifikasi")
        detail.close()

        home.bring_to_front()
        expect(done).to_have_text(str(before))
        assert home.evaluate("window.sameDocument") is True

        # The page fits a phone and a projector, in both languages (no sideways scroll).
        for language in ("id", "en"):
            if language == "en":
                home.locator(".lang-switch button[value=en]").click()
                expect(home.locator("#home-documents h2")).to_have_text("Documents waiting")
            for width, height in ((390, 844), (1280, 720)):
                home.set_viewport_size({"width": width, "height": height})
                overflow = home.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (language, width, overflow)
        # The choice is kept on the account, which the other browser tests share: back to
        # Indonesian, the default they expect.
        home.locator(".lang-switch button[value=id]").click()
        expect(home.locator("#home-documents h2")).to_have_text("Dokumen menunggu")
        assert errors == []
    finally:
        for ctx in contexts:
            ctx.close()


if __name__ == "__main__":
    print(json.dumps(seed()))
