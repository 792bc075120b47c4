"""The invitation e-mail: text, HTML and an iTIP calendar part, plus ``invite.ics``.

Structure (what Outlook, Gmail and Thunderbird all turn into an "accept / decline" card)::

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8
        text/html; charset=utf-8
        text/calendar; charset=utf-8; method=REQUEST|CANCEL
      application/ics; name=invite.ics   (attachment, same calendar)

The parts are assembled from values encoded once and written out cheaply: see
:mod:`meetcoord.calendar.mime` for why and how.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from meetcoord.calendar.data import Contact, EventData, InvitationMail, Recipient
from meetcoord.calendar.ics import invitation_ics
from meetcoord.calendar.links import google_calendar_url
from meetcoord.calendar.mime import (
    InvitationMessage,
    base64_lines,
    encode_address,
    encode_header,
    encode_sender,
    part,
    quoted_printable,
)
from meetcoord.calendar.wording import (
    across,
    agenda_lines,
    event_zones,
    long_date,
    place,
    when_line,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Created once: compose stays Flask-free, and templates are compiled on first use only.
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    auto_reload=False,
)


def _boundary(seed: str, kind: str) -> str:
    # "=_" cannot occur in quoted-printable and "--" never starts a base64 line.
    return f"=_mc_{seed[:24]}_{kind}"


def message_id(mail: InvitationMail) -> str:
    """The same (meeting, recipient, SEQUENCE, method) always gets the same Message-ID, so
    a resend after a crash is recognisable as the same message (by the outbox and by MTAs).
    """
    key = "|".join((mail.event.uid, mail.recipient.email.lower(), str(mail.sequence), mail.method))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    domain = mail.message_domain or mail.sender.email.rpartition("@")[2] or "meetcoord.invalid"
    return f"<{digest}@{domain}>"


def subject(mail: InvitationMail) -> str:
    """ "Undangan: …", "Perubahan jadwal: …" (an update) or "Dibatalkan: …", with the day
    as the recipient's site sees it.
    """
    if mail.method == "CANCEL":
        prefix = "Dibatalkan"
    elif mail.is_update:
        prefix = "Perubahan jadwal"
    else:
        prefix = "Undangan"
    day = long_date(mail.event.start_at, mail.recipient.zone)
    return f"{prefix}: {mail.event.title} — {day}"


def _context(mail: InvitationMail) -> dict[str, object]:
    event: EventData = mail.event
    recipient: Recipient = mail.recipient
    zone = recipient.zone
    zones = event_zones(event, zone)
    return {
        "mail": mail,
        "event": event,
        "recipient": recipient,
        "cancelled": mail.method == "CANCEL",
        "updated": mail.is_update,
        "when": when_line(event, zone),
        "across": across(event.start_at, zones) if len(zones) > 1 else "",
        "place": place(event, recipient),
        "agenda": agenda_lines(event, zone),
        "google_url": google_calendar_url(event, recipient),
    }


def compose_invitation(mail: InvitationMail, *, locale: str = "id") -> EmailMessage:
    """The complete e-mail for one recipient; ``as_bytes()`` is what the outbox stores.

    Only Indonesian exists for now (``locale`` is accepted so callers need not change when
    an English version is added).
    """
    if not locale.startswith("id"):
        raise ValueError(f"only Indonesian invitations exist so far, not {locale!r}")
    context = _context(mail)
    text = _env.get_template("mail/invitation.txt").render(context)
    html = _env.get_template("mail/invitation.html").render(context)
    ics = invitation_ics(mail.event, mail.recipient, mail.method)
    ics_b64 = base64_lines(ics)
    msg_id = message_id(mail)
    seed = msg_id[1:33]

    alternative = InvitationMessage()
    # Longer than 78 characters: folded here as compat32 folded it, so it is written as is.
    alternative.set_raw(
        "Content-Type", f'multipart/alternative;\r\n boundary="{_boundary(seed, "alt")}"'
    )
    alternative.attach(
        part('text/plain; charset="utf-8"', quoted_printable(text), "quoted-printable")
    )
    alternative.attach(
        part('text/html; charset="utf-8"', quoted_printable(html), "quoted-printable")
    )
    alternative.attach(
        part(f'text/calendar; charset="utf-8"; method={mail.method}', ics_b64, "base64")
    )

    message = InvitationMessage()
    sent_at = (mail.sent_at or datetime.now(UTC)).astimezone(UTC)
    headers = [
        ("From", encode_sender(mail.sender)),
        ("To", encode_address(Contact(mail.recipient.name, mail.recipient.email))),
        ("Subject", encode_header("Subject", subject(mail))),
        ("Date", format_datetime(sent_at)),
        ("Message-ID", msg_id),
    ]
    if mail.reply_to is not None:
        headers.append(("Reply-To", encode_address(mail.reply_to)))
    headers += [
        ("Content-Language", "id"),
        # Outlook shows the meeting card for messages of this class.
        ("Content-Class", "urn:content-classes:calendarmessage"),
        ("X-Meetcoord-Uid", encode_header("X-Meetcoord-Uid", mail.event.uid)),
        ("X-Meetcoord-Sequence", str(mail.sequence)),
        ("X-Meetcoord-Method", mail.method),
    ]
    headers += [(name, encode_header(name, value)) for name, value in mail.extra_headers]
    headers += [
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/mixed; boundary="{_boundary(seed, "mix")}"'),
    ]
    for name, value in headers:
        message.set_raw(name, value)
    message.attach(alternative)
    message.attach(
        part(
            'application/ics; name="invite.ics"',
            ics_b64,
            "base64",
            ("Content-Disposition", 'attachment; filename="invite.ics"'),
        )
    )
    return message
