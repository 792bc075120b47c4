"""What an uploaded file really is, read from its bytes and never from its name.

Shared by the evidence of follow-up actions and the materials of agenda items. Accepted
kinds: PDF, PNG, JPEG by their signature, and the Office Open XML kinds (XLSX, DOCX,
PPTX) as a ZIP whose central directory — bounded in entries, never decompressed — holds
``[Content_Types].xml`` and the part that makes it a workbook, a document or a
presentation. A renamed executable or a plain ZIP is none of these. Nothing here renders
or parses the content itself: files are only ever served back as attachments.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAX_ZIP_ENTRIES = 2000
HEAD_BYTES = 16
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str

    @property
    def label(self) -> str:
        return self.extension.upper() if self.extension != "jpg" else "JPEG"


PDF = Kind("application/pdf", "pdf")
PNG = Kind("image/png", "png")
JPEG = Kind("image/jpeg", "jpg")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
KINDS = (PDF, PNG, JPEG, XLSX, DOCX, PPTX)
BY_EXTENSION = {kind.extension: kind for kind in KINDS}

# The part that makes an OOXML package one kind or another.
_OOXML_PARTS = (
    ("xl/workbook.xml", XLSX),
    ("word/document.xml", DOCX),
    ("ppt/presentation.xml", PPTX),
)


def _ooxml(source: BinaryIO, allowed: tuple[Kind, ...]) -> Kind | None:
    """The OOXML kind of a ZIP (read through its central directory only), or None."""
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in _OOXML_PARTS:
        if part in names and kind in allowed:
            return kind
    return None


def _by_signature(head: bytes) -> Kind | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def sniff(data: bytes, allowed: tuple[Kind, ...] = KINDS) -> Kind | None:
    """The accepted kind ``data`` is, or None (pure: called on bytes already size-checked)."""
    found = _by_signature(data)
    if found is not None:
        return found if found in allowed else None
    if data.startswith(b"PK\x03\x04"):
        return _ooxml(io.BytesIO(data), allowed)
    return None


def sniff_file(path: str | Path, allowed: tuple[Kind, ...] = KINDS) -> Kind | None:
    """Like :func:`sniff`, for a file on disk: reads its head and, for a ZIP, only the
    central directory (a 50 MB presentation is never read whole)."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
        found = _by_signature(head)
        if found is not None:
            return found if found in allowed else None
        if head.startswith(b"PK\x03\x04"):
            handle.seek(0)
            return _ooxml(handle, allowed)
    return None


def safe_name(name: str | None, kind: Kind, fallback: str = "berkas") -> str:
    """A download name from the uploader's, with the extension of what the file really is."""
    stem = Path(name or "").name.rsplit(".", 1)[0] if name else ""
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:120] or fallback
    return f"{stem}.{kind.extension}"


def accepted_labels(kinds: tuple[Kind, ...] = KINDS) -> str:
    """ "PDF, PNG, JPEG, …" for messages that name what is accepted."""
    return ", ".join(kind.label for kind in kinds)
