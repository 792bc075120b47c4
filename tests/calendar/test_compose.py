"""The invitation e-mail (meetcoord.calendar.compose): MIME structure, headers, bodies.

Messages are checked after a round trip through the stdlib parser, as a mail client or the
SMTP test server would see them.
"""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from icalendar import Calendar

from meetcoord.calendar import Contact, InvitationMail, compose_invitation
from tests.calendar.test_calendar import START, assert_rfc5545, make_event, make_recipient

SENDER = Contact("Sekretariat BAPPEDA NTB", "undangan@bappeda.example.id")
INSTITUTION = "BAPPEDA Provinsi Nusa Tenggara Barat"


def make_mail(zone: str = "Asia/Makassar", method: str = "REQUEST", **event_changes: object):
    return InvitationMail(
        event=make_event(**event_changes),
        recipient=make_recipient(zone),
        sender=SENDER,
        institution=INSTITUTION,
        method=method,  # type: ignore[arg-type]
        sent_at=datetime(2024, 3, 1, 3, 0, tzinfo=UTC),
    )


def roundtrip(message: EmailMessage) -> EmailMessage:
    data = message.as_bytes()
    assert b"\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF throughout
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def calendar_parts(message: EmailMessage) -> list[EmailMessage]:
    return [
        part
        for part in message.walk()
        if part.get_content_type() in ("text/calendar", "application/ics")
    ]


def test_mime_structure():
    parsed = roundtrip(compose_invitation(make_mail()))
    assert [part.get_content_type() for part in parsed.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
        "application/ics",
    ]
    inline, attachment = calendar_parts(parsed)
    assert inline.get_param("method") == "REQUEST"
    assert inline.get_content_charset() == "utf-8"
    assert not inline.is_attachment()
    assert attachment.is_attachment()
    assert attachment.get_filename() == "invite.ics"
    assert inline.get_payload(decode=True) == attachment.get_payload(decode=True)
    cal = Calendar.from_ical(attachment.get_payload(decode=True))
    assert_rfc5545(cal)
    assert str(cal["METHOD"]) == "REQUEST"
    vevent = cal.walk("VEVENT")[0]
    assert vevent.decoded("DTSTART").astimezone(UTC) == START
    assert str(vevent["ATTENDEE"]) == "mailto:niluh@opd.example.id"


def test_headers():
    mail = make_mail()
    message = compose_invitation(mail)
    parsed = roundtrip(message)
    expected = "Undangan: Rapat Koordinasi Forum BangKIT — Jumat, 15 Maret 2024"
    assert parsed["Subject"] == expected
    assert message["Subject"] == expected  # readable before serialising too
    assert parsed["From"].addresses[0].display_name == "Sekretariat BAPPEDA NTB"
    assert parsed["From"].addresses[0].addr_spec == "undangan@bappeda.example.id"
    to = parsed["To"].addresses[0]
    assert to.display_name == "Ni Luh Putu Ayu D'Souza"
    assert to.addr_spec == "niluh@opd.example.id"
    assert parsed["Date"].datetime == datetime(2024, 3, 1, 3, 0, tzinfo=UTC)
    assert parsed["MIME-Version"] == "1.0"
    assert parsed["Content-Class"] == "urn:content-classes:calendarmessage"
    message_id = parsed["Message-ID"].strip()
    assert message_id.startswith("<")
    assert message_id.endswith("@bappeda.example.id>")


def test_message_id_is_stable_per_uid_recipient_sequence_and_method():
    def message_id(mail: InvitationMail) -> str:
        return roundtrip(compose_invitation(mail))["Message-ID"].strip()

    first = message_id(make_mail())
    assert message_id(make_mail()) == first  # a resend is recognisable
    assert message_id(make_mail(sequence=1)) != first
    assert message_id(make_mail(method="CANCEL")) != first
    other = InvitationMail(
        make_event(), make_recipient(email="lain@opd.example.id"), SENDER, INSTITUTION
    )
    assert message_id(other) != first


