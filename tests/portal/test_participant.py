"""The participant's personal link ``/i/<token>`` and the subscribable calendar feeds.

Participants have no account: every request here is anonymous, from its own client
address (the personal-link rate limit counts per address and lives for the whole session).
"""

from __future__ import annotations

import email
import email.policy
import io
import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import func, select

from meetcoord.accounts.models import Role
from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.meetings import agenda, invitations, links, services
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite, Rsvp
from tests import factories
from tests.conftest import AuthActions

_addresses = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
# Friday 15 March 2024, 10.00 WITA at the host = 09.00 WIB = 11.00 WIT.
START_UTC = datetime(2024, 3, 15, 2, 0, tzinfo=UTC)


@pytest.fixture
def visitor(client: FlaskClient) -> FlaskClient:
    """An anonymous phone with an address of its own (rate limits never leak across tests)."""
    n = next(_addresses)
    client.environ_base["REMOTE_ADDR"] = f"172.16.{n // 256 % 256}.{n % 256}"
    return client


class Setup:
    """A meeting hosted in Mataram (WITA) with linked sites in Jakarta (WIB) and Jayapura
    (WIT), one invitee at each site and one online.
    """

    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT)
        self.org = factories.organization(name="Bappeda Provinsi Papua Uji")
        wita = factories.venue(
            name="Aula BAPPEDA NTB", address="Jl. Pejanggik No. 12", city="Mataram"
        )
        wib = factories.venue(name="Gedung Bappenas", timezone="Asia/Jakarta", city="Jakarta")
        wit = factories.venue(
            name="Aula BAPPEDA Papua", timezone="Asia/Jayapura", address="Jl. Soa Siu Dok II"
        )
        self.meeting = services.create_meeting(
            self.staff,
            {
                "title": "Rapat Koordinasi Forum BangKIT",
                "purpose": "Menyepakati rencana tindak lanjut.",
                "kind": "coordination",
                "host_venue_id": wita.id,
                "start_at": "2024-03-15T10:00",
                "end_at": "2024-03-15T12:00",
                "online_url": "https://meet.example.id/bangkit",
            },
        )
        self.wita = self.meeting.sites[0]
        self.wib = services.add_site(self.staff, self.meeting, {"venue_id": wib.id})
        self.wit = services.add_site(self.staff, self.meeting, {"venue_id": wit.id})
        agenda.add_agenda_item(
            self.staff,
            self.meeting,
            {
                "title": "Pembukaan",
                "presenter": "Kepala BAPPEDA",
                "planned_minutes": 15,
                "kind": "presentation",
            },
        )
        agenda.add_agenda_item(
            self.staff,
            self.meeting,
            {"title": "Diskusi rencana aksi", "planned_minutes": 60, "kind": "discussion"},
        )
        self.papua = self.invite(
            self.wit, factories.person(name="Yohanes Wenda", organization=self.org)
        )
        self.jakarta = self.invite(self.wib, factories.person(name="Siti Rahma"))
        self.mataram = self.invite(self.wita, factories.person(name="Baiq Nurul"))
        self.online = self.invite(None, factories.person(name="Made Ayu"))

    def invite(self, site: MeetingSite | None, person: Any) -> Invitation:
        result = invitations.invite(
            self.staff,
            self.meeting,
            {"person_ids": [person.id], "site_id": site.id if site else None},
        )
        return result.created[0]

    def schedule(self) -> None:
        services.schedule_meeting(self.staff, self.meeting)


@pytest.fixture
def setup(app: Flask) -> Setup:
    return Setup()


def url(invitation: Invitation, suffix: str = "") -> str:
    return f"/i/{links.personal_token(invitation)}{suffix}"


def csrf(client: FlaskClient, invitation: Invitation) -> str:
    return AuthActions.token_from(client.get(url(invitation)).get_data(as_text=True))


