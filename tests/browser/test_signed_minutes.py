"""Signed minutes in real browsers on the real (eventlet) server, as issue 6 asks:

the chair closes the meeting from the console; the secretariat starts the minutes; the
minute-taker writes the notes and circulates them through their personal link; a
participant comments; the secretariat closes the comment period early with a reason and
finalises; the background worker renders the PDF; the chair signs, then the minute-taker
(out of order is refused), each with a one-time code read from their own mail; the
verification page says the file is the registered final version with both signatures
intact and signed with a mailed code, for the QR's hash and for the downloaded file
uploaded back, and "modified after signing" (in WITA) for a changed copy. The scene is
seeded by this module run as a script, on the server's database::

    python -m tests.browser.test_signed_minutes   →   {"chair": "/i/…", ...}
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from meetcoord.core.timezones import to_zone
from tests import factories
from tests.browser.conftest import (
    mail_text,
    newest_mail,
    seed_server,
    sign_in,
)
from tests.support import ServerProcess

pytestmark = pytest.mark.browser

CHAIR = "Ir. Yohanes Bili, M.Si."
MINUTE_TAKER = "Maria Kaka' Lede"
PARTICIPANT = "José Ndapa Talu"


def seed() -> dict[str, Any]:
    import secrets

    from meetcoord import create_app
    from meetcoord.accounts.models import Role, User
    from meetcoord.directory.models import (
        Organization,
        OrgKind,
        OrgLevel,
        Person,
        StakeholderCategory,
        Venue,
    )
    from meetcoord.extensions import db
    from meetcoord.meetings import agenda, invitations, links, services

    app = create_app()
    with app.app_context():
        tag = secrets.token_hex(3)
        editor = User(email=f"doc-{tag}@bappeda.example.go.id", name="Seed", role=Role.SECRETARIAT)
        editor.set_password(secrets.token_hex(16))
        bappeda = Organization(
            name=f"Bappeda Sumba Barat Daya {tag}", kind=OrgKind.OPD, level=OrgLevel.REGENCY
        )
        venue = Venue(name=f"Aula Bappeda SBD {tag}", timezone="Asia/Makassar", capacity=80)
        db.session.add_all([editor, bappeda, venue])
        db.session.flush()
        factories.membership(editor, factories.default_institution(), "secretariat")
        people = {
            role: Person(
                name=name,
                email=f"{role}-{tag}@bappeda.example.go.id",
                organization_id=bappeda.id,
                category=StakeholderCategory.GOVERNMENT,
            )
            for role, name in (
                ("chair", CHAIR),
                ("minute_taker", MINUTE_TAKER),
                ("participant", PARTICIPANT),
            )
        }
        db.session.add_all(people.values())
        db.session.flush()
        meeting = services.create_meeting(
            editor,
            {
                "title": f"Rakor Stunting {tag}",
                "kind": "coordination",
                "host_venue_id": venue.id,
                **factories.meeting_times("Asia/Makassar"),  # check-in and the room open
            },
        )
        for title in ("Pembukaan", "Data stunting per desa"):
            agenda.add_agenda_item(
                editor, meeting, {"title": title, "planned_minutes": 20, "kind": "discussion"}
            )
        site = meeting.sites[0]
        for role, person in people.items():
            invitations.invite(
                editor, meeting, {"person_ids": [person.id], "role": role, "site_id": site.id}
            )
        services.schedule_meeting(editor, meeting)
        by_person = {inv.person_id: inv for inv in meeting.invitations}
        return {
            "meeting_id": meeting.id,
            **{
                role: f"/i/{links.personal_token(by_person[person.id])}"
                for role, person in people.items()
            },
            "emails": {role: person.email for role, person in people.items()},
        }


def _errors(tab: Any, into: list[str]) -> None:
    tab.on("console", lambda m: into.append(m.text) if m.type == "error" else None)


def _open_document(tab: Any, personal_link: str) -> None:
    """From the personal page, the way a participant gets there from their mail."""
    from playwright.sync_api import expect

    tab.goto(personal_link)
    documents = tab.locator("#dokumen")
    expect(documents).to_be_visible()
    documents.get_by_role("link").first.click()
    expect(tab.locator("h1")).to_contain_text("Notulen")


def _sign_with_mailed_code(tab: Any, server: ServerProcess, email: str, role: str) -> None:
    from playwright.sync_api import expect

    tab.locator(".doc-code-form button").click()
    expect(tab.locator(".flashes")).to_contain_text("Kode dikirim ke")
    mail = mail_text(newest_mail(server, "signing_code", email))
    found = re.search(r"^\s+(\d{6})\s*$", mail, re.M)
    assert found, "no code in the mail"
    assert found.group(1) not in tab.locator("main").inner_text()  # never shown on the page
    tab.fill("#code", found.group(1))
    tab.once("dialog", lambda dialog: dialog.accept())
    tab.get_by_role("button", name=f"Tandatangani sebagai {role}").click()


def test_close_circulate_finalise_sign_in_order_and_verify(
    page: Any, browser: Any, live_server: ServerProcess, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    scene = seed_server(live_server, "tests.browser.test_signed_minutes")
    errors: list[str] = []
    contexts = []

    def person_tab() -> Any:
        ctx = browser.new_context(base_url=live_server.base_url, locale="id-ID")
        ctx.set_default_timeout(20_000)
        contexts.append(ctx)
        tab = ctx.new_page()
        _errors(tab, errors)
        return tab

    try:
        # 1. The chair opens and closes the meeting from the console (closing asks first).
        chair = person_tab()
        chair.goto(f"{scene['chair']}/console")
        expect(chair.locator("#live-conn")).to_have_text("Terhubung")
        chair.get_by_role("button", name="Buka rapat").click()
        expect(chair.locator("#live-state")).to_have_text("Berlangsung")
        chair.once("dialog", lambda dialog: dialog.accept())
        chair.get_by_role("button", name="Tutup rapat").click()
        expect(chair.locator("#live-state")).to_have_text("Ditutup")

        # 2. The secretariat starts the minutes from the meeting's documents page.
        staff = page
        _errors(staff, errors)
        sign_in(staff)
        staff.goto(f"/meetings/{scene['meeting_id']}")
        staff.locator(".meeting-tabs").get_by_role("link", name="Dokumen", exact=True).click()
        staff.locator("#documents").get_by_role("link", name="Dokumen", exact=True).click()
        staff.get_by_role("button", name="Susun notulen").click()
        expect(staff.locator("h1")).to_contain_text("Draf")
        document_url = staff.url

        # 3. The minute-taker writes the notes and circulates the draft for comments.
        taker = person_tab()
        _open_document(taker, scene["minute_taker"])
        taker.fill("#notes-2", "Data stunting 2029 dari 11 puskesmas sudah masuk.")
        taker.get_by_role("button", name="Simpan catatan").click()
        expect(taker.locator(".flashes")).to_contain_text("Perubahan tersimpan")
        expect(taker.locator("#notes-2")).to_have_value(
            "Data stunting 2029 dari 11 puskesmas sudah masuk."
        )
        deadline = to_zone(datetime.now(UTC) + timedelta(days=7), "Asia/Makassar")
        taker.fill("#deadline", f"{deadline:%Y-%m-%d}T16:00")  # a week on, typed in WITA
        taker.once("dialog", lambda dialog: dialog.accept())  # it mails every invitee
        taker.get_by_role("button", name="Edarkan ke peserta").click()
        expect(taker.locator(".flashes")).to_contain_text("diedarkan")
        expect(taker.locator("#komentar")).to_contain_text("WITA")

        # 4. A participant reads the draft and comments.
        participant = person_tab()
        _open_document(participant, scene["participant"])
        expect(participant.locator("#isi")).to_contain_text("11 puskesmas")
        expect(participant.locator("#notes-2")).to_have_count(0)  # read-only for them
        participant.fill("#section", "Agenda 2")
        participant.fill("#body", "Mohon dicatat juga data Desa Weepangali.")
        participant.get_by_role("button", name="Kirim komentar").click()
        expect(participant.locator(".flashes")).to_contain_text("Komentar Anda terkirim")

        # 5. The secretariat sees the comment and, before the deadline with answers still
        # missing, closes the comment period early with a reason (asked first).
        staff.goto(document_url)
        expect(staff.locator("#komentar")).to_contain_text("Desa Weepangali")
        expect(staff.locator("#komentar")).to_contain_text(PARTICIPANT)
        expect(staff.locator("#finalkan")).to_contain_text("1 dari 2 peserta")
        staff.fill("#early_close", "Pimpinan meminta notulen sebelum rapat anggaran.")
        staff.once("dialog", lambda dialog: dialog.accept())
        staff.get_by_role("button", name="Tutup masa komentar dan finalkan").click()
        expect(staff.locator("h1")).to_contain_text("Final")
        # The worker renders in the background; the page reloads itself until it is ready.
        expect(staff.get_by_role("link", name="Unduh PDF")).to_be_visible(timeout=30_000)
        expect(staff.locator("#isi textarea")).to_have_count(0)  # frozen: no edit form

        # 6. Out of order is refused; the chair signs first, then the minute-taker.
        _open_document(taker, scene["minute_taker"])
        expect(taker.locator("#tanda-tangan")).to_contain_text(f"setelah {CHAIR}")
        expect(taker.get_by_role("button", name="Tandatangani sebagai Notulis")).to_have_count(0)
        # The link alone does not sign: each asks for a one-time code, which goes to their
        # own mailbox (read here from the server's outbox) and is typed in.
        _open_document(chair, scene["chair"])
        _sign_with_mailed_code(chair, live_server, scene["emails"]["chair"], "Pimpinan rapat")
        expect(chair.locator(".flashes")).to_contain_text("Tanda tangan Anda tersimpan")
        taker.reload()
        _sign_with_mailed_code(taker, live_server, scene["emails"]["minute_taker"], "Notulis")
        expect(taker.locator(".flashes")).to_contain_text("Tanda tangan Anda tersimpan")
        expect(taker.locator("h1")).to_contain_text("dibagikan")

        # 7. The verification page, from the document page's link (the QR's address).
        staff.goto(document_url)
        expect(staff.locator("#tanda-tangan .is-signed")).to_have_count(2)
        with staff.expect_download() as download_info:
            staff.get_by_role("link", name="Unduh PDF").click()
        pdf_path = tmp_path / "notulen.pdf"
        download_info.value.save_as(pdf_path)
        assert pdf_path.read_bytes().startswith(b"%PDF")
        staff.get_by_role("link", name="Halaman verifikasi").click()
        verdict = staff.locator(".verify-verdict")
        expect(verdict).to_contain_text("ASLI dan FINAL")
        expect(staff.locator(".verify-signature")).to_have_count(2)
        expect(staff.locator(".verify-signature").nth(0)).to_contain_text(CHAIR)
        expect(staff.locator(".verify-signature").nth(1)).to_contain_text(MINUTE_TAKER)
        expect(staff.locator(".signature-factor")).to_have_text(
            ["kode sekali pakai ke surel", "kode sekali pakai ke surel"]
        )

        # Anyone, without a login, uploads the downloaded file and a changed copy.
        visitor = person_tab()
        visitor.goto("/verify")
        visitor.set_input_files("#file", str(pdf_path))
        visitor.get_by_role("button", name="Periksa").click()
        expect(visitor.locator(".verify-verdict")).to_contain_text("ASLI dan FINAL")
        data = bytearray(pdf_path.read_bytes())
        middle = len(data) // 2
        data[middle] = (data[middle] + 1) % 256
        changed = tmp_path / "notulen-diubah.pdf"
        changed.write_bytes(bytes(data))
        visitor.goto("/verify")
        visitor.set_input_files("#file", str(changed))
        visitor.get_by_role("button", name="Periksa").click()
        expect(visitor.locator(".verify-verdict")).to_contain_text("DIUBAH")
        expect(visitor.locator(".verify-signature").first).to_contain_text(
            "diubah setelah ditandatangani"
        )
        expect(visitor.locator(".verify-signature").first).to_contain_text("WITA")

        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        for ctx in contexts:
            ctx.close()


if __name__ == "__main__":
    print(json.dumps(seed()))