def test_update_and_cancel_subjects_and_calendars():
    update = roundtrip(compose_invitation(make_mail(sequence=1)))
    assert update["Subject"].startswith("Perubahan jadwal: Rapat Koordinasi Forum BangKIT")
    cancel = roundtrip(compose_invitation(make_mail(method="CANCEL", sequence=2)))
    assert cancel["Subject"] == "Dibatalkan: Rapat Koordinasi Forum BangKIT — Jumat, 15 Maret 2024"
    inline, attachment = calendar_parts(cancel)
    assert inline.get_param("method") == "CANCEL"
    cal = Calendar.from_ical(attachment.get_payload(decode=True))
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert int(cal.walk("VEVENT")[0]["SEQUENCE"]) == 2
    assert "DIBATALKAN" in cancel.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("zone", "local"),
    [("Asia/Jakarta", "08.00–11.00 WIB"), ("Asia/Jayapura", "10.00–13.00 WIT")],
)
def test_bodies_have_local_time_other_sites_link_and_agenda(zone: str, local: str):
    mail = make_mail(zone)
    parsed = roundtrip(compose_invitation(mail))
    for kind in ("plain", "html"):
        body = parsed.get_body((kind,)).get_content()
        assert f"Jumat, 15 Maret 2024, {local}" in body
        assert "08.00 WIB / 09.00 WITA / 10.00 WIT" in body
        assert "https://rapat.example.id/i/Abc123tokenXyz" in body
        assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in body
        assert "Pembukaan" in body
        assert "Menyepakati rencana tindak lanjut; lintas lokasi." in body
    plain = parsed.get_body(("plain",)).get_content()
    assert plain.startswith("Yth. Ni Luh Putu Ayu D'Souza,")
    assert mail.recipient.location in plain


def test_invitation_asks_for_no_calendar_reply_and_says_where_to_answer():
    """The service reads no iTIP REPLY: the calendar asks for none (RSVP=FALSE) and the
    text points to the personal link instead of the calendar's accept button.
    """
    parsed = roundtrip(compose_invitation(make_mail()))
    for kind in ("plain", "html"):
        body = parsed.get_body((kind,)).get_content()
        assert "Jawablah lewat tautan ini" in body
        assert "tombol terima/tolak di aplikasi kalender tidak sampai ke panitia" in body
    for part in calendar_parts(parsed):
        event = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
        assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_html_is_escaped():
    mail = InvitationMail(
        make_event(title="Rapat <Evaluasi> & Sinkronisasi"),
        make_recipient(name="Ni Luh Putu Ayu D'Souza <script>", email="niluh@opd.example.id"),
        SENDER,
        INSTITUTION,
    )
    parsed = roundtrip(compose_invitation(mail))
    html = parsed.get_body(("html",)).get_content()
    assert "Ni Luh Putu Ayu D&#39;Souza &lt;script&gt;" in html
    assert "<script>" not in html
    assert "Rapat &lt;Evaluasi&gt; &amp; Sinkronisasi" in html
    assert "action=TEMPLATE&amp;text=" in html  # attribute values escaped too
    plain = parsed.get_body(("plain",)).get_content()
    assert "Ni Luh Putu Ayu D'Souza <script>" in plain  # plain text is not HTML-escaped
    assert parsed["Subject"].startswith("Undangan: Rapat <Evaluasi> & Sinkronisasi")


def test_accented_names_survive_headers():
    mail = InvitationMail(
        make_event(),
        make_recipient(name="Zoë Ñañez-Sitompul", email="zoe@opd.example.id"),
        Contact("Sekretariat Bappéda", "undangan@bappeda.example.id"),
        INSTITUTION,
    )
    data = compose_invitation(mail).as_bytes()
    assert data.isascii()  # every header and part is encoded for 7-bit transport
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert parsed["To"].addresses[0].display_name == "Zoë Ñañez-Sitompul"
    assert parsed["From"].addresses[0].display_name == "Sekretariat Bappéda"


def test_line_breaks_in_names_cannot_add_headers():
    mail = InvitationMail(
        make_event(title="Rapat\r\nBcc: luar@example.com"),
        make_recipient(name="Ni Luh\r\nBcc: luar@example.com"),
        SENDER,
        INSTITUTION,
    )
    parsed = roundtrip(compose_invitation(mail))
    assert parsed["Bcc"] is None
    assert parsed["To"].addresses[0].display_name == "Ni Luh Bcc: luar@example.com"
    assert parsed["Subject"].startswith("Undangan: Rapat Bcc: luar@example.com — ")
    cal = Calendar.from_ical(calendar_parts(parsed)[1].get_payload(decode=True))
    assert_rfc5545(cal)
    assert cal.walk("VEVENT")[0]["ATTENDEE"].params["CN"] == "Ni Luh Bcc: luar@example.com"


def test_headers_added_later_still_serialise():
    message = compose_invitation(make_mail())
    message["X-Outbox-Id"] = "Nomor 7 — lampiran"
    parsed = roundtrip(message)
    assert parsed["X-Outbox-Id"] == "Nomor 7 — lampiran"
    assert parsed["Subject"].startswith("Undangan:")


def test_only_indonesian_for_now():
    with pytest.raises(ValueError, match="Indonesian"):
        compose_invitation(make_mail(), locale="en")
