"""The PDF toolkit every document shares: the font, the letterhead, ruled tables, a paged canvas.

Letterhead: the attendance list (``checkin.list_pdf``, landscape) and the formal documents
(``documents.pdf``, portrait) are one institution's paperwork, so they open with the same
kop surat drawn by one function (:func:`letterhead`), at the same sizes whatever the page.

Font: a Unicode TrueType font is embedded so accented names and apostrophes render
("Théo Rumbekwan", "Ni Luh Putu Ayu D'Souza"). DejaVu Sans is used when the system has it
(Debian's ``fonts-dejavu-core``, present on the servers and in CI); otherwise Bitstream
Vera, which ships inside the reportlab wheel itself (DejaVu is derived from it; it covers
Latin-1 and typographic quotes), so a PDF can always be produced without extra packages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, Spacer, Table, TableStyle

FONT = "MeetcoordSans"
FONT_BOLD = "MeetcoordSans-Bold"
_FONT_CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
]


def register_fonts() -> None:
    """Embed the Unicode font once per process; the minutes and other PDFs reuse it."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = next(
        ((r, b) for r, b in _FONT_CANDIDATES if r.is_file() and b.is_file()),
        (None, None),
    )
    if regular is None or bold is None:  # reportlab's own Bitstream Vera
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
    else:
        pdfmetrics.registerFont(TTFont(FONT, str(regular)))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def text_style(
    name: str, size: float, *, bold: bool = False, align: int = 0, leading: float = 1.3
) -> ParagraphStyle:
    """A paragraph style in the embedded font; ``leading`` is a multiple of the size."""
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=size * leading,
        alignment=align,
    )


def paragraph(text: str | None, style: ParagraphStyle) -> Paragraph:
    """Escaped text (a name may hold ``<`` or ``&``); line breaks in notes are kept.

    The font is registered here because a paragraph resolves its font when it is made,
    before the document is built.
    """
    register_fonts()
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


# A ruled table with its header row shaded: the attendance list's and the documents'.
GRID = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]

# --- the letterhead (kop surat) ------------------------------------------------------------

LETTERHEAD_NAME_SIZE = 14.0  # the institution's name, bold capitals
LETTERHEAD_ADDRESS_SIZE = 9.0
LETTERHEAD_LOGO = 20 * mm  # the logo's side, left of the name
LETTERHEAD_RULE = 2.0  # points: the heavy rule under it
LETTERHEAD_STYLES = {
    "institution": text_style("letterhead-institution", LETTERHEAD_NAME_SIZE, bold=True, align=1),
    "address": text_style("letterhead-address", LETTERHEAD_ADDRESS_SIZE, align=1),
}


def letterhead(institution: str, address: str | None = None, logo: str | None = None) -> list[Any]:
    """The institution's name in capitals, its address, its logo, a heavy rule: flowables.

    Every PDF an institution issues opens with this, at these sizes on a portrait letter
    and a landscape list alike, so a daftar hadir and the minutes it is attached to read
    as one office's paperwork. A logo file that is missing is left out: it must not stop
    a document.
    """
    lines: list[Any] = [paragraph(institution.upper(), LETTERHEAD_STYLES["institution"])]
    if address:
        lines.append(paragraph(address, LETTERHEAD_STYLES["address"]))
    block: list[Flowable] = lines
    if logo and Path(logo).is_file():
        head = Table(
            [[Image(logo, width=LETTERHEAD_LOGO, height=LETTERHEAD_LOGO), lines]],
            colWidths=[LETTERHEAD_LOGO + 4 * mm, None],
        )
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        block = [head]
    rule = Table([[""]], colWidths=["100%"], rowHeights=[1.5 * mm])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), LETTERHEAD_RULE, colors.black)]))
    return [*block, rule, Spacer(1, 5 * mm)]


# --- pages ----------------------------------------------------------------------------------


class PagedCanvas(Canvas):
    """Holds the pages back until their count is known, then stamps each (:meth:`stamp`):
    reportlab draws a page before it knows how many follow, and "Halaman x dari y" needs
    both. Documents that stamp more (the minutes' QR) override :meth:`stamp`."""

    footer_y = 8 * mm
    footer_right = 15 * mm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self.stamp(total)
            super().showPage()
        super().save()

    def stamp(self, total: int) -> None:
        width, _height = self._pagesize
        self.setFont(FONT, 8)
        self.drawRightString(
            width - self.footer_right, self.footer_y, f"Halaman {self._pageNumber} dari {total}"
        )