def answer(client: FlaskClient, invitation: Invitation, **data: Any) -> Any:
    data.setdefault("csrf_token", csrf(client, invitation))
    return client.post(url(invitation, "/rsvp"), data=data)


def nominate(
    client: FlaskClient, invitation: Invitation, letter: tuple[bytes, str] | None, **data: Any
) -> Any:
    data.setdefault("csrf_token", csrf(client, invitation))
    if letter is not None:
        data["letter"] = (io.BytesIO(letter[0]), letter[1])
    return client.post(url(invitation, "/stand-in"), data=data, content_type="multipart/form-data")


def mails() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def letters(app: Flask) -> set[str]:
    folder = Path(app.config["INSTANCE_PATH"]) / "uploads" / "letters"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


# --- the page ---------------------------------------------------------------------------


def test_page_shows_the_meeting_in_the_participants_own_zone(visitor, setup):
    papua = visitor.get(url(setup.papua))
    jakarta = visitor.get(url(setup.jakarta))
    assert papua.status_code == jakarta.status_code == 200
    papua_html, jakarta_html = papua.get_data(as_text=True), jakarta.get_data(as_text=True)
    assert "11.00 WIT – 13.00 WIT" in papua_html
    assert "09.00 WIB – 11.00 WIB" in jakarta_html
    assert "09.00 WIB" not in papua_html.split("Di setiap lokasi")[0]
    for html in (papua_html, jakarta_html):
        assert "Jumat, 15 Maret 2024" in html
        assert "09.00 WIB / 10.00 WITA / 11.00 WIT" in html
        assert "Rapat Koordinasi Forum BangKIT" in html
        assert "Menyepakati rencana tindak lanjut." in html
        assert "Pembukaan" in html
        assert "Diskusi rencana aksi" in html
        for value in ("accepted", "declined", "tentative"):
            assert f'name="rsvp" type="radio" value="{value}"' in html
        for label in ("Hadir", "Tidak hadir", "Mungkin", "Kirim jawaban", "Daring (online)"):
            assert label in html
        assert 'enctype="multipart/form-data"' in html
        assert "https://wa.me/?text=" in html
        assert "https://calendar.google.com/calendar/render" in html
        assert "<script>" not in html  # nothing inline; CSP allows none
    # agenda in local time: the second item starts 15 minutes after the opening
    assert "11.15 WIT" in papua_html
    assert "09.15 WIB" in jakarta_html
    assert "Aula BAPPEDA Papua" in papua_html
    assert "Jl. Soa Siu Dok II" in papua_html
    assert "Gedung Bappenas" in jakarta_html
    assert "Peserta" in papua_html
    assert "Belum menjawab" in papua_html
    # the person's own feed address
    feed = invitations.feed_for(setup.papua.person)
    assert links.feed_url(feed) in papua_html


def test_online_participant_sees_the_host_zone_and_the_link(visitor, setup):
    html = visitor.get(url(setup.online)).get_data(as_text=True)
    assert "10.00 WITA – 12.00 WITA" in html
    # The video link shows from the check-in window until the end (issue 15): this 2024
    # meeting is over and has no recording, so there is no link to follow any more.
    assert "https://meet.example.id/bangkit" not in html
    assert "/join" not in html


def test_page_keeps_the_token_private(visitor, setup):
    response = visitor.get(url(setup.papua))
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


# --- answering --------------------------------------------------------------------------


@pytest.mark.parametrize("choice", ["accepted", "declined", "tentative"])
def test_rsvp_is_saved_with_a_message(visitor, setup, choice):
    response = answer(visitor, setup.papua, rsvp=choice, attendance=str(setup.wit.id))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(setup.papua))
    page = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Jawaban Anda tersimpan" in page
    assert setup.papua.rsvp is Rsvp(choice)
    assert setup.papua.rsvp_at is not None
    assert setup.papua.site_id == setup.wit.id


