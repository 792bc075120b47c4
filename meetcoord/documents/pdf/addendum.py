"""The addendum to signed minutes (Adendum Notulen) as a PDF; pure, no database.

Once the first signature is on the minutes their content is frozen (DESIGN §7): a
correction cannot edit the signed PDF without breaking its signatures, so it becomes a
separate, numbered addendum that the same two people sign. The addendum names the
original precisely — its title, the meeting day at the host site, its verification code
and the SHA-256 of the signed file — so a reader can tell which document it amends and
check that exact file on the verification page.

The signature blocks mirror the minutes': minute-taker on the left (``minute_taker``),
chair on the right (``chair``), blank areas whose boxes are reported for the signing step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from meetcoord.core.pdf import letterhead
from meetcoord.core.timezones import format_long_date
from meetcoord.documents.pdf.layout import (
    RenderedDocument,
    build_pdf,
    numbered,
    para,
    signature_block,
    signature_grid,
)

CHAIR = "chair"  # the same roles as the minutes (render.CHAIR, render.MINUTE_TAKER)
MINUTE_TAKER = "minute_taker"
CLOSING = (
    "Hal-hal lain dalam notulen rapat tersebut yang tidak diubah oleh adendum ini "
    "dinyatakan tetap berlaku. Adendum ini merupakan bagian yang tidak terpisahkan "
    "dari notulen rapat tersebut."
)


@dataclass(frozen=True)
class AddendumData:
    """Everything the addendum prints, as plain values."""

    institution: str
    address: str | None
    logo: str | None
    number: int  # 1, 2, … per original minutes
    original_title: str
    original_date: datetime  # UTC, aware: the meeting's start
    host_zone: str  # IANA
    original_reference: str  # the original's verification code
    original_sha256: str
    corrections: list[str]  # paragraphs, each one correction or addition
    chair: str | None
    minute_taker: str | None
    issued_on: date


def _reference(data: AddendumData) -> list[Any]:
    day = format_long_date(data.original_date, data.host_zone)
    return [
        para(
            f"Adendum ini memperbaiki dan/atau melengkapi Notulen Rapat {data.original_title} "
            f"yang dilaksanakan pada hari {day}, dengan kode verifikasi "
            f"{data.original_reference}, sebagai berikut:",
            "justify",
        ),
        Spacer(1, 1 * mm),
        para(f"SHA-256 notulen asli: {data.original_sha256}", "small"),
    ]


def _signatures(data: AddendumData) -> Any:
    """Minute-taker left, chair right, under the issue date, as on the minutes."""
    blocks = [
        signature_block(["Notulis,"], data.minute_taker or "-", MINUTE_TAKER),
        signature_block(["Pimpinan rapat,"], data.chair or "-", CHAIR),
    ]
    issued = format_date(data.issued_on, "d MMMM y", locale="id")
    return KeepTogether(
        [
            para(CLOSING, "justify"),
            Spacer(1, 8 * mm),
            para(issued, "center"),
            Spacer(1, 2 * mm),
            signature_grid(blocks),
        ]
    )


def addendum_story(data: AddendumData) -> list[Any]:
    """The flowables of the addendum, top to bottom."""
    return [
        *letterhead(data.institution, data.address, data.logo),
        para("ADENDUM NOTULEN RAPAT", "title"),
        para(data.original_title, "subtitle"),
        para(f"Nomor adendum: {data.number}", "center"),
        Spacer(1, 6 * mm),
        *_reference(data),
        Spacer(1, 3 * mm),
        numbered(data.corrections or ["-"]),
        Spacer(1, 4 * mm),
        _signatures(data),
    ]


def render_addendum(data: AddendumData, *, verify_url: str) -> RenderedDocument:
    """The PDF, its page count and the two blank signature boxes (chair, minute-taker)."""
    return build_pdf(
        addendum_story(data),
        title=f"Adendum {data.number} Notulen — {data.original_title}",
        author=data.institution,
        verify_url=verify_url,
    )
