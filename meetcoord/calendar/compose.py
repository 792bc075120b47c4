"""The invitation e-mail: text, HTML and an iTIP calendar part, plus ``invite.ics``.

Structure (what Outlook, Gmail and Thunderbird all turn into an "accept / decline" card)::

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8
        text/html; charset=utf-8
        text/calendar; charset=utf-8; method=REQUEST|CANCEL
      application/ics; name=invite.ics   (attachment, same calendar)

Speed matters: a secretariat invites a whole forum at once and the outbox rows are written
in the request's transaction (the ``invites`` bench: 500 mails ≤ 1 s). The stdlib's modern
header machinery parses every header value on each read and write (~2 ms a message), so the
parts are assembled from values encoded here once (RFC 2047 words, quoted-printable,
base64) and stored raw; :class:`InvitationMessage` serialises such a tree with the cheap
compat32 generator. Reading headers (``msg["Subject"]``, ``msg["To"].addresses``) and
``get_content()`` still work as on any ``EmailMessage``.
"""

from __future__ import annotations

import binascii
import hashlib
from datetime import UTC, datetime
from email import policy as email_policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from meetcoord.calendar.data import Contact, EventData, InvitationMail, Recipient
from meetcoord.calendar.ics import invitation_ics
from meetcoord.calendar.links import google_calendar_url
from meetcoord.calendar.wording import (
    across,
    agenda_lines,
    event_zones,
    long_date,
    place,
    when_line,
)
from meetcoord.core.mail import header_text, mailbox

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

# What the pre-encoded tree is written with: raw header values pass through, CRLF lines.
_WIRE = email_policy.compat32.clone(linesep="\r\n")
_SMTP = email_policy.SMTP


class InvitationMessage(EmailMessage):
    """An ``EmailMessage`` whose headers were stored pre-encoded, written out fast.

    If anything later sets a header the modern way (``msg["X"] = ...``), the tree is no
    longer all raw strings and ``as_bytes`` falls back to the standard generator.
    """

    def as_bytes(self, unixfrom: bool = False, policy: email_policy.Policy | None = None) -> bytes:
        if policy is None:
            policy = _WIRE if _all_raw(self) else _SMTP
        return super().as_bytes(unixfrom, policy)

    def __bytes__(self) -> bytes:
        return self.as_bytes()


def _all_raw(message: EmailMessage) -> bool:
    for part in message.walk():
        if any(type(value) is not str for _, value in part.raw_items()):
            return False
    return True


@lru_cache(maxsize=1024)
def _encode_header(name: str, value: str) -> str:
    """RFC 2047-encode (when not ASCII) and fold a header value, CRLF-separated."""
    value = header_text(value)
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, header_name=name).encode(linesep="\r\n")


def _encode_address(contact: Contact) -> str:
    return mailbox(contact.name, contact.email)


_encode_sender = lru_cache(maxsize=64)(_encode_address)  # the same few senders, every mail


def _qp(text: str) -> str:
    return binascii.b2a_qp(text.encode("utf-8"), istext=True).decode("ascii")


def _b64(data: bytes) -> str:
    # 76-character lines as RFC 2045 asks (57 input bytes per line).
    return "".join(
        binascii.b2a_base64(data[i : i + 57]).decode("ascii") for i in range(0, len(data), 57)
    )


def _part(content_type: str, payload: str, encoding: str, *extra: tuple[str, str]) -> EmailMessage:
    part = InvitationMessage(_SMTP)
    part.set_raw("Content-Type", content_type)
    part.set_raw("Content-Transfer-Encoding", encoding)
    for name, value in extra:
        part.set_raw(name, value)
    part.set_payload(payload)
    return part


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
    """ "Undangan: …", "Perubahan jadwal: …" (SEQUENCE > 0) or "Dibatalkan: …", with the day
    as the recipient's site sees it.
    """
    if mail.method == "CANCEL":
        prefix = "Dibatalkan"
    elif mail.sequence > 0:
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
        "updated": mail.method != "CANCEL" and mail.sequence > 0,
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
    ics_b64 = _b64(ics)
    msg_id = message_id(mail)
    seed = msg_id[1:33]

    alternative = InvitationMessage(_SMTP)
    alternative.set_raw(
        "Content-Type", f'multipart/alternative; boundary="{_boundary(seed, "alt")}"'
    )
    alternative.attach(_part('text/plain; charset="utf-8"', _qp(text), "quoted-printable"))
    alternative.attach(_part('text/html; charset="utf-8"', _qp(html), "quoted-printable"))
    alternative.attach(
        _part(f'text/calendar; charset="utf-8"; method={mail.method}', ics_b64, "base64")
    )

    message = InvitationMessage(_SMTP)
    sent_at = (mail.sent_at or datetime.now(UTC)).astimezone(UTC)
    headers = [
        ("From", _encode_sender(mail.sender)),
        ("To", _encode_address(Contact(mail.recipient.name, mail.recipient.email))),
        ("Subject", _encode_header("Subject", subject(mail))),
        ("Date", format_datetime(sent_at)),
        ("Message-ID", msg_id),
    ]
    if mail.reply_to is not None:
        headers.append(("Reply-To", _encode_address(mail.reply_to)))
    headers += [
        ("Content-Language", "id"),
        # Outlook shows the meeting card for messages of this class.
        ("Content-Class", "urn:content-classes:calendarmessage"),
        ("X-Meetcoord-Uid", _encode_header("X-Meetcoord-Uid", mail.event.uid)),
        ("X-Meetcoord-Sequence", str(mail.sequence)),
        ("X-Meetcoord-Method", mail.method),
    ]
    headers += [(name, _encode_header(name, value)) for name, value in mail.extra_headers]
    headers += [
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/mixed; boundary="{_boundary(seed, "mix")}"'),
    ]
    for name, value in headers:
        message.set_raw(name, value)
    message.attach(alternative)
    message.attach(
        _part(
            'application/ics; name="invite.ics"',
            ics_b64,
            "base64",
            ("Content-Disposition", 'attachment; filename="invite.ics"'),
        )
    )
    return message