def test_moving_to_another_site_or_online_mails_only_that_person(visitor, setup):
    setup.schedule()
    before = len(mails())
    response = answer(visitor, setup.papua, rsvp="accepted", attendance=str(setup.wita.id))
    assert response.status_code == 302
    new = mails()[before:]
    assert [m.recipient for m in new] == [setup.papua.person.email]
    assert new[0].kind == "update"
    assert setup.papua.site_id == setup.wita.id

    response = answer(visitor, setup.papua, rsvp="accepted", attendance="online")
    assert response.status_code == 302
    new = mails()[before:]
    assert [m.recipient for m in new] == [setup.papua.person.email] * 2
    assert setup.papua.site_id is None

    # the same place again: an answer, but nobody's calendar changes
    answer(visitor, setup.papua, rsvp="tentative", attendance="online")
    assert len(mails()) == before + 2


def test_unknown_answer_is_refused_and_changes_nothing(visitor, setup):
    setup.schedule()
    before = len(mails())
    response = answer(visitor, setup.papua, rsvp="maybe-later", attendance="online")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Pilih hadir, tidak hadir atau mungkin." in html
    assert 'id="rsvp-error"' in html  # beside the field
    db.session.refresh(setup.papua)
    assert setup.papua.rsvp is Rsvp.PENDING
    assert setup.papua.site_id == setup.wit.id
    assert len(mails()) == before


def test_a_site_of_another_meeting_is_refused_and_changes_nothing(visitor, setup):
    setup.schedule()
    other = services.create_meeting(
        setup.staff,
        {
            "title": "Rapat lain",
            "kind": "evaluation",
            "host_venue_id": factories.venue(timezone="Asia/Jakarta").id,
            "start_at": "2024-04-01T09:00",
            "end_at": "2024-04-01T10:00",
        },
    )
    before = len(mails())
    response = answer(visitor, setup.papua, rsvp="accepted", attendance=str(other.sites[0].id))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Lokasi bukan bagian dari rapat ini." in html
    assert "Pilih salah satu lokasi rapat, atau daring." in html
    db.session.refresh(setup.papua)
    assert setup.papua.rsvp is Rsvp.PENDING
    assert setup.papua.site_id == setup.wit.id
    assert len(mails()) == before


def test_a_post_without_csrf_token_is_refused(visitor, setup):
    response = visitor.post(url(setup.papua, "/rsvp"), data={"rsvp": "accepted"})
    assert response.status_code == 400
    assert setup.papua.rsvp is Rsvp.PENDING


# --- stand-ins --------------------------------------------------------------------------


def test_stand_in_with_a_pdf_letter_and_the_letter_back(app, visitor, setup):
    response = nominate(
        visitor,
        setup.papua,
        (PDF, "surat tugas.pdf"),
        stand_in_name="Markus Yikwa",
        stand_in_position="Kepala Bidang Ekonomi",
    )
    assert response.status_code == 302
    page = visitor.get(url(setup.papua)).get_data(as_text=True)
    assert "Data wakil tersimpan" in page
    assert "Markus Yikwa" in page
    assert setup.papua.stand_in_name == "Markus Yikwa"

    letter = visitor.get(url(setup.papua, "/letter"))
    assert letter.status_code == 200
    assert letter.mimetype == "application/pdf"
    assert letter.headers["Content-Disposition"].startswith("attachment")
    assert letter.headers["X-Content-Type-Options"] == "nosniff"
    assert letter.headers["Cache-Control"] == "no-store"
    assert letter.data == PDF
    letter.close()

    # a second letter replaces the first: no orphan file stays behind
    stored = letters(app)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert (
        nominate(visitor, setup.papua, (png, "surat.png"), stand_in_name="Markus Yikwa").status_code
        == 302
    )
    assert len(letters(app)) == len(stored)
    again = visitor.get(url(setup.papua, "/letter"))
    assert again.mimetype == "image/png"
    again.close()


def test_no_letter_yet_is_404(visitor, setup):
    assert visitor.get(url(setup.papua, "/letter")).status_code == 404


