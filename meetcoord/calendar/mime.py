"""MIME parts encoded once and written out cheaply: what the invitation e-mail is made of.

A secretariat invites a whole forum at once and the outbox rows are written in the
request's transaction (the ``invites`` bench: 500 mails ≤ 0.6 s), so every step that the
standard library would repeat per header or per line is done here once:

- the stdlib's modern header machinery parses every header value on each read and write
  (~2 ms a message), so header values are encoded here (RFC 2047 words, folded, CRLF) and
  stored raw with ``set_raw``; payloads are stored already quoted-printable or base64;
- such a tree is written as compat32's ``BytesGenerator`` writes it with :data:`WIRE`, a
  compat32 policy that writes a header value that is already fit for the wire as it is,
  where compat32 would parse and fold it again through ``email.header.Header`` (22 headers
  a message, a sixth of the bench). A value is fit when compat32 would give it back
  unchanged — ASCII (so already RFC 2047-encoded), every line within 78 characters,
  continuation lines starting with a blank, no blank at a line's end; anything else goes
  through compat32's folding as before;
- the generator itself then cost a quarter of the bench (a ``write`` call per body line,
  a policy clone and a content-type parse per part), so :func:`_wire_text` writes the
  trees compose builds — raw ASCII headers, multiparts with their boundary, leaves with an
  ASCII payload — directly, to the same bytes; any other tree goes to the generator.

``tests/calendar/test_mime.py`` checks both claims against compat32 and its generator. Reading
headers (``msg["Subject"]``, ``msg["To"].addresses``) and ``get_content()`` work as on any
``EmailMessage``; a header set the modern way later makes :class:`InvitationMessage` fall
back to the standard generator and policy.
"""

from __future__ import annotations

import binascii
import re
from email import policy as email_policy
from email.header import Header
from email.message import EmailMessage, Message
from email.policy import Compat32
from functools import lru_cache

from meetcoord.calendar.data import Contact
from meetcoord.core.mail import header_text, mailbox

_SMTP = email_policy.SMTP
_BLANKS = (" ", "\t")


class _PreEncoded(Compat32):
    """compat32 that writes header values already encoded and folded as they are."""

    def _fit(self, name: str, value: object) -> bool:
        if type(value) is not str or not value.isascii():
            return False
        limit = self.max_line_length or 78  # no limit set (None, 0): keep to 78 all the same
        lines = value.split(self.linesep)
        if len(name) + 2 + len(lines[0]) > limit:  # "Name: " shares the first line
            return False
        for index, line in enumerate(lines):
            if "\r" in line or "\n" in line or line.endswith(_BLANKS):
                return False
            if index and (len(line) > limit or line[:1] not in _BLANKS):
                return False
        return True

    def fold(self, name: str, value: object) -> str:
        if self._fit(name, value):
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: object) -> bytes:
        if self._fit(name, value):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


#: What a pre-encoded tree is written with: fit header values pass through, CRLF lines.
WIRE = _PreEncoded(linesep="\r\n")


class InvitationMessage(EmailMessage):
    """An ``EmailMessage`` whose headers were stored pre-encoded, written out fast.

    If anything later sets a header the modern way (``msg["X"] = ...``), the tree is no
    longer all raw strings and ``as_bytes`` falls back to the standard generator and policy.
    """

    def __init__(self, policy: email_policy.Policy | None = None) -> None:
        super().__init__(_SMTP if policy is None else policy)

    def as_bytes(self, unixfrom: bool = False, policy: email_policy.Policy | None = None) -> bytes:
        if policy is None and not unixfrom:
            out: list[str] = []
            if _wire_text(self, out):
                return "".join(out).encode("ascii")
        if policy is None:
            policy = WIRE if _all_raw(self) else _SMTP
        return super().as_bytes(unixfrom, policy)

    def __bytes__(self) -> bytes:
        return self.as_bytes()


