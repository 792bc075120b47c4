"""Evidence files: what an upload really is (by content, not by name), and where it lives.

Accepted are PDF, PNG, JPEG, and the two Office Open XML kinds people report with
(XLSX, DOCX). The type is read from the bytes by ``core.filetypes`` (shared with the
agenda materials); the size is checked before any of that
(``MEETCOORD_EVIDENCE_MAX_BYTES``). Nothing here renders or parses the content itself:
the file is only ever served back as an attachment.

Files are stored under ``<instance>/evidence/<key>`` with a random key, so a name from
the uploader never reaches the file system.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path

from meetcoord.core import filetypes
from meetcoord.core.filetypes import DOCX, JPEG, MAX_ZIP_ENTRIES, PDF, PNG, XLSX, Kind

FOLDER = "evidence"
# Evidence takes what people report with; presentations are agenda materials' (materials).
KINDS = (PDF, PNG, JPEG, XLSX, DOCX)
__all__ = ["DOCX", "JPEG", "KINDS", "MAX_ZIP_ENTRIES", "PDF", "PNG", "XLSX", "Kind"]


def sniff(data: bytes) -> Kind | None:
    """The accepted kind ``data`` is, or None (pure: called on bytes already size-checked)."""
    return filetypes.sniff(data, KINDS)


def safe_name(name: str | None, kind: Kind) -> str:
    """A download name from the uploader's, with the extension of what the file really is."""
    return filetypes.safe_name(name, kind, fallback="bukti")


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