@pytest.mark.parametrize(
    ("letter", "data", "field", "message"),
    [
        (
            (EXE, "surat.pdf"),
            {"stand_in_name": "Markus"},
            "letter",
            "Surat tugas harus berupa PDF, PNG atau JPEG.",
        ),
        (
            (PDF + b"x" * 4096, "besar.pdf"),
            {"stand_in_name": "Markus"},
            "letter",
            "Berkas terlalu besar",
        ),
        ((PDF, "surat.pdf"), {"stand_in_name": "  "}, "stand_in_name", "Wajib diisi."),
        (None, {"stand_in_name": "Markus"}, "letter", "Unggah surat tugas"),
    ],
    ids=["exe-renamed-pdf", "oversized", "missing-name", "missing-letter"],
)
def test_bad_stand_in_is_refused_and_changes_nothing(
    app, visitor, setup, monkeypatch, letter, data, field, message
):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 2048)
    before = letters(app)
    response = nominate(visitor, setup.papua, letter, **data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html  # the message sits beside its field
    db.session.refresh(setup.papua)
    assert setup.papua.stand_in_name is None
    assert setup.papua.stand_in_letter is None
    assert letters(app) == before


# --- tokens -----------------------------------------------------------------------------


def test_forged_token_is_404_with_a_clear_message(visitor, setup):
    for path in (
        "/i/bukan-token-asli",
        "/i/bukan-token-asli/invite.ics",
        "/i/bukan-token-asli/letter",
        "/i/" + "x" * 300,
    ):
        response = visitor.get(path)
        assert response.status_code == 404, path
        assert response.headers["Referrer-Policy"] == "no-referrer"
    html = visitor.get("/i/bukan-token-asli").get_data(as_text=True)
    assert "Tautan undangan tidak dikenal atau sudah tidak berlaku." in html
    assert visitor.post("/i/bukan-token-asli/rsvp", data={"rsvp": "accepted"}).status_code in (
        400,
        404,
    )


def test_withdrawn_invitation_link_stops_working(visitor, setup):
    link = url(setup.papua)
    assert visitor.get(link).status_code == 200
    invitations.withdraw_invitation(setup.staff, setup.papua)
    response = visitor.get(link)
    assert response.status_code == 404
    assert "Tautan undangan tidak dikenal" in response.get_data(as_text=True)
    assert visitor.get(link + "/invite.ics").status_code == 404


def test_personal_links_are_rate_limited_per_address(visitor, setup):
    statuses = [visitor.get("/i/tebakan-token").status_code for _ in range(60)]
    assert statuses == [404] * 60
    blocked = visitor.get(url(setup.papua))  # shared by every personal-link route
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.get_data(as_text=True)
    other = visitor.get(url(setup.papua), environ_base={"REMOTE_ADDR": "192.0.2.250"})
    assert other.status_code == 200


# --- calendar files ---------------------------------------------------------------------


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def test_invite_ics_is_in_the_participants_zone(visitor, setup):
    setup.schedule()
    for invitation, zone, hour in (
        (setup.papua, "Asia/Jayapura", 11),
        (setup.jakarta, "Asia/Jakarta", 9),
    ):
        response = visitor.get(url(invitation, "/invite.ics"))
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        assert response.headers["Cache-Control"] == "no-store"
        cal = parse(response.data)
        assert str(cal["METHOD"]) == "REQUEST"
        event = next(iter(cal.walk("VEVENT")))
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == zone
        assert (start.hour, start.minute) == (hour, 0)
        assert start.astimezone(UTC) == START_UTC
        assert str(event["UID"]) == setup.meeting.uid
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [zone]
        assert links.personal_url(invitation) in str(event["DESCRIPTION"])


def test_cancelled_meeting_is_shown_and_its_calendar_cancels(visitor, setup):
    setup.schedule()
    services.cancel_meeting(setup.staff, setup.meeting)
    html = visitor.get(url(setup.papua)).get_data(as_text=True)
    assert "DIBATALKAN" in html
    assert "Kirim jawaban" not in html  # nothing to answer any more
    cal = parse(visitor.get(url(setup.papua, "/invite.ics")).data)
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(next(iter(cal.walk("VEVENT")))["STATUS"]) == "CANCELLED"
    refused = visitor.post(
        url(setup.papua, "/rsvp"),
        data={"rsvp": "accepted", "csrf_token": AuthActions.token_from(html)},
    )
    assert refused.status_code == 409
    assert setup.papua.rsvp is Rsvp.PENDING


# --- feeds ------------------------------------------------------------------------------


def feed_path(owner: Any) -> str:
    return urlsplit(links.feed_url(invitations.feed_for(owner))).path


def feed_uids(body: bytes) -> list[str]:
    return [str(event["UID"]) for event in parse(body).walk("VEVENT")]


def test_person_feed_lists_their_meetings_including_cancelled(visitor, setup):
    path = feed_path(setup.papua.person)
    assert visitor.get(path).status_code == 200
    assert feed_uids(visitor.get(path).data) == []  # a draft is in nobody's calendar yet
    setup.schedule()
    response = visitor.get(path)
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed_uids(response.data) == [setup.meeting.uid]
    services.cancel_meeting(setup.staff, setup.meeting)
    cal = parse(visitor.get(path).data)
    events = list(cal.walk("VEVENT"))
    assert [str(e["STATUS"]) for e in events] == ["CANCELLED"]
    assert str(cal["METHOD"]) == "PUBLISH"


def test_organization_feed_lists_every_members_meetings(visitor, setup):
    setup.schedule()
    colleague = factories.person(organization=setup.org)
    second = services.create_meeting(
        setup.staff,
        {
            "title": "Evaluasi triwulan",
            "kind": "evaluation",
            "host_venue_id": setup.wit.venue_id,
            "start_at": "2024-04-09T09:00",
            "end_at": "2024-04-09T11:00",
        },
    )
    invitations.invite(setup.staff, second, {"person_ids": [colleague.id]})
    services.schedule_meeting(setup.staff, second)
    path = feed_path(setup.org)
    assert feed_uids(visitor.get(path).data) == [setup.meeting.uid, second.uid]
    # and the person's own feed has only their meeting
    assert feed_uids(visitor.get(feed_path(colleague)).data) == [second.uid]


def test_unknown_feed_is_404(visitor, setup):
    response = visitor.get("/feeds/bukan-kalender.ics")
    assert response.status_code == 404
    assert "Kalender tidak dikenal" in response.get_data(as_text=True)


def test_secretariat_sees_the_organization_feed_address(auth, setup):
    auth.login(Role.SECRETARIAT)
    html = auth.client.get(f"/directory/organizations/{setup.org.id}").get_data(as_text=True)
    assert "Kalender langganan" in html
    assert links.feed_url(invitations.feed_for(setup.org)) in html


def test_viewer_does_not_see_the_feed_address(auth, setup):
    auth.login(Role.VIEWER)
    html = auth.client.get(f"/directory/organizations/{setup.org.id}").get_data(as_text=True)
    assert "Kalender langganan" not in html
    assert db.session.scalar(select(func.count()).select_from(Meeting)) >= 1


# --- every reader in their own zone -----------------------------------------------------


def mail_parts(row: OutboxMessage) -> dict[str, str]:
    """text/plain, text/html and text/calendar of a queued invitation, decoded."""
    message = email.message_from_bytes(row.message, policy=email.policy.default)
    return {
        part.get_content_type(): part.get_payload(decode=True).decode("utf-8")
        for part in message.walk()
        if part.get_content_maintype() == "text"
    }


def ambon_online(setup: Setup) -> Invitation:
    """An online invitee whose agency is in Maluku (WIT): no zone of their own."""
    maluku = factories.organization(name="Bappeda Provinsi Maluku Uji", region="Provinsi Maluku")
    return setup.invite(None, factories.person(name="Ongky Latuconsina", organization=maluku))


def test_online_invitee_reads_every_surface_in_their_own_zone(visitor, setup):
    """Hosted at 10.00 WITA: an online reader from Ambon is told 11.00 WIT everywhere."""
    ambon = ambon_online(setup)
    setup.schedule()

    # the invitation mail: text, HTML and its calendar part
    (row,) = [m for m in mails() if m.recipient == ambon.person.email]
    parts = mail_parts(row)
    for body in (parts["text/plain"], parts["text/html"]):
        assert "Jumat, 15 Maret 2024, 11.00–13.00 WIT" in body
        assert "11.15 WIT — Diskusi rencana aksi (60 menit)" in body
        assert "12.00 WITA" not in body  # the host's end time, never theirs
    for cal in (
        parse(parts["text/calendar"].encode()),
        parse(visitor.get(url(ambon, "/invite.ics")).data),
    ):
        event = next(iter(cal.walk("VEVENT")))
        assert event["DTSTART"].params["TZID"] == "Asia/Jayapura"
        assert event.decoded("DTSTART").hour == 11
        assert event.decoded("DTSTART").astimezone(UTC) == START_UTC
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Jayapura"]
        assert "11.00–13.00 WIT" in str(event["DESCRIPTION"])

    # the personal page, with its agenda and its Google Calendar link
    html = visitor.get(url(ambon)).get_data(as_text=True)
    assert "11.00 WIT – 13.00 WIT" in html
    assert "11.15 WIT" in html
    assert "ctz=Asia%2FJayapura" in html

    # the phone during the meeting
    phone = visitor.get(url(ambon, "/live")).get_data(as_text=True)
    assert "Jumat, 15 Maret 2024, 11.00 WIT – 13.00 WIT" in phone

    # the participant API
    seen = visitor.get(f"/api/v1/i/{links.personal_token(ambon)}").get_json()
    assert seen["zone"] == "Asia/Jayapura"
    assert seen["times"][0]["label"] == "WIT"

    # and their own calendar feed
    (event,) = parse(visitor.get(feed_path(ambon.person)).data).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Jayapura"
    assert "11.00–13.00 WIT" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "Daring: https://meet.example.id/bangkit"


def test_a_persons_own_zone_wins_over_their_agencys_region(visitor, setup):
    ambon = ambon_online(setup)
    ambon.person.timezone = "Asia/Jakarta"  # works from Jakarta this year
    html = visitor.get(url(ambon)).get_data(as_text=True)
    assert "09.00 WIB – 11.00 WIB" in html
    assert "11.00 WIT – 13.00 WIT" not in html


def test_a_site_invitee_reads_their_sites_zone_whatever_their_own(visitor, setup):
    setup.papua.person.timezone = "Asia/Jakarta"  # lives in Jakarta, sits in Jayapura
    html = visitor.get(url(setup.papua)).get_data(as_text=True)
    assert "11.00 WIT – 13.00 WIT" in html


def test_person_feed_uses_their_own_site_not_the_hosts(visitor, setup):
    setup.schedule()
    (event,) = parse(visitor.get(feed_path(setup.jakarta.person)).data).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert event.decoded("DTSTART").hour == 9
    assert str(event["LOCATION"]).startswith("Gedung Bappenas")
    assert "Aula BAPPEDA NTB" not in str(event["LOCATION"])
    assert "09.00–11.00 WIB" in str(event["DESCRIPTION"])
    assert links.personal_url(setup.jakarta) not in str(event.to_ical().decode())


def test_organization_feed_reads_in_the_organizations_region_zone(visitor, setup):
    setup.org.region = "Provinsi Papua"
    setup.schedule()
    (event,) = parse(visitor.get(feed_path(setup.org)).data).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Jayapura"
