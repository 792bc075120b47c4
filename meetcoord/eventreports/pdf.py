"""The event report as PDF, in the institution's letterhead, and a series' book of them.

A formal Indonesian document (its headings are Indonesian whatever the reader's language),
drawn with the toolkit every document shares (``core.pdf``: the font, the kop surat, ruled
tables, "Halaman x dari y"). Pure: it takes the plain dictionary ``content.document`` made
and returns bytes, so handlers run it through ``core.offload.off_hub``.

The series' book ("success stories"): a cover, a table of contents with page numbers
(reportlab's two-pass build), then each final report from a new page in its own letterhead.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from meetcoord.core.pdf import GRID, PagedCanvas, letterhead, paragraph, register_fonts, text_style
from meetcoord.eventreports.content import HEADINGS, Document, Section

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


def _styles() -> dict[str, Any]:
    return {
        "title": text_style("er-title", 13, bold=True, align=1),
        "subtitle": text_style("er-subtitle", 11, bold=True, align=1),
        "heading": text_style("er-heading", 11, bold=True),
        "subheading": text_style("er-subheading", 10, bold=True),
        "body": text_style("er-body", 10, align=4, leading=1.45),
        "cell": text_style("er-cell", 8.5),
        "muted": text_style("er-muted", 9),
        "cover": text_style("er-cover", 20, bold=True, align=1),
        "cover-sub": text_style("er-cover-sub", 13, align=1),
        "toc-entry": text_style("er-toc-entry", 11, bold=True, align=1),
    }


def _table(header: list[str], rows: list[list[Any]], widths: list[float], st: dict) -> Table:
    body = [[paragraph(str(c), st["cell"]) for c in header]]
    body += [[paragraph("" if c is None else str(c), st["cell"]) for c in row] for row in rows]
    table = Table(body, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle(GRID))
    return table


def _text(text: str | None, st: dict, empty: str = "—") -> list[Flowable]:
    """Paragraphs of a section's text, a blank line starting a new one."""
    blocks = [b for b in (text or "").split("\n\n") if b.strip()]
    if not blocks:
        return [paragraph(empty, st["muted"])]
    return [item for b in blocks for item in (paragraph(b.strip(), st["body"]), Spacer(1, 2 * mm))]


def _figures(title: str, rows: list[dict[str, Any]], st: dict) -> list[Flowable]:
    total = sum(r["count"] for r in rows)
    body = [[r["label"], r["count"]] for r in rows] + [["Jumlah", total]]
    return [
        paragraph(title, st["subheading"]),
        Spacer(1, 1 * mm),
        _table(["Uraian", "Jumlah"], body, [WIDTH * 0.7, WIDTH * 0.3], st),
        Spacer(1, 3 * mm),
    ]


def _section(section: Section, doc: Document, st: dict) -> list[Flowable]:
    """One numbered section: its heading, its written text, the facts that belong to it."""
    f = doc.facts
    out: list[Flowable] = [Spacer(1, 3 * mm), paragraph(section.heading, st["heading"])]
    out.append(Spacer(1, 1.5 * mm))
    if section.key == "proceedings":
        rows = [
            ["Hari, tanggal", f["date"]],
            ["Waktu", "\n".join(f"{t['time']} ({t['date']})" for t in f["times"])],
            ["Tempat", "; ".join(v["name"] for v in f["venues"]) or "—"],
            ["Moda", "Luring dan daring" if f["online"] else "Luring"],
            ["Penyelenggara", "; ".join(f["organizers"])],
        ]
        out += [_table(["Keterangan", "Isi"], rows, [WIDTH * 0.25, WIDTH * 0.75], st)]
        out += [Spacer(1, 3 * mm), *_text(section.text, st)]
        if f["speakers"]:
            out += [paragraph(HEADINGS["speakers"], st["subheading"]), Spacer(1, 1 * mm)]
            out.append(
                _table(
                    ["No.", "Agenda", "Narasumber"],
                    [[s["position"], s["title"], s["presenter"]] for s in f["speakers"]],
                    [WIDTH * 0.08, WIDTH * 0.52, WIDTH * 0.4],
                    st,
                )
            )
            out.append(Spacer(1, 3 * mm))
        if f["materials"]:
            out += [paragraph(HEADINGS["materials"], st["subheading"]), Spacer(1, 1 * mm)]
            out.append(
                _table(
                    ["Agenda", "Narasumber", "Berkas"],
                    [
                        [m["item_title"], m["presenter"] or "—", m["filename"]]
                        for m in f["materials"]
                    ],
                    [WIDTH * 0.4, WIDTH * 0.3, WIDTH * 0.3],
                    st,
                )
            )
            out.append(Spacer(1, 3 * mm))
        a = f["attendance"]
        out.append(paragraph(HEADINGS["attendance"], st["subheading"]))
        out.append(
            paragraph(f"Hadir {a['present']} orang dari {a['invited']} undangan.", st["body"])
        )
        out.append(Spacer(1, 2 * mm))
        for key in ("by_site", "by_mode", "by_province", "by_category", "by_gender"):
            out += _figures(HEADINGS[key], a[key], st)
    elif section.key == "sessions":
        if not f["agenda"]:
            out.append(paragraph("Rapat ini tidak memiliki agenda.", st["muted"]))
        for item in f["agenda"]:
            head = f"{item['position']}. {item['title']}"
            if item["presenter"]:
                head += f" — {item['presenter']}"
            out += [paragraph(head, st["subheading"]), Spacer(1, 1 * mm)]
            out += _text(doc.sessions.get(str(item["id"])), st)
            asked = [q for q in f["questions"] if q["agenda_item_id"] == item["id"]]
            if asked:
                out.append(paragraph(HEADINGS["questions"], st["subheading"]))
                out.append(
                    _table(
                        ["Pertanyaan", "Penanya", "Jawaban"],
                        [[q["text"], q["asker"], q["answer"] or "—"] for q in asked],
                        [WIDTH * 0.4, WIDTH * 0.2, WIDTH * 0.4],
                        st,
                    )
                )
                out.append(Spacer(1, 3 * mm))
    elif section.key == "conclusions":
        out += _text(section.text, st)
        out.append(paragraph(HEADINGS["decisions"], st["subheading"]))
        if f["decisions"]:
            for d in f["decisions"]:
                out.append(paragraph(f"{d['number']}. {d['text']} ({d['kind_label']})", st["body"]))
        else:
            out.append(paragraph("Tidak ada kesepakatan yang dicatat.", st["muted"]))
    elif section.key == "recommendations":
        out += _text(section.text, st)
        if f["actions"]:
            out += [paragraph(HEADINGS["actions"], st["subheading"]), Spacer(1, 1 * mm)]
            out.append(
                _table(
                    ["No.", "Tindak lanjut", "Penanggung jawab", "Lokus", "Tenggat"],
                    [
                        [n, a["title"], a["agency"], a["locus"] or "—", a["due_on"] or "—"]
                        for n, a in enumerate(f["actions"], 1)
                    ],
                    [WIDTH * 0.06, WIDTH * 0.36, WIDTH * 0.24, WIDTH * 0.17, WIDTH * 0.17],
                    st,
                )
            )
    else:
        out += _text(section.text, st)
    return out


