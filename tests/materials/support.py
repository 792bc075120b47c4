"""Small files of each material kind, and a meeting with agenda items to attach them to."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from meetcoord.meetings import agenda
from meetcoord.meetings.models import AgendaItem, Meeting
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pptx(slides: int = 1, padding: int = 0) -> bytes:
    """A real (minimal) PowerPoint package, made the way Office lays one out."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        for n in range(1, slides + 1):
            archive.writestr(f"ppt/slides/slide{n}.xml", "<p:sld/>")
        if padding:
            archive.writestr("ppt/media/image1.bin", b"\x00" * padding, zipfile.ZIP_STORED)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "bukan presentasi")
    return buffer.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode"


def meeting_with_items(*titles: str, **fields: Any) -> tuple[Meeting, list[AgendaItem]]:
    meeting = factories.meeting(**fields)
    items = [
        agenda.add_agenda_item(
            meeting.created_by,
            meeting,
            {"title": t, "planned_minutes": 20, "kind": "presentation", "presenter": "Bupati"},
        )
        for t in titles
    ]
    return meeting, items


def upload_form(content: bytes, name: str, **form: str) -> dict[str, Any]:
    return {**form, "file": (io.BytesIO(content), name)}
