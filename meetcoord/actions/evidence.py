"""Evidence files: what an upload really is (by content, not by name), and where it lives.

Accepted are PDF, PNG, JPEG, and the two Office Open XML kinds people report with
(XLSX, DOCX). The type is read from the bytes: a signature for PDF and images; for
OOXML, a ZIP whose central directory (bounded in entries, never decompressed) holds
``[Content_Types].xml`` and the part that makes it a workbook or a document. The size
is checked before any of that (``MEETCOORD_EVIDENCE_MAX_BYTES``). Nothing here renders
or parses the content itself: the file is only ever served back as an attachment.

Files are stored under ``<instance>/evidence/<key>`` with a random key, so a name from
the uploader never reaches the file system.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

FOLDER = "evidence"
MAX_ZIP_ENTRIES = 2000
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str


PDF = Kind("application/pdf", "pdf")
PNG = Kind("image/png", "png")
JPEG = Kind("image/jpeg", "jpg")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
KINDS = (PDF, PNG, JPEG, XLSX, DOCX)


def _ooxml(data: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None


def sniff(data: bytes) -> Kind | None:
    """The accepted kind ``data`` is, or None (pure: called on bytes already size-checked)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _ooxml(data)
    return None


def safe_name(name: str | None, kind: Kind) -> str:
    """A download name from the uploader's, with the extension of what the file really is."""
    stem = Path(name or "").name.rsplit(".", 1)[0] if name else ""
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:120] or "bukti"
    return f"{stem}.{kind.extension}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_key() -> str:
    return secrets.token_hex(24)


def path_for(instance_path: str | Path, key: str) -> Path:
    """Where the file of ``key`` lives; keys are ours (hex), never a path from outside."""
    if not re.fullmatch(r"[0-9a-f]{48}", key):
        raise ValueError("not an evidence key")
    return Path(instance_path) / FOLDER / key


def write(instance_path: str | Path, key: str, data: bytes) -> Path:
    """Write the file (to a temporary name first, so a half-written file is never served)."""
    target = path_for(instance_path, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def remove(instance_path: str | Path, key: str) -> None:
    path_for(instance_path, key).unlink(missing_ok=True)