def report_story(doc: Document, st: dict, *, bookmark: bool = False) -> list[Flowable]:
    """The flowables of one report, from its letterhead to its last section."""
    title = paragraph(doc.facts["title"], st["toc-entry"] if bookmark else st["subtitle"])
    story: list[Flowable] = [
        *letterhead(doc.header["institution"], doc.header.get("address"), doc.header.get("logo")),
        paragraph("LAPORAN KEGIATAN", st["title"]),
        Spacer(1, 1.5 * mm),
        title,
        Spacer(1, 1 * mm),
        paragraph(doc.facts["date"], text_style("er-date", 10, align=1)),
    ]
    if not doc.is_final:
        story.append(paragraph("DRAF — belum final", text_style("er-draft", 9, bold=True, align=1)))
    for section in doc.sections:
        story += _section(section, doc, st)
    return story


def _document(out: io.BytesIO, title: str, author: str) -> BaseDocTemplate:
    return SimpleBook(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=author,
    )


class SimpleBook(BaseDocTemplate):
    """One frame per page; titles styled ``er-toc-entry`` become table-of-contents entries."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def afterFlowable(self, flowable: Flowable) -> None:  # reportlab's name
        if isinstance(flowable, Paragraph) and flowable.style.name == "er-toc-entry":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def render(doc: Document) -> bytes:
    """One report as PDF bytes."""
    register_fonts()
    st = _styles()
    out = io.BytesIO()
    book = _document(out, f"Laporan Kegiatan — {doc.facts['title']}", doc.header["institution"])
    book.build(report_story(doc, st), canvasmaker=PagedCanvas)
    return out.getvalue()


def render_series(title: str, header: dict[str, Any], docs: list[Document]) -> bytes:
    """A series' final reports as one book: cover, table of contents, each report."""
    register_fonts()
    st = _styles()
    toc = TableOfContents()
    toc.levelStyles = [text_style("er-toc-level", 10.5)]
    story: list[Flowable] = [
        *letterhead(header["institution"], header.get("address"), header.get("logo")),
        Spacer(1, 50 * mm),
        paragraph("BUKU SUCCESS STORIES", st["cover"]),
        Spacer(1, 6 * mm),
        paragraph("Kumpulan Laporan Kegiatan", st["cover-sub"]),
        Spacer(1, 3 * mm),
        paragraph(title, st["cover-sub"]),
        Spacer(1, 20 * mm),
        paragraph(header["institution"], st["cover-sub"]),
        PageBreak(),
        paragraph("DAFTAR ISI", st["title"]),
        Spacer(1, 5 * mm),
        toc,
    ]
    if not docs:
        story.append(paragraph("Belum ada laporan kegiatan yang final.", st["muted"]))
    for doc in docs:
        story += [PageBreak(), *report_story(doc, st, bookmark=True)]
    out = io.BytesIO()
    book = _document(out, f"Buku Success Stories — {title}", header["institution"])
    book.multiBuild(story, canvasmaker=PagedCanvas)
    return out.getvalue()
