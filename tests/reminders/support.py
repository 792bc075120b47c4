"""A three-zone meeting for the reminder tests, and reading what the SMTP server got."""

from __future__ import annotations

import email
import email.policy
import itertools
from dataclasses import dataclass
from email.message import EmailMessage

from meetcoord.core.worker import deliver_due
from meetcoord.meetings.models import Invitation, Meeting
from tests import factories
from tests.smtp_support import SmtpServer, smtp_transport

_seq = itertools.count(1)
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


@dataclass
class ThreeZones:
    meeting: Meeting
    invitations: dict[str, Invitation]  # WIB, WITA, WIT (one person at each site)


def three_zone_meeting(title: str = "Rakor Satu OPD Satu Desa Binaan") -> ThreeZones:
    """Hosted in WITA at 09.00 on 15 March 2027 (01.00 UTC), linked to a WIB and a WIT site,
    one invitee at each site; scheduled (the invitations are in the outbox)."""
    n = next(_seq)
    venues = {
        label: factories.venue(name=f"Aula Bappeda {label} {n}", timezone=zone)
        for label, zone in ZONES.items()
    }
    meeting = factories.meeting(
        venue=venues["WITA"],
        sites=[venues["WIB"], venues["WIT"]],
        title=title,
        start_at="2027-03-15T09:00",
        end_at="2027-03-15T12:00",
    )
    invitations = {}
    for site in meeting.sites:
        label = site.venue.zone_label
        person = factories.person(
            name=f"Peserta {label}", email=f"{label.lower()}.{meeting.id}@opd.example.go.id"
        )
        invitations[label] = factories.invitation(meeting, person=person, site=site)
    factories.schedule(meeting)
    return ThreeZones(meeting, invitations)


def deliver(server: SmtpServer) -> None:
    report = deliver_due(smtp_transport(server.port), limit=500)
    assert report.connection_error is None


def reminders(server: SmtpServer) -> list[tuple[str, EmailMessage]]:
    """(recipient, message) of every reminder the server received, in order."""
    out = []
    for envelope in server.handler.messages:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        if str(message["Subject"]).startswith("Pengingat"):
            [rcpt] = envelope.rcpt_tos
            out.append((rcpt, message))
    return out
