"""The synchronisation matrix in three browsers on the real (eventlet) server (issue 14):
the minute-taker marks a proposal accommodated on the console (1280×720); a participant's
phone at the other site (390 px) sees it change without a reload; Dinas PUPR's
representative, at that site too, confirms from their phone; the console shows it
confirmed. Another agency's participant gets no buttons. Everything fits its width.

Seeded in the server's database by this module run as a script, as test_live_review is.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests import factories
from tests.browser.conftest import seed_server
from tests.support import ServerProcess

pytestmark = pytest.mark.browser

TITLE = "Rehabilitasi jalan usaha tani"


def seed() -> dict[str, Any]:
    import secrets

    from meetcoord import create_app
    from meetcoord.access.actors import Actor
    from meetcoord.accounts.models import Role, User
    from meetcoord.core.cleaning import name_key
    from meetcoord.directory.models import (
        Organization,
        OrgKind,
        OrgLevel,
        Person,
        StakeholderCategory,
        Venue,
    )
    from meetcoord.extensions import db
    from meetcoord.live import matrix as live_matrix
    from meetcoord.live import services as live
    from meetcoord.meetings import agenda, invitations, links, services
    from meetcoord.planning.matrix import Selection
    from meetcoord.planning.models import FundSource, Proposal, ProposalField, ProposerKind

    app = create_app()
    with app.app_context():
        tag = secrets.token_hex(3)
        editor = User(email=f"sm-{tag}@bappeda.example.go.id", name="Seed", role=Role.SECRETARIAT)
        editor.set_password(secrets.token_hex(16))
        wita = Venue(name=f"Aula Bappeda SBD {tag}", timezone="Asia/Makassar", capacity=80)
        wit = Venue(name=f"Kantor Camat Wewewa {tag}", timezone="Asia/Makassar", capacity=80)
        pupr = Organization(name=f"Dinas PUPR {tag}", kind=OrgKind.OPD, level=OrgLevel.REGENCY)
        health = Organization(
            name=f"Dinas Kesehatan {tag}", kind=OrgKind.OPD, level=OrgLevel.REGENCY
        )
        village = Organization(
            name=f"Desa Waimangura {tag}", kind=OrgKind.COMMUNITY, level=OrgLevel.VILLAGE
        )
        db.session.add_all([editor, wita, wit, pupr, health, village])
        db.session.flush()
        factories.membership(editor, factories.default_institution(), "secretariat")
        gov = StakeholderCategory.GOVERNMENT
        notulis = Person(name="Maria Kaka", category=gov)
        rep = Person(name=f"Wakil PUPR {tag}", category=gov, organization_id=pupr.id)
        other = Person(name=f"Peserta Dinkes {tag}", category=gov, organization_id=health.id)
        db.session.add_all([notulis, rep, other])
        db.session.flush()
        meeting = services.create_meeting(
            editor,
            {
                "title": f"Forum BangKIT sinkronisasi {tag}",
                "kind": "coordination",
                "host_venue_id": wita.id,
                **factories.meeting_times("Asia/Makassar"),
            },
        )
        services.add_site(editor, meeting, {"venue_id": wit.id})
        site_a, site_b = meeting.sites
        invitations.invite(
            editor,
            meeting,
            {"person_ids": [notulis.id], "role": "minute_taker", "site_id": site_a.id},
        )
        invitations.invite(
            editor, meeting, {"person_ids": [rep.id, other.id], "site_id": site_b.id}
        )
        agenda.add_agenda_item(
            editor,
            meeting,
            {"title": "Sinkronisasi usulan desa", "planned_minutes": 60, "kind": "sync_matrix"},
        )
        services.schedule_meeting(editor, meeting)
        for title, budget in ((TITLE, 450_000_000), ("Sumur bor air bersih", 300_000_000)):
            db.session.add(
                Proposal(
                    institution_id=meeting.institution_id,
                    title=title,
                    title_key=name_key(title),
                    proposer_kind=ProposerKind.VILLAGE,
                    proposer_name="Pemerintah Desa",
                    village_id=village.id,
                    field=ProposalField.INFRASTRUCTURE,
                    fund_source=FundSource.APBD_REGENCY,
                    budget=budget,
                    plan_year=2025,
                )
            )
        db.session.commit()
        staff = Actor(user=editor, meeting=meeting)
        live_matrix.add_proposals(staff, meeting.id, Selection())
        live.open_meeting(staff, meeting.id)
        by_person = {inv.person_id: inv for inv in meeting.invitations}
        return {
            "agency": pupr.name,
            "notulis": f"/i/{links.personal_token(by_person[notulis.id])}",
            "rep": f"/i/{links.personal_token(by_person[rep.id])}",
            "other": f"/i/{links.personal_token(by_person[other.id])}",
        }


def test_a_mark_reaches_the_other_site_and_the_agency_confirms_it(
    browser: Any, live_server: ServerProcess
) -> None:
    from playwright.sync_api import expect

    scene = seed_server(live_server, "tests.browser.test_sync_matrix")
    errors: list[str] = []
    contexts: list[Any] = []

    def tab(width: int, height: int) -> Any:
        ctx = browser.new_context(base_url=live_server.base_url, locale="id-ID")
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        return page

    console, phone, rep = tab(1280, 720), tab(390, 844), tab(390, 844)
    try:
        console.goto(f"{scene['notulis']}/console")
        expect(console.locator("#live-conn")).to_have_text("Terhubung")
        row = console.locator("#live-matrix tr[data-mark-id]", has_text=TITLE)
        expect(row).to_contain_text("Dibahas")

        phone.goto(f"{scene['other']}/live")
        expect(phone.locator("#live-conn")).to_have_text("Terhubung")
        seen = phone.locator("#live-matrix li[data-mark-id]", has_text=TITLE)
        expect(seen).to_have_attribute("data-status", "discussed")
        rep.goto(f"{scene['rep']}/live")
        expect(rep.locator("#live-conn")).to_have_text("Terhubung")
        mine = rep.locator("#live-matrix li[data-mark-id]", has_text=TITLE)
        expect(mine.locator("button[data-answer]")).to_have_count(0)  # nothing to confirm yet

        # The minute-taker marks it accommodated in Dinas PUPR's programme.
        # "Take the next by score" opens the form under the best unmarked row (no scores
        # here: the first one put on the matrix).
        expect(row.get_by_role("button", name=f"Tandai “{TITLE}”")).to_be_enabled()
        console.get_by_role("button", name="Tandai berikutnya (skor tertinggi)").click()
        form = console.locator("#matrix-form")
        expect(form).to_be_visible()
        expect(form.locator("[data-m-form-title]")).to_have_text(f"Tandai “{TITLE}”")
        form.locator("#m-outcome").select_option("accommodated")
        form.locator("#m-org").select_option(label=scene["agency"])
        form.locator("#m-programme").fill("Program Penyelenggaraan Jalan")
        form.locator("#m-plan").fill("RKPD 2025")
        form.locator("#m-year").fill("2025")
        form.locator("#m-amount").fill("400000000")
        form.get_by_role("button", name="Simpan tanda").click()
        expect(form).to_be_hidden()
        expect(row).to_have_attribute("data-status", "accommodated")
        expect(row).to_contain_text("Menunggu konfirmasi")

        # The other site's phone follows without a reload; the totals too.
        expect(seen).to_have_attribute("data-status", "accommodated")
        expect(seen).to_contain_text("Rp 400.000.000")
        expect(phone.locator("#live-matrix [data-m-summary]")).to_contain_text("diakomodasi 1")
        expect(seen.locator("button[data-answer]")).to_have_count(0)  # another agency's row

        # The representative confirms from their phone; the console shows it.
        mine.get_by_role("button", name="Konfirmasi").click()
        expect(mine).to_have_attribute("data-conf", "confirmed")
        expect(row).to_have_attribute("data-conf", "confirmed")
        expect(row).to_contain_text("Dikonfirmasi oleh Wakil PUPR")

        for page, width in ((console, 1280), (phone, 390), (rep, 390)):
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        for ctx in contexts:
            ctx.close()


if __name__ == "__main__":
    print(json.dumps(seed()))
