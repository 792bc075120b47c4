"""The PDF toolkit every document shares: the embedded Unicode font and a paged canvas.

Font: a Unicode TrueType font is embedded so accented names and apostrophes render
("Théo Rumbekwan", "Ni Luh Putu Ayu D'Souza"). DejaVu Sans is used when the system has it
(Debian's ``fonts-dejavu-core``, present on the servers and in CI); otherwise Bitstream
Vera, which ships inside the reportlab wheel itself (DejaVu is derived from it; it covers
Latin-1 and typographic quotes), so a PDF can always be produced without extra packages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

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
