"""The invitation letter (Surat Undangan) and its letter number; pure, no database.

Agencies act on an official letter, not on an e-mail: a Bappeda invites the OPD to a
coordination meeting with a numbered letter in the formal layout (place and date of
issue, Nomor / Sifat / Lampiran / Perihal, "Kepada Yth.", the body, the signature).
Each linked site is listed with the day and the time on its own clock and zone label
("09.00–12.00 WITA", "08.00–11.00 WIB"), because a reader in Jakarta must not have to
convert a Tambolaka time. More than eight addressees go to an appendix page ("Daftar
terlampir"), as do long agendas, so the first page stays one letter.

The letter number follows the institution's own numbering scheme, configured as a
pattern ("005/{seq}/BAPPEDA/{year}"). The pattern is parsed with ``string.Formatter``
and only four known placeholders are filled — never evaluated — so an administrator's
typo is a validation message, not an exception or code execution.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from meetcoord.core.errors import ValidationError
from meetcoord.core.letter_numbers import (  # noqa: F401  (re-exported for callers)
    DEFAULT_LETTER_PATTERN,
    MAX_LETTER_NUMBER,
    ROMAN_MONTHS,
    format_letter_number,
    validate_letter_pattern,
)
from meetcoord.core.pdf import letterhead
from meetcoord.core.places import join_place
from meetcoord.core.settings import ConfigError
from meetcoord.core.timezones import format_long_date
from meetcoord.documents.pdf.agreement_record import spell_number
from meetcoord.documents.pdf.compose import ONLINE, time_range
from meetcoord.documents.pdf.layout import (
    CONTENT_WIDTH_MM,
    PLAIN,
    RenderedDocument,
    build_pdf,
    fields,
    grid,
    numbered,
    para,
    signature_block,
)

MAX_INLINE_RECIPIENTS = 8
MAX_INLINE_AGENDA = 8
SENDER = "sender"
CLOSING = (
    "Demikian undangan ini disampaikan, atas perhatian dan kehadirannya diucapkan terima kasih."
)


def check_pattern_setting(config: Mapping[str, Any]) -> None:
    """Start-up check (``create_app``): a bad ``MEETCOORD_LETTER_NUMBER_PATTERN`` stops the
    service with one line saying what is wrong, before any letter is numbered with it."""
    try:
        validate_letter_pattern(config["LETTER_NUMBER_PATTERN"])
    except ValidationError as exc:
        raise ConfigError(f"MEETCOORD_LETTER_NUMBER_PATTERN: {exc.message}") from None


@dataclass(frozen=True)
class LetterSite:
    name: str
    address: str | None
    zone: str  # IANA
    start_at: datetime  # UTC, aware
    end_at: datetime
    online: bool = False


@dataclass(frozen=True)
class InvitationLetterData:
    """Everything the invitation letter prints, as plain values."""

    institution: str
    address: str | None
    logo: str | None
    number: str
    issued_on: date
    place: str  # city of issue, e.g. "Tambolaka"
    recipients: list[str]  # agency names
    subject: str  # "Undangan Rapat Koordinasi …"
    title: str
    purpose: str | None
    sites: list[LetterSite]
    agenda: list[str]
    online_url: str | None
    signer_name: str | None
    signer_position: str | None
    contact: str | None


def _attachments(data: InvitationLetterData) -> list[str]:
    out = []
    if len(data.recipients) > MAX_INLINE_RECIPIENTS:
        out.append("recipients")
    if len(data.agenda) > MAX_INLINE_AGENDA:
        out.append("agenda")
    return out


def _lampiran(data: InvitationLetterData) -> str:
    """ "-" or "1 (satu) berkas": the appendix pages travel as one attachment."""
    return f"1 ({spell_number(1)}) berkas" if _attachments(data) else "-"


def _heading(data: InvitationLetterData) -> list[Any]:
    issued = format_date(data.issued_on, "d MMMM y", locale="id")
    block = fields(
        [
            ("Nomor", data.number),
            ("Sifat", "Biasa"),
            ("Lampiran", _lampiran(data)),
            ("Perihal", para(data.subject, "bold")),
        ],
        label_width=22,
    )
    return [para(f"{data.place}, {issued}", "right"), Spacer(1, 3 * mm), block]


def _addressees(data: InvitationLetterData) -> list[Any]:
    if "recipients" in _attachments(data):
        names: Any = para("Bapak/Ibu pimpinan instansi (Daftar terlampir)")
    elif len(data.recipients) == 1:
        names = para(data.recipients[0])
    else:
        names = numbered(data.recipients, indent=6, style_name="body")
    place = Table([[para("di –"), ""], ["", para("Tempat")]], colWidths=[8 * mm, None])
    place.setStyle(TableStyle([*PLAIN, ("SPAN", (0, 0), (1, 0))]))
    return [Spacer(1, 5 * mm), para("Kepada Yth."), names, place, Spacer(1, 5 * mm)]


def _venue(site: LetterSite, online_url: str | None) -> str:
    if site.online:
        return f"{ONLINE}: {online_url}" if online_url else ONLINE
    return join_place(site.name, site.address)


def _schedule(data: InvitationLetterData) -> Table:
    """One row per site: its day and time on its own clock, and where to come."""
    rows: list[list[Any]] = [
        [para(h, "head") for h in ("Lokasi", "Hari/tanggal", "Waktu", "Tempat")]
    ]
    for s in data.sites:
        rows.append(
            [
                para(s.name, "cell"),
                para(format_long_date(s.start_at, s.zone), "cell"),
                para(time_range(s.start_at, s.end_at, s.zone), "cell"),
                para(_venue(s, data.online_url), "cell"),
            ]
        )
    return grid(rows, [40, 40, 32, CONTENT_WIDTH_MM - 112])


def _body(data: InvitationLetterData) -> list[Any]:
    reason = f"Dalam rangka {_mid_sentence(data.purpose.rstrip('.'))}, b" if data.purpose else "B"
    out: list[Any] = [
        para("Dengan hormat,"),
        Spacer(1, 2 * mm),
        para(
            f"{reason}ersama ini kami mengundang Bapak/Ibu atau pejabat yang mewakili untuk "
            f"menghadiri {data.title}, yang akan dilaksanakan pada:",
            "justify",
        ),
        Spacer(1, 2 * mm),
        _schedule(data),
    ]
    has_online_site = any(s.online for s in data.sites)
    if data.online_url and not has_online_site:
        out += [Spacer(1, 2 * mm), para(f"Tautan rapat daring: {data.online_url}")]
    out += [Spacer(1, 3 * mm), para("Acara:", "bold")]
    if "agenda" in _attachments(data):
        out.append(para("Susunan acara sebagaimana terlampir."))
    else:
        out.append(numbered(data.agenda or ["-"], indent=6))
    if data.contact:
        out += [
            Spacer(1, 3 * mm),
            para(f"Informasi lebih lanjut dapat menghubungi {data.contact}.", "justify"),
        ]
    return out


def _signature(data: InvitationLetterData) -> Any:
    """Right half of the page, as Indonesian letters sign."""
    labels = [f"{data.signer_position},"] if data.signer_position else []
    block = signature_block(labels, data.signer_name or "-", SENDER)
    half = CONTENT_WIDTH_MM / 2 * mm
    table = Table([["", block]], colWidths=[half, half])
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return KeepTogether([Spacer(1, 3 * mm), para(CLOSING, "justify"), Spacer(1, 6 * mm), table])


def _appendix(data: InvitationLetterData) -> list[Any]:
    parts = _attachments(data)
    if not parts:
        return []
    out: list[Any] = [
        PageBreak(),
        para("Lampiran Surat Undangan", "title"),
        para(f"Nomor: {data.number}", "center"),
        para(f"Perihal: {data.subject}", "center"),
        Spacer(1, 5 * mm),
    ]
    if "recipients" in parts:
        rows: list[list[Any]] = [[para("No", "head"), para("Instansi yang diundang", "head")]]
        rows += [[str(n), para(r, "cell")] for n, r in enumerate(data.recipients, start=1)]
        out += [para("Daftar undangan", "section"), grid(rows, [12, CONTENT_WIDTH_MM - 12])]
    if "agenda" in parts:
        out += [Spacer(1, 5 * mm), para("Susunan acara", "section"), numbered(data.agenda)]
    return out


def _mid_sentence(text: str) -> str:
    """ "Menyepakati rencana …" after "Dalam rangka": lower-case the first letter, but
    leave an acronym ("OPD", "RPJMD") or a name ("Forum BangKIT") as it is written."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


def letter_story(data: InvitationLetterData) -> list[Any]:
    """The flowables of the letter, appendix included."""
    return [
        *letterhead(data.institution, data.address, data.logo),
        *_heading(data),
        *_addressees(data),
        *_body(data),
        _signature(data),
        *_appendix(data),
    ]


def render_invitation_letter(data: InvitationLetterData, *, verify_url: str) -> RenderedDocument:
    """The PDF, its page count and the sender's blank signature box (``sender``)."""
    return build_pdf(
        letter_story(data),
        title=f"Surat Undangan — {data.subject}",
        author=data.institution,
        verify_url=verify_url,
    )
