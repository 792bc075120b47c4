"""Shared building blocks of the formal Indonesian documents (reportlab platypus).

The minutes (``render``), the agreement record (``agreement_record``), the addendum
(``addendum``) and the invitation letter (``letter``) must look like one institution's
paperwork: the same fonts, tables, footer and signature areas. Keeping one copy here means
a change to the footer reaches every document at once. The letterhead, the font and the
ruled table are the whole PDF toolkit's (``core.pdf.letterhead``, ``GRID``), shared with
the attendance list, so a daftar hadir and the minutes carry one kop surat.

Every page gets "Halaman x dari y", a small QR to the verification URL and the URL in
small print (:func:`numbered_canvas`), so a printed page can be checked on its own.
Signature areas are left blank: signing (``meetcoord.documents.signing.signing``) adds visible
stamps later, so :func:`build_pdf` reports where each blank box landed (0-based page and a
PDF-space box, as ``SignerSpec``/``sign_pdf`` take them). The font is the embedded Unicode
font of the attendance list (``core.pdf.register_fonts``), so "Ama' Lede" and
"José Müller" render.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import qrcode
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from meetcoord.core.letter_numbers import ROMAN_MONTHS  # noqa: F401  (callers import it here)
from meetcoord.core.pdf import FONT, GRID, PagedCanvas, paragraph, register_fonts, text_style

SIGNATURE_SIZE = (70 * mm, 26 * mm)  # the blank area a visible stamp is placed in
QR_SIZE = 22 * mm  # see qr_image: readable from a 150 dpi scan
MARGIN = 18 * mm
CONTENT_WIDTH_MM = 174  # A4 width less both margins, in mm (column widths are in mm)


@dataclass(frozen=True)
class SignatureBox:
    """Where a signatory's stamp goes: ``page`` 0-based, ``box`` (x1, y1, x2, y2) in points."""

    role: str
    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class RenderedDocument:
    """The PDF bytes, its page count and the blank signature boxes the signing step fills."""

    pdf: bytes
    pages: int
    signature_boxes: list[SignatureBox] = field(default_factory=list)

    def box_for(self, role: str) -> SignatureBox:
        return next(b for b in self.signature_boxes if b.role == role)


RenderedMinutes = RenderedDocument  # the minutes' original name; other code imports it


def qr_payload(url: str) -> str:
    """The URL the QR carries: the verification hash in capitals.

    A QR stores capitals and digits in its alphanumeric mode (5.5 bits a character)
    instead of bytes (8 bits), so the 64-hex hash costs a third less and the code needs
    fewer, larger modules; ``/verify/<code>`` reads the hash in either case. The URL
    printed beside the QR stays as it is.
    """
    head, _, last = url.rpartition("/")
    if head and last and all(c in "0123456789abcdef" for c in last.lower()):
        return f"{head}/{last.upper()}"
    return url


def qr_image(url: str) -> Any:
    """The verification QR as a PIL image; the same image is drawn on every page.

    Drawn :data:`QR_SIZE` wide, each module is at least 0.4 mm — three pixels of a page
    printed and scanned at 150 dpi, where the issue 16 audit found the smaller code
    unreadable.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4)
    code.add_data(qr_payload(url))
    code.make(fit=True)
    return code.make_image().get_image()


class SignatureArea(Flowable):
    """A blank box of fixed size that notes where it was drawn (page and PDF coordinates).

    The canvas made by :func:`numbered_canvas` carries the list the box is recorded in, so
    an area nested in a table or a ``KeepTogether`` still reports itself.
    """

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role
        self.width, self.height = SIGNATURE_SIZE

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        page = self.canv.getPageNumber() - 1
        box = (round(x, 2), round(y, 2), round(x + self.width, 2), round(y + self.height, 2))
        found = getattr(self.canv, "signature_boxes", None)
        if found is not None:
            found.append(SignatureBox(self.role, page, box))


def numbered_canvas(url: str, qr: ImageReader, found: list[SignatureBox]) -> type[Canvas]:
    """Each page stamped with "Halaman x dari y", the QR and the verification URL.

    ``found`` is a class attribute, not instance state: ``PagedCanvas`` snapshots and
    restores the instance's ``__dict__`` per page, which must not touch the record.
    """

    class DocumentCanvas(PagedCanvas):
        # The page number sits above the URL line: a verification URL (64-hex hash) on a
        # real domain runs past the middle of the page.
        footer_y, footer_right = 15 * mm, MARGIN
        signature_boxes = found

        def stamp(self, total: int) -> None:
            self.drawImage(qr, MARGIN, 5 * mm, QR_SIZE, QR_SIZE)
            left = MARGIN + QR_SIZE + 2 * mm
            self.setFont(FONT, 6.5)
            self.drawString(
                left, 11 * mm, "Periksa keaslian dokumen: pindai kode QR atau buka alamat ini"
            )
            self.setFont(FONT, 6)
            self.drawString(left, 8.3 * mm, url)
            super().stamp(total)

    return DocumentCanvas


def style(name: str, size: float = 10, *, bold: bool = False, align: int = 0) -> ParagraphStyle:
    return text_style(name, size, bold=bold, align=align)


ST = {
    "body": style("body"),
    "justify": style("justify", align=4),
    "cell": style("cell", 8.5),
    "small": style("small", 7.5),
    "head": style("head", 8.5, bold=True, align=1),
    "title": style("title", 14, bold=True, align=1),
    "subtitle": style("subtitle", 11, bold=True, align=1),
    "section": style("section", 11, bold=True),  # kept with what follows it
    "center": style("center", 10, align=1),
    "center_bold": style("center_bold", 10, bold=True, align=1),
    "right": style("right", 10, align=2),
    "bold": style("bold", 10, bold=True),
}
ST["section"].keepWithNext = True
ST["section"].spaceAfter = 1 * mm
ST["small"].fontName = "Courier"  # hashes and codes: fixed width reads best
PLAIN = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 1),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
]


def para(text: str | None, style_name: str = "body") -> Paragraph:
    """Escaped text in one of the documents' styles; line breaks in notes are kept."""
    return paragraph(text, ST[style_name])


