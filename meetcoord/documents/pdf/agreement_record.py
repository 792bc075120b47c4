"""The agreement record (Berita Acara Kesepakatan) as a PDF; pure, no database.

A coordination meeting often ends with agencies committing to something in writing: the
berita acara names each party (its representative, their position and agency, "selanjutnya
disebut PIHAK KESATU"), lists what they agreed and is signed by every party. Its opening
states the day and date in words ("Pada hari ini, Jumat tanggal lima belas bulan Maret
tahun dua ribu dua puluh empat (15-03-2024)"), as formal Indonesian records do so a date
cannot be altered by changing a digit; the number spelling here is shared with the
invitation letter ("1 (satu) berkas").

Each party gets a blank signature area (roles ``party-1``, ``party-2``, …) whose page and
box are reported, so ``signing.signing.sign_pdf`` can place each party's stamp there:
party-1 certifies and creates the later parties' fields (``later_fields``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from meetcoord.core.pdf import letterhead
from meetcoord.core.timezones import to_zone
from meetcoord.documents.pdf.compose import SiteData
from meetcoord.documents.pdf.layout import (
    RenderedDocument,
    build_pdf,
    fields,
    numbered,
    para,
    signature_block,
    signature_grid,
)
from meetcoord.documents.pdf.matrix import MatrixRowData, matrix_appendix, matrix_section

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_UNITS = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)
_SCALES = ((1_000_000_000, "miliar"), (1_000_000, "juta"), (1000, "ribu"), (100, "ratus"))
CLOSING = "Demikian berita acara kesepakatan ini dibuat untuk dipergunakan sebagaimana mestinya."


def spell_number(n: int) -> str:
    """ "dua ribu dua puluh empat": a whole number in Indonesian words.

    Indonesian joins "se-" to one of a scale ("seratus", "seribu", "sebelas") but says
    "satu juta"; teens are "<unit> belas", tens "<unit> puluh".
    """
    if n < 0:
        return f"minus {spell_number(-n)}"
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    for scale, word in _SCALES:
        if n >= scale:
            head, rest = divmod(n, scale)
            if head == 1 and scale in (100, 1000):
                words = f"se{word}"
            else:
                words = f"{spell_number(head)} {word}"
            return words + (f" {spell_number(rest)}" if rest else "")
    raise AssertionError("unreachable")  # pragma: no cover


def ordinal(n: int) -> str:
    """ "kesatu", "kedua", "kesebelas", "kedua puluh satu": for PIHAK KESATU, KEDUA, …

    Formal records use "kesatu" rather than "pertama" so every party reads the same way.
    """
    if n < 1:
        raise ValueError("ordinals start at 1")
    return f"ke{spell_number(n)}"


def date_in_words(day: date) -> str:
    """ "Jumat tanggal lima belas bulan Maret tahun dua ribu dua puluh empat (15-03-2024)"."""
    return (
        f"{DAYS[day.weekday()]} tanggal {spell_number(day.day)} bulan {MONTHS[day.month - 1]}"
        f" tahun {spell_number(day.year)} ({day:%d-%m-%Y})"
    )


def party_label(n: int) -> str:
    """ "PIHAK KEDUA": how the record and the signature block name party ``n``."""
    return f"PIHAK {ordinal(n).upper()}"


party_name = party_label


def party_role(n: int) -> str:
    """The signature role of party ``n`` (1-based), as the signing step names the field."""
    return f"party-{n}"


@dataclass(frozen=True)
class PartyData:
    organization: str
    representative: str
    position: str | None = None


@dataclass(frozen=True)
class AgreementData:
    """Everything the agreement record prints, as plain values."""

    institution: str
    address: str | None
    logo: str | None
    title: str
    number: str | None
    meeting_title: str
    start_at: datetime  # UTC, aware
    host_zone: str  # IANA
    place: str
    sites: list[SiteData]
    parties: list[PartyData]
    points: list[str]
    opening: str | None = None  # context printed before the points ("Dalam rangka …")
    # the synchronisation matrix the agencies sign (issue 14), taken again when frozen
    matrix: list[MatrixRowData] = field(default_factory=list)


def _opening(data: AgreementData) -> str:
    local = to_zone(data.start_at, data.host_zone).date()
    others = [s.name for s in data.sites if s.name not in data.place]
    linked = f" yang terhubung dengan {', '.join(others)}" if others else ""
    return (
        f"Pada hari ini, {date_in_words(local)}, bertempat di {data.place}{linked}, dalam "
        f"{data.meeting_title}, kami yang bertanda tangan di bawah ini:"
    )


def _party(n: int, party: PartyData) -> list[Any]:
    rows = [
        ("Nama", party.representative),
        ("Jabatan", party.position or "-"),
        ("Instansi", party.organization),
    ]
    return [
        fields(rows, label_width=22),
        para(f"selanjutnya disebut {party_name(n)}."),
        Spacer(1, 2 * mm),
    ]


def _signatures(data: AgreementData) -> list[Any]:
    """Two parties to a row; the closing sentence stays with the first row, and a long
    list of parties flows on over the following pages."""
    blocks = [
        signature_block([f"{party_name(n)},", p.organization], p.representative, party_role(n))
        for n, p in enumerate(data.parties, start=1)
    ]
    first = [para(CLOSING, "justify"), Spacer(1, 8 * mm), signature_grid(blocks[:2])]
    return [KeepTogether(first), *([signature_grid(blocks[2:])] if blocks[2:] else [])]


def agreement_story(data: AgreementData) -> list[Any]:
    """The flowables, for a caller that adds pages (e.g. an attendance appendix)."""
    head: list[Any] = [
        *letterhead(data.institution, data.address, data.logo),
        para("BERITA ACARA KESEPAKATAN", "title"),
        para(data.title, "subtitle"),
    ]
    if data.number:
        head.append(para(f"Nomor: {data.number}", "center"))
    body: list[Any] = [
        Spacer(1, 6 * mm),
        para(_opening(data), "justify"),
        Spacer(1, 2 * mm),
        numbered([_party(n, p) for n, p in enumerate(data.parties, start=1)]),
    ]
    if data.opening:
        body += [para(data.opening, "justify"), Spacer(1, 2 * mm)]
    count = len(data.parties)
    together = "Kedua belah pihak" if count == 2 else "Para pihak"
    body += [
        para(f"{together} menyepakati hal-hal sebagai berikut:", "justify"),
        Spacer(1, 2 * mm),
        numbered(data.points or ["-"]),
        *matrix_section(data.matrix),
        Spacer(1, 4 * mm),
        *_signatures(data),
        *matrix_appendix(data.matrix, data.title),
    ]
    return [*head, *body]


def render_agreement(data: AgreementData, *, verify_url: str) -> RenderedDocument:
    """The PDF, its page count and each party's blank signature box (``party-n``)."""
    return build_pdf(
        agreement_story(data),
        title=f"Berita Acara Kesepakatan — {data.title}",
        author=data.institution,
        verify_url=verify_url,
    )
