"""From a secretariat's click to a calendar in each participant's mailbox.

Meeting services → outbox (same transaction) → worker → a real SMTP server on loopback.
Every received message's calendar is parsed and checked; the same meeting seen from Jakarta,
Tambolaka and Ambon must be the same instant.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from meetcoord.core.worker import deliver_due
from meetcoord.meetings import invitations, services
from tests import factories
from tests.calendar.test_calendar import assert_rfc5545
from tests.smtp_support import SmtpServer, smtp_transport
from tests.support import free_port

ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer(free_port()) as server:
        yield server


def received(
    server: SmtpServer, since: int = 0
) -> dict[str, tuple[email.message.Message, Calendar]]:
    """recipient → (message, parsed calendar) for messages after the first ``since``."""
    out = {}
    for envelope in server.handler.messages[since:]:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        attachments = [p for p in message.walk() if p.get_filename() == "invite.ics"]
        assert parts, "no text/calendar part"
        assert attachments, "no invite.ics attachment"
        method = parts[0].get_param("method")
        calendar = Calendar.from_ical(parts[0].get_payload(decode=True))
        assert_rfc5545(calendar)
        assert str(calendar["METHOD"]) == method
        assert attachments[0].get_payload(decode=True) == parts[0].get_payload(decode=True)
        [rcpt] = envelope.rcpt_tos
        out[rcpt] = (message, calendar)
    return out


def deliver(server: SmtpServer) -> None:
    report = deliver_due(smtp_transport(server.port))
    assert report.connection_error is None


def test_invitation_update_and_cancellation_reach_every_site_at_one_instant(smtp_server):
    editor = factories.user("secretariat")
    venues = {
        label: factories.venue(name=f"Ruang Rapat {label}", timezone=zone)
        for label, zone in ZONES.items()
    }
    meeting = services.create_meeting(
        editor,
        {
            "title": "Sinkronisasi Perencanaan Partisipatif",
            "kind": "musrenbang_sync",
            "host_venue_id": venues["WITA"].id,
            "online_url": "https://vicon.example.go.id/ntb",
            "start_at": "2024-03-15T09:00",
            "end_at": "2024-03-15T12:00",
        },
    )
    for label in ("WIB", "WIT"):
        services.add_site(editor, meeting, {"venue_id": venues[label].id})
    people = {}
    for site in meeting.sites:
        label = site.venue.zone_label
        people[label] = factories.person(
            name=f"Peserta {label}", email=f"{label.lower()}@opd.example.go.id"
        )
        invitations.invite(editor, meeting, {"person_ids": [people[label].id], "site_id": site.id})
    people["online"] = factories.person(name="Peserta Daring", email="daring@opd.example.go.id")
    invitations.invite(editor, meeting, {"person_ids": [people["online"].id]})

    services.schedule_meeting(editor, meeting)
    deliver(smtp_server)
    first = received(smtp_server)
    assert set(first) == {p.email for p in people.values()}
    starts = set()
    for label, zone in ZONES.items():
        message, calendar = first[people[label].email]
        assert message["Subject"].startswith("Undangan:")
        assert str(calendar["METHOD"]) == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert event["UID"] == meeting.uid
        assert event["SEQUENCE"] == 0
        assert str(event["DTSTART"].params["TZID"]) == zone
        assert any(str(tz["TZID"]) == zone for tz in calendar.walk("VTIMEZONE"))
        assert f"Ruang Rapat {label}" in str(event["LOCATION"])
        assert "/i/" in str(event["DESCRIPTION"])
        starts.add(event["DTSTART"].dt.astimezone(UTC))
    assert starts == {datetime(2024, 3, 15, 1, 0, tzinfo=UTC)}  # 08.00 WIB = 09.00 WITA = 10.00 WIT
    _, online_calendar = first[people["online"].email]
    assert "vicon.example.go.id" in str(online_calendar.walk("VEVENT")[0]["LOCATION"])

    # Rescheduled an hour later: everyone gets an update with the same UID, higher SEQUENCE.
    services.update_meeting(editor, meeting, {"start_at": "2024-03-15T10:00"})
    deliver(smtp_server)
    update = received(smtp_server, since=len(first))
    assert set(update) == set(first)
    for address, (message, calendar) in update.items():
        [event] = calendar.walk("VEVENT")
        assert event["UID"] == meeting.uid
        assert event["SEQUENCE"] == 1
        assert event["DTSTART"].dt.astimezone(UTC) == datetime(2024, 3, 15, 2, 0, tzinfo=UTC)
        assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(hours=3)
        assert message["Message-ID"] != first[address][0]["Message-ID"]

    # Cancelled: METHOD:CANCEL with STATUS:CANCELLED, still the same UID.
    services.cancel_meeting(editor, meeting)
    deliver(smtp_server)
    cancel = received(smtp_server, since=len(first) + len(update))
    assert set(cancel) == set(first)
    for message, calendar in cancel.values():
        assert message["Subject"].startswith("Dibatalkan:")
        assert str(calendar["METHOD"]) == "CANCEL"
        [event] = calendar.walk("VEVENT")
        assert (event["UID"], str(event["STATUS"])) == (meeting.uid, "CANCELLED")
        assert event["SEQUENCE"] == 2