def grid(rows: list[list[Any]], widths: list[float], extra: list | None = None) -> Table:
    """A ruled table, header row shaded and repeated on each page; widths in mm."""
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([*GRID, *(extra or [])]))
    return table


def fields(rows: Sequence[tuple[str, Any]], label_width: float = 35) -> Table:
    """ "Label : value" lines without rules, as in a letter's Nomor/Perihal block."""
    cells = [[para(k), ":", v if isinstance(v, Flowable | list) else para(v)] for k, v in rows]
    table = Table(cells, colWidths=[label_width * mm, 4 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle(PLAIN))
    return table


def numbered(items: Sequence[Any], *, indent: float = 8, style_name: str = "justify") -> Table:
    """ "1. text" with the text hanging under itself, not under the number."""
    cells = [
        [f"{n}.", item if isinstance(item, Flowable | list) else para(item, style_name)]
        for n, item in enumerate(items, start=1)
    ]
    table = Table(cells, colWidths=[indent * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([*PLAIN, ("FONTSIZE", (0, 0), (-1, -1), 10)]))
    return table


def signature_block(
    labels: Sequence[str], name: str, role: str, *, name_style: str = "center_bold"
) -> list[Any]:
    """Label lines, the blank area for the stamp, the signatory's name under it."""
    return [
        *[para(label, "center") for label in labels],
        SignatureArea(role),
        para(name, name_style),
    ]


def signature_grid(blocks: Sequence[list[Any]]) -> Table:
    """Signature blocks (from :func:`signature_block`) two to a row; an odd last one left.

    Each pair takes two table rows, labels (bottom-aligned) over area and name, so the two
    blank areas line up even when one label wraps to more lines; ``NOSPLIT`` keeps a
    label with its area when the grid runs over a page.
    """
    rows: list[list[Any]] = []
    commands: list[Any] = [
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for i in range(0, len(blocks), 2):
        pair = [*blocks[i : i + 2], *([[]] if i + 1 == len(blocks) else [])]
        top = len(rows)
        rows.append([block[:-2] for block in pair])
        rows.append([block[-2:] for block in pair])
        commands += [
            ("VALIGN", (0, top), (-1, top), "BOTTOM"),
            ("BOTTOMPADDING", (0, top + 1), (-1, top + 1), 6 * mm),
            ("NOSPLIT", (0, top), (-1, top + 1)),
        ]
    half = CONTENT_WIDTH_MM / 2 * mm
    table = Table(rows or [["", ""]], colWidths=[half, half])
    table.setStyle(TableStyle(commands))
    return table


def build_pdf(story: list[Any], *, title: str, author: str, verify_url: str) -> RenderedDocument:
    """Lay the story out on A4 with the footer on every page; report the signature boxes."""
    register_fonts()
    found: list[SignatureBox] = []
    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=15 * mm,
        bottomMargin=30 * mm,  # room for the QR and the page number
        title=title,
        author=author,
    )
    qr = ImageReader(qr_image(verify_url))
    template.build(story, canvasmaker=numbered_canvas(verify_url, qr, found))
    return RenderedDocument(out.getvalue(), template.page, found)
