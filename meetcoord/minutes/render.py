"""The minutes (notulen) as a PDF in the formal Indonesian layout (reportlab platypus).

Layout, top to bottom: letterhead (institution, address, rule line), "NOTULEN RAPAT", the
meeting block (hari/tanggal, waktu per site with zone, tempat, pimpinan rapat, notulis,
peserta), attendance summary, agenda, discussion notes per item, decisions (kesepakatan)
with tallies, the follow-up table (RTL), the signature blocks and, as an appendix, the
attendance list. Every page carries "Halaman x dari y" and a small QR to the verification
URL with the URL in small print, so a printed page can be checked on its own.

The signature blocks are left blank: signing (``meetcoord.minutes.signing``) adds visible
stamps later, so the renderer reports where the blank boxes landed (0-based page and a
PDF-space box, as ``SignerSpec`` takes them). The font is the same embedded Unicode font
as the attendance list (``checkin.exports.register_fonts``), so "Ama' Lede" and "José"
render. Labels are plain Indonesian: the minutes are a formal Indonesian document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import qrcode
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from meetcoord.checkin.exports import FONT, FONT_BOLD, PagedCanvas, register_fonts
from meetcoord.minutes.compose import DecisionLine, MinutesDocument

CHAIR = "chair"
MINUTE_TAKER = "minute_taker"
SIGNATURE_SIZE = (70 * mm, 26 * mm)  # the blank area a visible stamp is placed in
QR_SIZE = 16 * mm
MARGIN = 18 * mm
GENDER_HEAD = {"male": "L", "female": "P", "unknown": "?"}


@dataclass(frozen=True)
class SignatureBox:
    """Where a signatory's stamp goes: ``page`` 0-based, ``box`` (x1, y1, x2, y2) in points."""

    role: str
    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class RenderedMinutes:
    pdf: bytes
    pages: int
    signature_boxes: list[SignatureBox] = field(default_factory=list)

    def box_for(self, role: str) -> SignatureBox:
        return next(b for b in self.signature_boxes if b.role == role)


def qr_image(url: str) -> Any:
    """The verification QR as a PIL image; the same image is drawn on every page."""
    return qrcode.make(
        url, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4
    ).get_image()


class _SignatureArea(Flowable):
    """A blank box of fixed size that notes where it was drawn (page and PDF coordinates)."""

    def __init__(self, role: str, found: list[SignatureBox]) -> None:
        super().__init__()
        self.role = role
        self.found = found
        self.width, self.height = SIGNATURE_SIZE

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        page = self.canv.getPageNumber() - 1
        box = (round(x, 2), round(y, 2), round(x + self.width, 2), round(y + self.height, 2))
        self.found.append(SignatureBox(self.role, page, box))


def _numbered_canvas(url: str, qr: ImageReader) -> type[Canvas]:
    """Each page stamped with "Halaman x dari y", the QR and the verification URL."""

    class MinutesCanvas(PagedCanvas):
        footer_y, footer_right = 9 * mm, MARGIN

        def stamp(self, total: int) -> None:
            self.drawImage(qr, MARGIN, 6 * mm, QR_SIZE, QR_SIZE)
            self.setFont(FONT, 6.5)
            self.drawString(MARGIN + QR_SIZE + 2 * mm, 9 * mm, f"Verifikasi: {url}")
            super().stamp(total)

    return MinutesCanvas


def _style(name: str, size: float = 10, *, bold: bool = False, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=size * 1.3,
        alignment=align,
    )


ST = {
    "body": _style("body"),
    "cell": _style("cell", 8.5),
    "head": _style("head", 8.5, bold=True, align=1),
    "institution": _style("institution", 14, bold=True, align=1),
    "address": _style("address", 9, align=1),
    "title": _style("title", 14, bold=True, align=1),
    "subtitle": _style("subtitle", 11, bold=True, align=1),
    "section": _style("section", 11, bold=True),  # kept with what follows it
    "center": _style("center", 10, align=1),
}
ST["section"].keepWithNext = True
ST["section"].spaceAfter = 1 * mm
GRID = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