_CRLF = "\r\n"
_LINE_ENDS = re.compile(r"\r\n|\r|\n")  # the generator's NLCRE: every line end becomes CRLF
# A multipart as compose writes it: its boundary the only parameter, quoted, no escapes or
# blanks (which get_boundary() would undo); anything else is the generator's business.
_MULTIPART = re.compile(r'multipart/[\w.+-]+;\s*boundary="([^"\\\s]+)"', re.IGNORECASE)


def _wire_text(part: Message, out: list[str]) -> bool:
    """Append to ``out`` what ``BytesGenerator(policy=WIRE, mangle_from_=False)`` writes for
    ``part`` (what ``Message.as_bytes`` uses), or return False, leaving ``out`` to be
    dropped, for a tree it does not know: a header that is not a raw ASCII string, no
    Content-Type, a preamble or epilogue, a multipart not written as compose writes one or
    without parts, a message/* part, a payload that is not ASCII text.
    """
    content_type = None
    for name, value in part.raw_items():
        if type(value) is not str or not value.isascii():
            return False
        if content_type is None and name.lower() == "content-type":
            content_type = value
        out.append(WIRE.fold(name, value))
    out.append(_CRLF)
    if content_type is None or part.preamble is not None or part.epilogue is not None:
        return False
    kind = content_type.partition(";")[0].strip().lower()
    payload = part._payload  # what the generator reads too; get_payload() parses headers
    if kind.startswith("multipart/"):
        multipart = _MULTIPART.fullmatch(content_type)
        parts = payload if type(payload) is list else []
        if multipart is None or kind == "multipart/signed" or not parts:
            return False
        delimiter = f"--{multipart.group(1)}"
        for index, sub in enumerate(parts):
            out.append(f"{delimiter}{_CRLF}" if index == 0 else f"{_CRLF}{delimiter}{_CRLF}")
            if not isinstance(sub, Message) or not _wire_text(sub, out):
                return False
        out.append(f"{_CRLF}{delimiter}--{_CRLF}")
        return True
    if kind.startswith("message/") or type(payload) is not str or not payload.isascii():
        return False
    # Our payloads have only \n line ends (b2a_qp, b2a_base64): a plain replace does then.
    out.append(
        payload.replace("\n", _CRLF) if "\r" not in payload else _LINE_ENDS.sub(_CRLF, payload)
    )
    return True


def _all_raw(message: EmailMessage) -> bool:
    for part in message.walk():
        if any(type(value) is not str for _, value in part.raw_items()):
            return False
    return True


@lru_cache(maxsize=1024)
def encode_header(name: str, value: str) -> str:
    """RFC 2047-encode (when not ASCII) and fold a header value, CRLF-separated."""
    value = header_text(value)
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, header_name=name).encode(linesep="\r\n")


def encode_address(contact: Contact) -> str:
    """``Name <address>`` for From, To and Reply-To (see :func:`core.mail.mailbox`)."""
    return mailbox(contact.name, contact.email)


#: The same few senders, every mail.
encode_sender = lru_cache(maxsize=64)(encode_address)


def quoted_printable(text: str) -> str:
    """UTF-8 text as a quoted-printable payload (lines end in ``\\n``, CRLF when written)."""
    return binascii.b2a_qp(text.encode("utf-8"), istext=True).decode("ascii")


def base64_lines(data: bytes) -> str:
    """Base64 in 76-character lines, as RFC 2045 asks (57 input bytes per line)."""
    return "".join(
        binascii.b2a_base64(data[i : i + 57]).decode("ascii") for i in range(0, len(data), 57)
    )


def part(content_type: str, payload: str, encoding: str, *extra: tuple[str, str]) -> EmailMessage:
    """A leaf part with its payload already transfer-encoded as ``encoding`` says."""
    leaf = InvitationMessage()
    leaf.set_raw("Content-Type", content_type)
    leaf.set_raw("Content-Transfer-Encoding", encoding)
    for name, value in extra:
        leaf.set_raw(name, value)
    leaf.set_payload(payload)
    return leaf
