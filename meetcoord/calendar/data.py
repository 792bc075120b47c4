"""What the calendar files and invitation e-mails are rendered from: plain frozen data.

The meeting services translate their models into these records and hand them over; nothing
here knows about Flask or the database, so rendering can be unit-tested and benchmarked on
its own, and the same :class:`EventData` can be shared by all 500 recipients of a meeting
(only the :class:`Recipient` differs). Every record is frozen and hashable, which lets the
renderers cache what is shared (time labels, the agenda in one zone, a zone's VTIMEZONE).

Datetimes are timezone-aware UTC instants, as stored; each renderer places them in the
zone it needs (the recipient's site, or the feed's zone) and labels them WIB/WITA/WIT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Method = Literal["REQUEST", "CANCEL"]

#: Invitee roles as ``meetings.models.InviteeRole`` values; the calendar ROLE they map to.
ROLE_TO_ICAL: dict[str, str] = {
    "chair": "CHAIR",
    "minute_taker": "REQ-PARTICIPANT",
    "speaker": "REQ-PARTICIPANT",
    "site_coordinator": "REQ-PARTICIPANT",
    "participant": "REQ-PARTICIPANT",
    "observer": "OPT-PARTICIPANT",
}

#: RSVP values as ``meetings.models.Rsvp`` values; the calendar PARTSTAT they map to.
RSVP_TO_PARTSTAT: dict[str, str] = {
    "pending": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
}


def _require_aware(name: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got a naive datetime")


@dataclass(frozen=True, slots=True)
class Contact:
    """A name and an e-mail address (organizer, sender)."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class AgendaLine:
    """One agenda item; ``start_at`` is its planned start as a UTC instant."""

    title: str
    start_at: datetime
    planned_minutes: int
    presenter: str | None = None

    def __post_init__(self) -> None:
        _require_aware("AgendaLine.start_at", self.start_at)


@dataclass(frozen=True, slots=True)
class EventData:
    """One meeting as every recipient's calendar should show it.

    ``zone`` and ``location`` describe the host venue: a feed uses them, and an invitation
    uses them only when the recipient has no zone or location of their own.
    ``site_zones`` are the zones of all linked sites (west to east), for the
    "09.00 WIB / 10.00 WITA / 11.00 WIT" line. ``sequence`` is the meeting's calendar
    SEQUENCE; a recipient may carry their own (a site change updates only them).
    ``status`` is CONFIRMED, TENTATIVE or CANCELLED (a CANCEL always renders CANCELLED).
    ``stamp_at`` is DTSTAMP; None means "now" (fix it in tests for byte-stable output).
    """

    uid: str
    title: str
    start_at: datetime
    end_at: datetime
    zone: str
    organizer: Contact
    purpose: str = ""
    location: str = ""
    online_url: str | None = None
    agenda: tuple[AgendaLine, ...] = ()
    site_zones: tuple[str, ...] = ()
    sequence: int = 0
    status: str = "CONFIRMED"
    url: str | None = None
    stamp_at: datetime | None = None

    def __post_init__(self) -> None:
        _require_aware("EventData.start_at", self.start_at)
        _require_aware("EventData.end_at", self.end_at)
        if self.end_at <= self.start_at:
            raise ValueError("EventData.end_at must be after start_at")
        if self.stamp_at is not None:
            _require_aware("EventData.stamp_at", self.stamp_at)


@dataclass(frozen=True, slots=True)
class Recipient:
    """One invitee as their invitation addresses them.

    ``location`` is the site's venue name and address; None means the person attends online
    (LOCATION becomes the event's online link). ``zone`` is the site's IANA zone (for an
    online attendee: the zone they should see, e.g. their organization's or the host's).
    ``role`` and ``rsvp`` take the ``InviteeRole`` / ``Rsvp`` values of the meetings models.
    ``sequence`` overrides the event's SEQUENCE for this person when set.
    """

    name: str
    email: str
    zone: str
    personal_url: str
    role: str = "participant"
    site_name: str | None = None
    location: str | None = None
    rsvp: str = "pending"
    sequence: int | None = None

    @property
    def is_online(self) -> bool:
        return self.location is None

    @property
    def ical_role(self) -> str:
        return ROLE_TO_ICAL.get(self.role, "REQ-PARTICIPANT")

    @property
    def partstat(self) -> str:
        return RSVP_TO_PARTSTAT.get(self.rsvp, "NEEDS-ACTION")


@dataclass(frozen=True, slots=True)
class InvitationMail:
    """Everything one invitation, update or cancellation e-mail needs.

    ``sender`` is the From address (the secretariat's mailbox); ``institution`` names the
    body that invites (e.g. "BAPPEDA Provinsi Nusa Tenggara Barat"). ``sent_at`` is the Date
    header; None means "now". ``message_domain`` is the right-hand side of the Message-ID;
    None takes the sender's domain. ``first`` marks a recipient's first mail about this
    meeting: it reads as an invitation ("Undangan") even when the meeting's SEQUENCE has
    moved on, since they never saw the version it changed (the SEQUENCE stays as it is, so
    their calendar keeps taking later updates).
    """

    event: EventData
    recipient: Recipient
    sender: Contact
    institution: str
    method: Method = "REQUEST"
    reply_to: Contact | None = None
    sent_at: datetime | None = None
    message_domain: str | None = None
    extra_headers: tuple[tuple[str, str], ...] = field(default=())
    first: bool = False

    def __post_init__(self) -> None:
        if self.method not in ("REQUEST", "CANCEL"):
            raise ValueError(f"method must be REQUEST or CANCEL, got {self.method!r}")

    @property
    def closing(self) -> list[str]:
        """The lines under "terima kasih": the sender's name, then the institution unless
        the sender's name already says it (a sender name left unset *is* the institution's
        name, and "Sekretariat Forum — Bappeda SBD" names it too): an institution named
        twice in a row reads as a template, not a letter (issue 16)."""
        name = self.sender.name.strip()
        if not name:
            return [self.institution]
        if self.institution.strip().casefold() in name.casefold():
            return [name]
        return [name, self.institution]

    @property
    def is_update(self) -> bool:
        """A changed time or place for someone who had the earlier version."""
        return self.method != "CANCEL" and self.sequence > 0 and not self.first

    @property
    def sequence(self) -> int:
        """The SEQUENCE this mail's calendar carries (the recipient's own, if set)."""
        if self.recipient.sequence is not None:
            return self.recipient.sequence
        return self.event.sequence