def _p(text: str | None, style: str = "body") -> Paragraph:
    """Escaped text; line breaks in notes are kept."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), ST[style])


def _grid(rows: list[list[Any]], widths: list[float], extra: list | None = None) -> Table:
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([*GRID, *(extra or [])]))
    return table


def _letterhead(doc: MinutesDocument) -> list[Any]:
    lines: list[Any] = [_p(doc.institution.upper(), "institution")]
    if doc.address:
        lines.append(_p(doc.address, "address"))
    block: list[Any] = lines
    if doc.logo and Path(doc.logo).is_file():  # a missing logo must not stop the minutes
        head = Table(
            [[Image(doc.logo, width=20 * mm, height=20 * mm), lines]], colWidths=[24 * mm, None]
        )
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        block = [head]
    rule = Table([[""]], colWidths=["100%"], rowHeights=[1.5 * mm])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 2, colors.black)]))
    return [*block, rule, Spacer(1, 5 * mm)]


def _meeting_block(doc: MinutesDocument) -> list[Any]:
    times = "\n".join(f"{s.time} ({s.name})" for s in doc.sites) or "-"
    places = "\n".join(f"{s.name}, {s.address}" if s.address else s.name for s in doc.sites)
    rows = [
        ("Hari/tanggal", doc.day),
        ("Waktu", times),
        ("Tempat/lokasi", places or "-"),
        ("Jenis rapat", doc.kind_label),
        ("Pimpinan rapat", doc.chair),
        ("Notulis", doc.minute_taker),
        ("Peserta", doc.participants),
    ]
    table = Table(
        [[_p(k), ":", _p(v)] for k, v in rows], colWidths=[35 * mm, 4 * mm, None], hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    out: list[Any] = [
        _p(doc.heading, "title"),
        _p(doc.title, "subtitle"),
        Spacer(1, 5 * mm),
        table,
    ]
    if doc.purpose:
        out += [Spacer(1, 2 * mm), _p("Maksud dan tujuan:", "section"), _p(doc.purpose)]
    return out


def _attendance_summary(doc: MinutesDocument) -> list[Any]:
    if not doc.attendance:
        return []
    cats = doc.categories
    head = ["Lokasi", *cats, "L", "P", "?", "Jumlah"]
    rows: list[list[Any]] = [[_p(h, "head") for h in head]]
    for a in doc.attendance:
        rows.append(
            [
                _p(a.site, "cell"),
                *[str(a.by_category.get(c, 0)) for c in cats],
                *[str(a.by_gender.get(g, 0)) for g in GENDER_HEAD],
                str(a.total),
            ]
        )
    t = doc.totals
    rows.append(
        [
            _p("Jumlah", "head"),
            *[str(t.by_category.get(c, 0)) for c in cats],
            *[str(t.by_gender.get(g, 0)) for g in GENDER_HEAD],
            str(t.total),
        ]
    )
    each = (174 - 40 - 4 * 12) / max(len(cats), 1)  # site, categories, L, P, ?, Jumlah
    extra = [("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD)]
    table = _grid(rows, [40, *[each] * len(cats), 12, 12, 12, 12], extra)
    return [Spacer(1, 4 * mm), _p("Rekapitulasi kehadiran", "section"), table]


def _agenda(doc: MinutesDocument) -> list[Any]:
    if not doc.agenda:
        return []
    out: list[Any] = [Spacer(1, 4 * mm), _p("Agenda", "section")]
    for item in doc.agenda:
        by = f" — {item.presenter}" if item.presenter else ""
        out.append(_p(f"{item.number}. {item.title}{by}"))
    out += [Spacer(1, 4 * mm), _p("Pembahasan", "section")]
    for item in doc.agenda:
        out.append(Spacer(1, 1.5 * mm))
        out.append(_p(f"{item.number}. {item.title}", "section"))
        out.append(_p(item.notes or "Tidak ada catatan."))
    return out


def _tally_table(d: DecisionLine) -> Table:
    rows: list[list[Any]] = [[_p(h, "head") for h in ("Lokasi", "Setuju", "Tidak", "Abstain")]]
    for t in [*d.tallies, *([d.total] if d.total else [])]:
        rows.append(
            [_p(t.site, "cell"), str(t.votes_for), str(t.votes_against), str(t.abstentions)]
        )
    extra = [("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD)]
    return _grid(rows, [70, 22, 22, 22], extra)


def _decisions(doc: MinutesDocument) -> list[Any]:
    if not doc.decisions:
        return []
    out: list[Any] = [Spacer(1, 4 * mm), _p("Kesepakatan", "section")]
    for d in doc.decisions:
        under = f" (agenda: {d.agenda_title})" if d.agenda_title else ""
        part: list[Any] = [Spacer(1, 1.5 * mm), _p(f"{d.number}. {d.text}")]
        part.append(_p(f"Sifat: {d.kind_label}{under}", "cell"))
        if d.tallies:
            part += [Spacer(1, 1 * mm), _tally_table(d)]
        out.append(KeepTogether(part))
    return out


def _actions(doc: MinutesDocument) -> list[Any]:
    head = ["No", "Rencana tindak lanjut", "Penanggung jawab (OPD)", "Lokus", "Tenggat"]
    rows: list[list[Any]] = [[_p(h, "head") for h in head]]
    for a in doc.actions:
        rows.append(
            [str(a.number), _p(a.title, "cell"), _p(a.agency, "cell"), _p(a.locus, "cell"), a.due]
        )
    if not doc.actions:
        rows.append(["", _p("Tidak ada rencana tindak lanjut.", "cell"), "", "", ""])
    table = _grid(rows, [10, 62, 48, 30, 24], [("ALIGN", (0, 1), (0, -1), "CENTER")])
    return [Spacer(1, 4 * mm), _p("Rencana tindak lanjut", "section"), table]


def _signatures(doc: MinutesDocument, found: list[SignatureBox]) -> Any:
    """Chair on the right, minute-taker on the left, as on printed minutes."""

    def block(label: str, name: str, role: str) -> list[Any]:
        return [_p(label, "center"), _SignatureArea(role, found), _p(name, "center")]

    table = Table(
        [
            [
                block("Notulis,", doc.minute_taker, MINUTE_TAKER),
                block("Pimpinan rapat,", doc.chair, CHAIR),
            ]
        ],
        colWidths=[87 * mm, 87 * mm],
    )
    table.setStyle(
        TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return KeepTogether([Spacer(1, 8 * mm), _p(doc.day, "center"), Spacer(1, 2 * mm), table])


def _appendix(doc: MinutesDocument) -> list[Any]:
    head = ["No", "Nama", "Instansi / jabatan", "Lokasi", "L/P", "Kategori", "Jam hadir"]
    rows: list[list[Any]] = [[_p(h, "head") for h in head]]
    for n, a in enumerate(doc.attendees, start=1):
        name = [_p(a.name, "cell")] + ([_p(a.stand_in, "cell")] if a.stand_in else [])
        org = ", ".join(x for x in (a.organization, a.position) if x)
        rows.append(
            [
                str(n),
                name,
                _p(org, "cell"),
                _p(a.site, "cell"),
                a.gender_short,
                _p(a.category, "cell"),
                a.time_in,
            ]
        )
    if not doc.attendees:
        rows.append(["", _p("Belum ada peserta yang tercatat hadir.", "cell"), "", "", "", "", ""])
    table = _grid(rows, [9, 40, 45, 30, 9, 22, 19], [("ALIGN", (0, 1), (0, -1), "CENTER")])
    return [
        PageBreak(),
        _p("Lampiran: Daftar hadir", "title"),
        _p(doc.title, "subtitle"),
        Spacer(1, 4 * mm),
        table,
    ]


def render_minutes(doc: MinutesDocument, *, verify_url: str) -> RenderedMinutes:
    """The PDF, its page count and where the blank signature boxes are."""
    register_fonts()
    found: list[SignatureBox] = []
    story: list[Any] = [
        *_letterhead(doc),
        *_meeting_block(doc),
        *_attendance_summary(doc),
        *_agenda(doc),
        *_decisions(doc),
        *_actions(doc),
        _signatures(doc, found),
        *_appendix(doc),
    ]
    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=15 * mm,
        bottomMargin=26 * mm,  # room for the QR and the page number
        title=f"Notulen — {doc.title}",
        author=doc.institution,
    )
    qr = ImageReader(qr_image(verify_url))
    template.build(story, canvasmaker=_numbered_canvas(verify_url, qr))
    pages = template.page
    return RenderedMinutes(out.getvalue(), pages, found)


def render_minutes_pdf(doc: MinutesDocument, *, verify_url: str) -> bytes:
    """Just the bytes; ``render_minutes`` also tells the signing step where to stamp."""
    return render_minutes(doc, verify_url=verify_url).pdf
