"""Issue 15's headline: 300 people register for a national webinar — some twice, some over
capacity — the secretariat accepts them in bulk, and each gets exactly one confirmation
mail (personal link + calendar file) in their own zone: WIB, WITA or WIT."""

from __future__ import annotations

import re
import time
from collections import Counter
from email import message_from_bytes
from zoneinfo import ZoneInfo

from sqlalchemy import select

from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.registration import services
from meetcoord.registration.models import Registration, RegistrationStatus
from tests.registration.support import form, fresh_ip, open_registration, post

PEOPLE = 300
CAPACITY = 280
TWICE = 30
REGIONS = (
    ("DKI Jakarta", "Asia/Jakarta", "WIB"),
    ("Kota Makassar, Sulawesi Selatan", "Asia/Makassar", "WITA"),
    ("Kota Ambon, Maluku", "Asia/Jayapura", "WIT"),
)


def _parts(raw: bytes) -> tuple[str, str]:
    """The text body and the calendar file of a message."""
    message = message_from_bytes(raw)
    text = calendar = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not text:
            text = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/calendar":
            calendar = part.get_payload(decode=True).decode()
    return text, calendar


def test_300_register_are_accepted_in_bulk_and_mailed_in_their_own_zone(client, auth) -> None:
    started = time.monotonic()
    meeting, settings = open_registration(capacity=CAPACITY)
    ips = [fresh_ip() for _ in range(PEOPLE)]
    for n in range(PEOPLE):
        region = REGIONS[n % 3][0]
        assert post(client, settings.slug, form(n, region=region), ip=ips[n]).status_code == 303
    for n in range(TWICE):  # again, with a corrected name: an update, not a second seat
        again = form(n, name=f"Siti Rahma Perbaikan {n}", region=REGIONS[n % 3][0])
        assert post(client, settings.slug, again, ip=ips[n]).status_code == 303
    counts = services.counts(meeting.id)
    assert counts["total"] == PEOPLE
    assert counts["pending"] == CAPACITY
    assert counts["waitlisted"] == PEOPLE - CAPACITY

    auth.login(user=meeting.created_by)
    pending = services.registrations_of(meeting.id, RegistrationStatus.PENDING, 1, 1000).items
    answer = auth.post(
        f"/meetings/{meeting.id}/registrants", {"action": "accept", "ids": [r.id for r in pending]}
    )
    assert answer.status_code == 303
    assert services.counts(meeting.id)["accepted"] == CAPACITY
    waiting = services.registrations_of(meeting.id, RegistrationStatus.WAITLISTED, 1, 1000).items
    assert len(waiting) == PEOPLE - CAPACITY
    assert not db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient.in_([r.email for r in waiting]))
    ).first()  # the waiting hear nothing until accepted
    auth.post(
        f"/meetings/{meeting.id}/registrants", {"action": "accept", "ids": [r.id for r in waiting]}
    )
    assert services.counts(meeting.id)["accepted"] == PEOPLE

    mails = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.ref_type == "invitation"))
    )
    per_address = Counter(m.recipient for m in mails)
    assert len(per_address) == PEOPLE
    assert set(per_address.values()) == {1}
    regs = {r.email: r for r in db.session.scalars(select(Registration))}
    assert regs["siti0@example.org"].person.name == "Siti Rahma Perbaikan 0"
    for mail in mails:
        n = int(re.search(r"siti(\d+)@", mail.recipient).group(1))
        _region, zone, label = REGIONS[n % 3]
        local = meeting.start_at.astimezone(ZoneInfo(zone))
        end = meeting.end_at.astimezone(ZoneInfo(zone))
        text, calendar = _parts(mail.message)
        # their own zone's hours, with its label (the host's WIB may stand beside them)
        assert f"{local:%H.%M}–{end:%H.%M} {label}" in text, (mail.recipient, text[:900])
        assert f"TZID={zone}:{local:%Y%m%dT%H%M}" in calendar, calendar[:900]
        assert "/i/" in text  # the personal link
    assert time.monotonic() - started < 60
