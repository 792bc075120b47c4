"""The minutes (notulen) as a PDF in the formal Indonesian layout (reportlab platypus).

Layout, top to bottom: letterhead (institution, address, rule line), "NOTULEN RAPAT", the
meeting block (hari/tanggal, waktu per site with zone, tempat, pimpinan rapat, notulis,
peserta), attendance summary, agenda, discussion notes per item, decisions (kesepakatan)
with tallies, the follow-up table (RTL), the signature blocks and, as an appendix, the
attendance list. Every page carries "Halaman x dari y" and a small QR to the verification
URL with the URL in small print, so a printed page can be checked on its own.

The signature blocks are left blank: signing (``meetcoord.documents.signing.signing``) adds visible
stamps later, so the renderer reports where the blank boxes landed (0-based page and a
PDF-space box, as ``SignerSpec`` takes them). The font is the same embedded Unicode font
as the attendance list (``core.pdf.register_fonts``), so "Ama' Lede" and "José"
render. Labels are plain Indonesian: the minutes are a formal Indonesian document.

The footer, styles and signature areas live in ``documents.pdf.layout``, shared with the
agreement record, the addendum and the invitation letter; the letterhead is the whole PDF
toolkit's (``core.pdf.letterhead``), the attendance list's too.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from meetcoord.core.pdf import FONT, FONT_BOLD, letterhead
from meetcoord.core.places import join_place
from meetcoord.documents.pdf.compose import DecisionLine, MinutesDocument
from meetcoord.documents.pdf.layout import (
    SIGNATURE_SIZE,
    RenderedDocument,
    RenderedMinutes,
    SignatureBox,
    build_pdf,
    qr_image,
    signature_block,
)
from meetcoord.documents.pdf.layout import grid as _grid
from meetcoord.documents.pdf.layout import para as _p
from meetcoord.documents.pdf.matrix import matrix_appendix, matrix_section

__all__ = [
    "CHAIR",
    "MINUTE_TAKER",
    "SIGNATURE_SIZE",
    "RenderedDocument",
    "RenderedMinutes",
    "SignatureBox",
    "qr_image",
    "render_minutes",
    "render_minutes_pdf",
]

CHAIR = "chair"
MINUTE_TAKER = "minute_taker"
GENDER_HEAD = {"male": "L", "female": "P", "unknown": "?"}


def _meeting_block(doc: MinutesDocument) -> list[Any]:
    times = "\n".join(f"{s.time} ({s.name})" for s in doc.sites) or "-"
    places = "\n".join(join_place(s.name, s.address) for s in doc.sites)
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
    # "Jumlah" in bold needs 16 mm with the cell's padding: narrower, it broke mid-word.
    each = (174 - 40 - 3 * 10 - 16) / max(len(cats), 1)  # site, categories, L, P, ?, Jumlah
    extra = [("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD)]
    table = _grid(rows, [40, *[each] * len(cats), 10, 10, 10, 16], extra)
    return [Spacer(1, 4 * mm), _p("Rekapitulasi kehadiran", "section"), table]


def material_line(material: Any) -> str:
    """ "paparan.pptx (PPTX, 1,2 MB)": a material as the minutes list it."""
    size = material.size
    if size >= 1024 * 1024:
        shown = f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    else:
        shown = f"{max(1, round(size / 1024))} KB"
    kind = "JPEG" if material.kind == "jpg" else material.kind.upper()
    return f"{material.filename} ({kind}, {shown})"


def _agenda(doc: MinutesDocument) -> list[Any]:
    if not doc.agenda:
        return []
    out: list[Any] = [Spacer(1, 4 * mm), _p("Agenda", "section")]
    for item in doc.agenda:
        by = f" — {item.presenter}" if item.presenter else ""
        out.append(_p(f"{item.number}. {item.title}{by}"))
        if item.materials:
            out.append(
                _p("Bahan paparan: " + "; ".join(material_line(m) for m in item.materials), "cell")
            )
    out += [Spacer(1, 4 * mm), _p("Pembahasan", "section")]
    for item in doc.agenda:
        out.append(Spacer(1, 1.5 * mm))
        out.append(_p(f"{item.number}. {item.title}", "section"))
        out.append(_p(item.notes or "Tidak ada catatan."))
        out += _questions(item.questions)
    return out


def _questions(questions: list[Any]) -> list[Any]:
    """The questions answered on an item (issue 15): who asked, support, the answer."""
    if not questions:
        return []
    out: list[Any] = [Spacer(1, 1 * mm), _p("Tanya jawab:", "cell")]
    for n, q in enumerate(questions, start=1):
        votes = f", {q.votes} dukungan" if q.votes else ""
        out.append(_p(f"{n}. {q.text} ({q.asker}{votes})"))
        if q.answer:
            out.append(_p(f"Jawaban: {q.answer}", "cell"))
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
            [
                str(a.number),
                _p(a.title, "cell"),
                _p(a.agency, "cell"),
                _p(a.locus, "cell"),
                _p(a.due, "cell"),
            ]
        )
    if not doc.actions:
        rows.append(["", _p("Tidak ada rencana tindak lanjut.", "cell"), "", "", ""])
    # "30 September 2026" fits the Tenggat column on one line (it ran over a 24 mm one).
    table = _grid(rows, [9, 51, 48, 32, 34], [("ALIGN", (0, 1), (0, -1), "CENTER")])
    return [Spacer(1, 4 * mm), _p("Rencana tindak lanjut", "section"), table]


def _review(doc: MinutesDocument) -> list[Any]:
    """The earlier meetings' actions reviewed in this one (carry-over), when there were."""
    if not doc.review:
        return []
    head = ["No", "Tindak lanjut", "Penanggung jawab (OPD)", "Tenggat", "Status", "Catatan"]
    rows: list[list[Any]] = [[_p(h, "head") for h in head]]
    for r in doc.review:
        rows.append(
            [
                str(r.number),
                _p(r.title, "cell"),
                _p(r.agency, "cell"),
                _p(r.due, "cell"),
                _p(r.status, "cell"),
                _p(r.note, "cell"),
            ]
        )
    table = _grid(rows, [9, 44, 32, 34, 27, 28], [("ALIGN", (0, 1), (0, -1), "CENTER")])
    return [Spacer(1, 4 * mm), _p("Tinjauan tindak lanjut rapat sebelumnya", "section"), table]


