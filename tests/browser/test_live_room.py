"""The live room in three browsers on the real (eventlet) server: the chair's console (from
the chair's personal link), the projector at site A (a secretariat session) and a
participant's phone at site B. The chair opens the meeting and records a decision, and
both others show it; the participant asks for the floor and the chair sees the request in
the queue labelled with site B, gives the floor, and everyone sees who is speaking. A
check-in at site B's desk reaches the chair's console (attendance over /live, one socket),
and site B's coordinator enters the site's vote tally from their phone. A mistaken
decision is withdrawn with its reason and an action corrected, during the meeting and on
the closed meeting's console (issue 11).

The scene is seeded in the server's database by this module run as a script (same
database, same secret key, so the personal links it prints are the ones the server
accepts)::

    python -m tests.browser.test_live_room   →   {"chair": "/i/…", ...}
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests import factories
from tests.browser.conftest import seed_server, sign_in
from tests.support import ServerProcess

pytestmark = pytest.mark.browser


def seed() -> dict[str, Any]:
    import secrets

    from meetcoord import create_app
    from meetcoord.accounts.models import Role, User
    from meetcoord.checkin import keys
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
        editor = User(email=f"live-{tag}@bappeda.example.go.id", name="Seed", role=Role.SECRETARIAT)
        editor.set_password(secrets.token_hex(16))
        wita = Venue(name=f"Aula Bappeda SBD {tag}", timezone="Asia/Makassar", capacity=80)
        wit = Venue(name=f"Kantor Gubernur Maluku {tag}", timezone="Asia/Jayapura", capacity=80)
        chair = Person(name="Ir. Yohanes Bili, M.Si.", category=StakeholderCategory.GOVERNMENT)
        member = Person(name=f"Peserta Ambon {tag}", category=StakeholderCategory.GOVERNMENT)
        coordinator = Person(
            name=f"Koordinator Ambon {tag}", category=StakeholderCategory.GOVERNMENT
        )
        agency = Organization(
            name=f"Dinas Kesehatan SBD {tag}", kind=OrgKind.OPD, level=OrgLevel.REGENCY
        )
        db.session.add_all([editor, wita, wit, chair, member, coordinator, agency])
        db.session.flush()
        factories.membership(editor, factories.default_institution(), "secretariat")
        meeting = services.create_meeting(
            editor,
            {
                "title": f"Rakor Pangan {tag}",
                "kind": "coordination",
                "host_venue_id": wita.id,
                **factories.meeting_times("Asia/Makassar"),  # check-in and the room open
            },
        )
        services.add_site(editor, meeting, {"venue_id": wit.id})
        site_a, site_b = meeting.sites
        for title in ("Pembukaan", "Data stunting per desa"):
            agenda.add_agenda_item(
                editor, meeting, {"title": title, "planned_minutes": 20, "kind": "discussion"}
            )
        invitations.invite(
            editor, meeting, {"person_ids": [chair.id], "role": "chair", "site_id": site_a.id}
        )
        invitations.invite(editor, meeting, {"person_ids": [member.id], "site_id": site_b.id})
        invitations.invite(
            editor,
            meeting,
            {"person_ids": [coordinator.id], "role": "site_coordinator", "site_id": site_b.id},
        )
        services.schedule_meeting(editor, meeting)
        by_person = {inv.person_id: inv for inv in meeting.invitations}
        return {
            "meeting_id": meeting.id,
            "site_a": site_a.code,
            "site_a_id": site_a.id,
            "site_b": site_b.code,
            "site_b_id": site_b.id,
            "site_b_name": wit.name,
            "chair": f"/i/{links.personal_token(by_person[chair.id])}",
            "member": f"/i/{links.personal_token(by_person[member.id])}",
            "member_name": member.name,
            "member_card": keys.credential_for(by_person[member.id]),
            "coordinator": f"/i/{links.personal_token(by_person[coordinator.id])}",
            "agency_id": agency.id,
        }


DROP_NEXT_EVENT = """() => {
  const socket = window.MeetcoordLive.clients[0].socket;
  const [deliver] = socket.listeners("event");
  socket.off("event");
  window.__dropped = 0;
  socket.on("event", (env) => {
    if (window.__dropped === 0) { window.__dropped = 1; return; }
    deliver(env);
  });
}"""


LOSE_NEXT_ACK = """() => {
  const socket = window.MeetcoordLive.clients[0].socket;
  const timeout = socket.timeout.bind(socket);
  window.__sent = [];
  let lose = true;
  socket.timeout = (ms) => ({
    emit(name, data, ack) {
      window.__sent.push(data.nonce);
      if (!lose) return timeout(ms).emit(name, data, ack);
      lose = false;
      timeout(ms).emit(name, data, () => {});  // the server answers; the answer is lost
      setTimeout(() => ack(new Error("operation has timed out")), 300);
    },
  });
}"""


STORED_SEQ = """() => {
  const key = document.getElementById("live").dataset.key;
  // The phone view keeps its state in localStorage (offline after a restart), the others
  // for the tab only.
  const kept = window.localStorage.getItem(key) || window.sessionStorage.getItem(key);
  return JSON.parse(kept).seq;
}"""


def _csp_errors(tab: Any, into: list[str]) -> None:
    tab.on("console", lambda m: into.append(m.text) if m.type == "error" else None)


def _frames_sent(tab: Any, into: list[str]) -> None:
    """Every Socket.IO frame the tab sends (a namespace's connect is ``40/<ns>,…``)."""
    tab.on(
        "websocket",
        lambda ws: ws.on("framesent", lambda payload: into.append(str(payload))),
    )


def test_chair_projector_and_phone_follow_one_room(
    page: Any, browser: Any, live_server: ServerProcess
) -> None:
    from playwright.sync_api import expect

    scene = seed_server(live_server, "tests.browser.test_live_room")
    errors: list[str] = []

    def context() -> Any:
        ctx = browser.new_context(base_url=live_server.base_url, locale="id-ID")
        ctx.set_default_timeout(15_000)
        return ctx

    # The chair, from the personal link; no account.
    chair_ctx = context()
    phone_ctx = context()
    coordinator_ctx = context()
    frames: list[str] = []
    try:
        chair = chair_ctx.new_page()
        _csp_errors(chair, errors)
        _frames_sent(chair, frames)
        chair.goto(f"{scene['chair']}/console")
        expect(chair.locator("#live-conn")).to_have_text("Terhubung")
        expect(chair.locator("#live-state")).to_have_text("Belum dibuka")

        # The projector at site A: the secretariat signed in on the room's computer.
        projector = page
        _csp_errors(projector, errors)
        _frames_sent(projector, frames)
        sign_in(projector)
        projector.goto(f"/projector/{scene['site_a']}")
        expect(projector.locator("#live-conn")).to_have_text("Terhubung")

        # A participant's phone at site B.
        phone = phone_ctx.new_page()
        _csp_errors(phone, errors)
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.goto(f"{scene['member']}/live")
        expect(phone.locator("#live-conn")).to_have_text("Terhubung")
        expect(phone.locator("#ph-request")).to_be_disabled()  # the meeting is not open yet

        # The console sees the projector's link at site A.
        site_a = chair.locator(f'#live-sites li[data-site-id="{scene["site_a_id"]}"] [data-link]')
        expect(site_a).to_contain_text("1 layar")

        # Attendance over /live: the secretariat checks the participant in at site B's
        # desk; the chair's console (a personal link, which /checkin would refuse) and the
        # projector show it, each on its one /live socket.
        count_b = chair.locator(f'#live-sites li[data-site-id="{scene["site_b_id"]}"] [data-count]')
        # "—" until the first counts (or none yet checked in, once sent on connect).
        expect(count_b).to_have_text(re.compile(r"^(—|0/2 hadir)$"))
        desk = page.context.new_page()
        _csp_errors(desk, errors)
        desk.goto(f"/desk/{scene['site_b']}")
        expect(desk.locator("#desk")).to_have_attribute("data-ready", "1")
        desk.locator("#desk-code").fill(scene["member_card"])
        desk.locator("#desk-code").press("Enter")
        expect(desk.locator("#desk-result-name")).to_have_text(scene["member_name"])
        expect(count_b).to_have_text("1/2 hadir")  # the participant and the coordinator
        expect(chair.locator("#live-quorum")).to_contain_text("Jumlah: 1")
        expect(projector.locator("#screen-sites")).to_contain_text("1 / 2")
        expect(projector.locator("#screen-quorum")).to_contain_text("Jumlah: 1")
        # No quorum rule in this meeting: the screens say how many, never "quorum met".
        expect(projector.locator("#screen-quorum")).to_have_attribute("data-met", "none")
        expect(chair.locator("#live-quorum")).not_to_contain_text("Kuorum")
        expect(chair.locator("#live-quorum")).to_contain_text("Tanpa aturan kuorum")
        desk.close()
        assert chair.evaluate("window.MeetcoordLive.clients.length") == 1
        assert not [f for f in frames if f.startswith("40/checkin")], frames

        # Open, start the first item.
        chair.get_by_role("button", name="Buka rapat").click()
        for tab in (chair, projector, phone):
            expect(tab.locator("#live-state")).to_have_text("Berlangsung")
        chair.locator("#live-agenda li").first.get_by_role("button", name="Aktifkan").click()
        expect(projector.locator("#screen-item")).to_have_text("Pembukaan")
        expect(phone.locator("#ph-item")).to_have_text("Pembukaan")
        expect(projector.locator("#screen-item-timer")).to_contain_text("19:")  # of 20 minutes

        # A decision by vote, with site A's tally; both others show it.
        text = "Data stunting dipadankan per desa sebelum Musrenbang kecamatan"
        chair.fill("#decision-text", text)
        chair.select_option("#decision-kind", "vote")
        row = chair.locator(f'#decision-tallies tr[data-site-id="{scene["site_a_id"]}"]')
        row.locator('input[data-key="for"]').fill("12")
        row.locator('input[data-key="against"]').fill("2")
        row.locator('input[data-key="abstain"]').fill("1")
        expect(chair.locator('#decision-tallies [data-total="for"]')).to_have_text("12")
        chair.get_by_role("button", name="Catat kesepakatan").click()
        expect(chair.locator("#decision-note")).to_have_text("Kesepakatan tercatat.")
        expect(projector.locator("#screen-decisions")).to_contain_text(text)
        expect(projector.locator("#screen-decisions")).to_contain_text("Setuju 12")
        expect(phone.locator("#ph-decision-list")).to_contain_text(text)

        # Site B's votes come in later: the chair amends the tallies; totals follow.
        chair.locator("#live-decisions li").first.get_by_role("button", name="Ubah").click()
        row_b = chair.locator(f'#amend-tallies tr[data-site-id="{scene["site_b_id"]}"]')
        row_b.locator('input[data-key="for"]').fill("3")
        expect(chair.locator('#amend-tallies [data-total="for"]')).to_have_text("15")
        chair.get_by_role("button", name="Simpan perubahan").click()
        expect(chair.locator("#amend-form")).to_be_hidden()
        expect(projector.locator("#screen-decisions")).to_contain_text("Setuju 15")
        site_b_votes = f"{scene['site_b_name']}: 3/0/0"
        expect(projector.locator("#screen-decisions")).to_contain_text(site_b_votes)
        expect(phone.locator("#ph-decision-list")).to_contain_text("15/2/1")

        # Site B's coordinator records the site's tally from their phone: the form shows
        # the current numbers, a wrong one is refused with the server's message, and the
        # totals change on the console, the projector and the phones.
        coordinator = coordinator_ctx.new_page()
        _csp_errors(coordinator, errors)
        coordinator.set_viewport_size({"width": 390, "height": 844})
        coordinator.goto(f"{scene['coordinator']}/live")
        expect(coordinator.locator("#live-conn")).to_have_text("Terhubung")
        expect(phone.locator(".ph-tally")).to_have_count(0)  # a participant records no votes
        tally = coordinator.locator("#ph-decision-list li").first.locator("form.ph-tally")
        expect(tally).to_contain_text(f"Suara di {scene['site_b_name']}")
        expect(tally.locator('input[name="for"]')).to_have_value("3")
        expect(tally.locator('input[name="against"]')).to_have_value("0")
        tally.locator('input[name="against"]').fill("-1")
        tally.get_by_role("button", name="Simpan suara").click()
        expect(tally.locator(".ph-error")).to_have_text(
            "Gagal: Jumlah suara harus bilangan 0 atau lebih."
        )
        tally.locator('input[name="for"]').fill("5")
        tally.locator('input[name="against"]').fill("1")
        tally.locator('input[name="abstain"]').fill("2")
        tally.get_by_role("button", name="Simpan suara").click()
        expect(tally.locator(".ph-mine")).to_have_text("Suara tercatat.")
        expect(tally.locator(".ph-error")).to_be_hidden()
        first = chair.locator("#live-decisions li.live-decision").first
        expect(first.locator("tr.live-total td")).to_have_text(["17", "3", "3"])
        expect(projector.locator("#screen-decisions")).to_contain_text("Setuju 17")
        site_b_votes = f"{scene['site_b_name']}: 5/1/2"
        expect(projector.locator("#screen-decisions")).to_contain_text(site_b_votes)
        expect(phone.locator("#ph-decision-list")).to_contain_text("17/3/3")
        expect(coordinator.locator("#ph-decision-list")).to_contain_text("17/3/3")
        expect(tally.locator('input[name="for"]')).to_have_value("5")

        # The participant asks for the floor; the chair sees it, labelled with site B.
        phone.get_by_role("button", name="Minta bicara").click()
        expect(phone.locator("#ph-mine")).to_have_text("Anda nomor 1 dalam antrean bicara.")
        request = chair.locator("#live-queue li").filter(has_text=scene["member_name"])
        expect(request.locator(".live-site")).to_have_text(scene["site_b_name"])
        request.get_by_role("button", name="Beri kesempatan").click()
        expect(phone.locator("#ph-mine")).to_have_text("Anda sedang berbicara.")
        expect(projector.locator("#screen-speaker")).to_have_text(scene["member_name"])
        expect(projector.locator("#screen-speaker-site")).to_contain_text(scene["site_b_name"])
        expect(projector.locator("#screen-speaker-timer")).to_contain_text(":")

        # A reload resumes from sessionStorage and the server's replay: nothing is lost.
        kept = phone.evaluate(STORED_SEQ)
        assert kept > 0
        phone.reload()
        expect(phone.locator("#live-conn")).to_have_text("Terhubung")
        expect(phone.locator("#ph-decision-list")).to_contain_text(text)
        expect(phone.locator("#ph-mine")).to_have_text("Anda sedang berbicara.")

        # The projector's link drops; two decisions are recorded meanwhile. Reconnecting
        # sends the seq it holds (auth is a function), and the server replays the two.
        projector.evaluate("() => window.MeetcoordLive.clients[0].socket.disconnect()")
        expect(projector.locator("#live-conn")).to_have_text("Terputus — menyambung ulang…")
        for missed in ("Lokus: Desa Kalembu Ndara Mane", "Lokus: Desa Weelonda"):
            chair.fill("#decision-text", missed)
            chair.get_by_role("button", name="Catat kesepakatan").click()
            expect(phone.locator("#ph-decision-list")).to_contain_text(missed)
        expect(projector.locator("#screen-decisions li")).to_have_count(1)
        projector.evaluate("() => window.MeetcoordLive.clients[0].socket.connect()")
        expect(projector.locator("#live-conn")).to_have_text("Terhubung")
        expect(projector.locator("#screen-decisions li")).to_have_count(3)
        expect(projector.locator("#screen-decisions li").first).to_contain_text("Weelonda")

        # An event lost on the way leaves a hole in the seqs: within ~2 s the phone asks
        # again from its last seq, and applies what it missed in order, each once.
        phone.evaluate(DROP_NEXT_EVENT)
        chair.fill("#decision-text", "Rapat berikutnya di Waikabubak")
        chair.get_by_role("button", name="Catat kesepakatan").click()
        expect(projector.locator("#screen-decisions li")).to_have_count(4)
        chair.fill("#decision-text", "Dinas Kesehatan menyiapkan data per desa")
        chair.get_by_role("button", name="Catat kesepakatan").click()
        decisions = phone.locator("#ph-decision-list li")
        expect(decisions).to_have_count(5)
        expect(decisions.nth(3)).to_contain_text("Rapat berikutnya di Waikabubak")
        assert phone.evaluate("window.__dropped") == 1

        # An answer lost on the way: the console sends the command again with the same
        # nonce, and the server records it once.
        chair.evaluate(LOSE_NEXT_ACK)
        chair.fill("#decision-text", "Satu kali saja")
        chair.get_by_role("button", name="Catat kesepakatan").click()
        chair.wait_for_function("() => window.__sent.length >= 2")
        expect(chair.locator("#decision-note")).to_have_text("Kesepakatan tercatat.")
        sent = chair.evaluate("window.__sent")
        assert len(sent) == 2, sent
        assert sent[0] == sent[1], sent
        expect(phone.locator("#ph-decision-list li")).to_have_count(6)
        once = projector.locator("#screen-decisions li", has_text="Satu kali saja")
        expect(once).to_have_count(1)

        # A mistaken decision is withdrawn, with the reason asked for: it stays, struck
        # through with who withdrew it and why, on the console, the projector and the phone.
        reason = "Salah catat: rapat berikutnya di Tambolaka"
        mistaken = chair.locator("#live-decisions li.live-decision", has_text="Waikabubak")
        chair.once("dialog", lambda dialog: dialog.accept(reason))
        mistaken.get_by_role("button", name="Cabut").click()
        withdrawn_by = f"Dicabut oleh Ir. Yohanes Bili, M.Si.: {reason}"
        expect(mistaken.locator(".live-withdrawn-note")).to_have_text(withdrawn_by)
        expect(mistaken.locator(".live-decision-text")).to_have_css(
            "text-decoration-line", "line-through"
        )
        expect(mistaken.get_by_role("button", name="Cabut")).to_have_count(0)
        struck = projector.locator('#screen-decisions li[data-withdrawn="1"]')
        expect(struck).to_contain_text(reason)
        expect(phone.locator('#ph-decision-list li[data-withdrawn="1"]')).to_contain_text(reason)

        # A follow-up action, corrected from the console: "Ubah" fills the form in.
        option = chair.locator("#action-decision option", has_text="Dinas Kesehatan menyiapkan")
        chair.select_option("#action-decision", option.get_attribute("value"))
        chair.fill("#action-title", "Kirim data stunting per desa")
        chair.select_option("#action-org", str(scene["agency_id"]))
        chair.get_by_role("button", name="Catat tindak lanjut").click()
        expect(chair.locator("#action-note")).to_have_text("Tindak lanjut tercatat.")
        action = chair.locator("#live-decisions li[data-action-id]")
        expect(action).to_contain_text("Kirim data stunting per desa")
        action.get_by_role("button", name="Ubah").click()
        expect(chair.locator("#action-title")).to_have_value("Kirim data stunting per desa")
        chair.fill("#action-locus", "Desa Kalembu Ndara Mane")
        chair.locator("#action-form").get_by_role("button", name="Simpan perubahan").click()
        expect(action).to_contain_text("Desa Kalembu Ndara Mane")
        expect(chair.locator("#action-heading")).to_have_text("Rencana tindak lanjut")

        # Notes carry a version: a save on a stale version is refused with the server's
        # message, and the text the minute-taker typed stays in the box.
        staff = page.context.new_page()
        _csp_errors(staff, errors)
        staff.goto(f"/meetings/{scene['meeting_id']}/live")
        expect(staff.locator("#live-conn")).to_have_text("Terhubung")
        chair.fill("#notes-text", "Kepala Bappeda membuka rapat.")
        chair.get_by_role("button", name="Simpan catatan").click()
        expect(staff.locator("#notes-text")).to_have_value("Kepala Bappeda membuka rapat.")
        staff.fill("#notes-text", "Versi sekretariat")
        chair.fill("#notes-text", "Kepala Bappeda membuka rapat pukul 09.10.")
        chair.get_by_role("button", name="Simpan catatan").click()
        expect(chair.locator("#notes-version")).to_have_text("Catatan versi 2")
        staff.get_by_role("button", name="Simpan catatan").click()
        expect(staff.locator("#notes-note")).to_contain_text("sudah diubah")
        expect(staff.locator("#notes-text")).to_have_value("Versi sekretariat")

        # Closing asks first.
        chair.once("dialog", lambda dialog: dialog.dismiss())
        chair.get_by_role("button", name="Tutup rapat").click()
        expect(chair.locator("#live-state")).to_have_text("Berlangsung")
        chair.once("dialog", lambda dialog: dialog.accept())
        chair.get_by_role("button", name="Tutup rapat").click()
        for tab in (chair, projector, phone, staff):
            expect(tab.locator("#live-state")).to_have_text("Ditutup")
        expect(projector.locator("#screen-speaker")).to_have_text("Belum ada yang berbicara.")

        # Closed, the console still corrects, until the minutes are final: an amendment
        # and a withdrawal reach the phone; the action's withdrawal follows its decision's.
        last = chair.locator("#live-decisions li.live-decision", has_text="Satu kali saja")
        last.get_by_role("button", name="Ubah").click()
        chair.fill("#amend-text", "Satu kali saja, dirumuskan ulang")
        chair.locator("#amend-form").get_by_role("button", name="Simpan perubahan").click()
        expect(chair.locator("#amend-form")).to_be_hidden()
        expect(phone.locator("#ph-decision-list")).to_contain_text("dirumuskan ulang")
        data = chair.locator("#live-decisions li.live-decision", has_text="Dinas Kesehatan")
        chair.once("dialog", lambda dialog: dialog.accept("Sudah tercakup kesepakatan 1"))
        data.locator(":scope > .button-row").get_by_role("button", name="Cabut").click()
        expect(data.locator(".live-withdrawn-note").first).to_contain_text("tercakup")
        expect(action).to_contain_text("Dicabut oleh")
        expect(phone.locator('#ph-decision-list li[data-withdrawn="1"]')).to_have_count(2)
        expect(chair.locator("#live-error")).to_be_hidden()

        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        chair_ctx.close()
        phone_ctx.close()
        coordinator_ctx.close()


if __name__ == "__main__":
    print(json.dumps(seed()))
