"""The event report as a Word document (DOCX), for the secretariat to file or rework.

The same :class:`~meetcoord.eventreports.content.Document` the PDF prints, in the same
order and with the same Indonesian headings, written with python-docx (valid OOXML that
Word and LibreOffice open). The letterhead is the institution's name in capitals, its
address and logo, over a heavy rule, as on the PDF. Pure: bytes from plain values, so it
can run off the green-thread hub.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from meetcoord.eventreports.content import HEADINGS, Document

FONT = "Arial"


def _rule(paragraph: Any) -> None:
    """A heavy line under ``paragraph`` (the letterhead's rule)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "18"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _letterhead(out: Any, header: dict[str, Any]) -> None:
    logo = header.get("logo")
    if logo and Path(logo).is_file():
        out.add_picture(logo, width=Mm(20))
        out.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    name = out.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = name.add_run(header["institution"].upper())
    run.bold = True
    run.font.size = Pt(14)
    last = name
    if header.get("address"):
        last = out.add_paragraph(header["address"])
        last.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _rule(last)


def _centered(out: Any, text: str, *, bold: bool = False, size: float = 11) -> None:
    p = out.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _text(out: Any, text: str | None) -> None:
    blocks = [b.strip() for b in (text or "").split("\n\n") if b.strip()]
    for block in blocks or ["—"]:
        p = out.add_paragraph(block)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _table(out: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = out.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    out.add_paragraph()


def _figures(out: Any, title: str, rows: list[dict[str, Any]]) -> None:
    out.add_heading(title, level=3)
    total = sum(r["count"] for r in rows)
    _table(
        out, ["Uraian", "Jumlah"], [[r["label"], r["count"]] for r in rows] + [["Jumlah", total]]
    )


def _proceedings(out: Any, doc: Document, text: str) -> None:
    f = doc.facts
    _table(
        out,
        ["Keterangan", "Isi"],
        [
            ["Hari, tanggal", f["date"]],
            ["Waktu", "\n".join(f"{t['time']} ({t['date']})" for t in f["times"])],
            ["Tempat", "; ".join(v["name"] for v in f["venues"]) or "—"],
            ["Moda", "Luring dan daring" if f["online"] else "Luring"],
            ["Penyelenggara", "; ".join(f["organizers"])],
        ],
    )
    _text(out, text)
    if f["speakers"]:
        out.add_heading(HEADINGS["speakers"], level=2)
        _table(
            out,
            ["No.", "Agenda", "Narasumber"],
            [[s["position"], s["title"], s["presenter"]] for s in f["speakers"]],
        )
    if f["materials"]:
        out.add_heading(HEADINGS["materials"], level=2)
        _table(
            out,
            ["Agenda", "Narasumber", "Berkas"],
            [[m["item_title"], m["presenter"] or "—", m["filename"]] for m in f["materials"]],
        )
    a = f["attendance"]
    out.add_heading(HEADINGS["attendance"], level=2)
    out.add_paragraph(f"Hadir {a['present']} orang dari {a['invited']} undangan.")
    for key in ("by_site", "by_mode", "by_province", "by_category", "by_gender"):
        _figures(out, HEADINGS[key], a[key])


def _sessions(out: Any, doc: Document) -> None:
    f = doc.facts
    for item in f["agenda"]:
        head = f"{item['position']}. {item['title']}"
        if item["presenter"]:
            head += f" — {item['presenter']}"
        out.add_heading(head, level=2)
        _text(out, doc.sessions.get(str(item["id"])))
        asked = [q for q in f["questions"] if q["agenda_item_id"] == item["id"]]
        if asked:
            out.add_heading(HEADINGS["questions"], level=3)
            _table(
                out,
                ["Pertanyaan", "Penanya", "Jawaban"],
                [[q["text"], q["asker"], q["answer"] or "—"] for q in asked],
            )


def render(doc: Document) -> bytes:
    """The report as DOCX bytes."""
    out = new_document()
    style = out.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    for section in out.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
    out.core_properties.title = f"Laporan Kegiatan — {doc.facts['title']}"
    out.core_properties.author = doc.header["institution"]
    _letterhead(out, doc.header)
    _centered(out, "LAPORAN KEGIATAN", bold=True, size=13)
    _centered(out, doc.facts["title"], bold=True)
    _centered(out, doc.facts["date"], size=10)
    if not doc.is_final:
        _centered(out, "DRAF — belum final", bold=True, size=9)
    f = doc.facts
    for section in doc.sections:
        out.add_heading(section.heading, level=1)
        if section.key == "proceedings":
            _proceedings(out, doc, section.text)
        elif section.key == "sessions":
            _sessions(out, doc)
        elif section.key == "conclusions":
            _text(out, section.text)
            out.add_heading(HEADINGS["decisions"], level=2)
            for d in f["decisions"] or []:
                out.add_paragraph(f"{d['number']}. {d['text']} ({d['kind_label']})")
            if not f["decisions"]:
                out.add_paragraph("Tidak ada kesepakatan yang dicatat.")
        elif section.key == "recommendations":
            _text(out, section.text)
            if f["actions"]:
                out.add_heading(HEADINGS["actions"], level=2)
                _table(
                    out,
                    ["No.", "Tindak lanjut", "Penanggung jawab", "Lokus", "Tenggat"],
                    [
                        [n, a["title"], a["agency"], a["locus"] or "—", a["due_on"] or "—"]
                        for n, a in enumerate(f["actions"], 1)
                    ],
                )
        else:
            _text(out, section.text)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