def _withdrawn(doc: MinutesDocument) -> list[Any]:
    """What the chair or the minute-taker withdrew, with why: on record, not in force."""
    if not doc.withdrawn:
        return []
    out: list[Any] = [
        Spacer(1, 4 * mm),
        _p("Kesepakatan dan tindak lanjut yang dicabut", "section"),
    ]
    for w in doc.withdrawn:
        part: list[Any] = [Spacer(1, 1.5 * mm), _p(w.heading, "cell"), _p(w.text)]
        part.append(_p(f"Alasan: {w.reason}", "cell"))
        out.append(KeepTogether(part))
    return out


def _signatures(doc: MinutesDocument) -> Any:
    """Chair on the right, minute-taker on the left, as on printed minutes."""
    table = Table(
        [
            [
                signature_block(["Notulis,"], doc.minute_taker, MINUTE_TAKER, name_style="center"),
                signature_block(["Pimpinan rapat,"], doc.chair, CHAIR, name_style="center"),
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
                _p(a.time_in, "cell"),
            ]
        )
    if not doc.attendees:
        rows.append(["", _p("Belum ada peserta yang tercatat hadir.", "cell"), "", "", "", "", ""])
    # "09.05 WITA" needs 22 mm with the padding: the 19 mm column let it run over the rule.
    table = _grid(rows, [9, 38, 42, 28, 10, 24, 23], [("ALIGN", (0, 1), (0, -1), "CENTER")])
    return [
        PageBreak(),
        _p("Lampiran: Daftar hadir", "title"),
        _p(doc.title, "subtitle"),
        Spacer(1, 4 * mm),
        table,
    ]


def minutes_story(doc: MinutesDocument) -> list[Any]:
    """The flowables, top to bottom (the tests measure their table cells)."""
    return [
        *letterhead(doc.institution, doc.address, doc.logo),
        *_meeting_block(doc),
        *_attendance_summary(doc),
        *_agenda(doc),
        *_review(doc),
        *_decisions(doc),
        *matrix_section(doc.matrix),
        *_actions(doc),
        *_withdrawn(doc),
        _signatures(doc),
        *_appendix(doc),
        *matrix_appendix(doc.matrix, doc.title),
    ]


def render_minutes(doc: MinutesDocument, *, verify_url: str) -> RenderedMinutes:
    """The PDF, its page count and where the blank signature boxes are."""
    return build_pdf(
        minutes_story(doc),
        title=f"Notulen — {doc.title}",
        author=doc.institution,
        verify_url=verify_url,
    )


def render_minutes_pdf(doc: MinutesDocument, *, verify_url: str) -> bytes:
    """Just the bytes; ``render_minutes`` also tells the signing step where to stamp."""
    return render_minutes(doc, verify_url=verify_url).pdf
