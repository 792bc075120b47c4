"""What the PDF and the DOCX print: one plain value made from a report, read by both.

The renderers run off the green-thread hub (``core.offload``) and must not touch the
database session, so the report is read here first into :class:`Document` — its facts
snapshot, its sections in printed order with their Indonesian headings, the letterhead.
The headings are the document's, not the page's: a formal Indonesian report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from meetcoord.eventreports.models import SECTIONS, EventReport

# Numbered section headings, in printed order (Roman numerals as Indonesian reports do).
SECTION_HEADINGS: dict[str, str] = {
    "background": "I. PENDAHULUAN",
    "purpose": "II. MAKSUD DAN TUJUAN",
    "proceedings": "III. PELAKSANAAN KEGIATAN",
    "sessions": "IV. RINGKASAN PER SESI",
    "conclusions": "V. HASIL DAN KESIMPULAN",
    "recommendations": "VI. REKOMENDASI DAN RENCANA TINDAK LANJUT",
    "closing": "VII. PENUTUP",
}
HEADINGS: dict[str, str] = {
    "speakers": "Narasumber",
    "materials": "Bahan paparan",
    "attendance": "Peserta",
    "by_site": "Kehadiran per lokasi",
    "by_mode": "Kehadiran per moda",
    "by_province": "Kehadiran per provinsi",
    "by_category": "Kehadiran per kategori pemangku kepentingan",
    "by_gender": "Kehadiran per jenis kelamin",
    "questions": "Tanya jawab",
    "decisions": "Kesepakatan",
    "actions": "Rencana tindak lanjut",
}


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    text: str


@dataclass(frozen=True)
class Document:
    facts: dict[str, Any]
    sections: list[Section]
    sessions: dict[str, str]
    header: dict[str, Any]
    is_final: bool
    extra: dict[str, Any] = field(default_factory=dict)


def document(report: EventReport, header: dict[str, Any]) -> Document:
    """``report`` as plain values; ``header``: the letterhead (``Letterhead.header()``)."""
    stored = report.sections or {}
    facts = dict(report.facts or {})
    sections = [
        Section(key, SECTION_HEADINGS[key], stored.get(key) or "" if key != "sessions" else "")
        for key in SECTIONS
    ]
    return Document(
        facts=facts,
        sections=sections,
        sessions=dict(stored.get("sessions") or {}),
        header=dict(header),
        is_final=report.is_final,
    )
