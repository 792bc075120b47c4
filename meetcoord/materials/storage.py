"""Material files on disk: received in chunks, typed from the file, moved into place.

A 20 MB presentation must not hold the server's one OS thread (eventlet) nor the
database: :func:`receive` copies the upload to a temporary file next to its final place
in 1 MB chunks while hashing it, and reads its kind from the file (``core.filetypes``),
all in a real thread (``core.offload``). Only a file that passed is renamed to
``<instance>/materials/<key>`` — a random key, so no name from outside reaches the file
system — and only then does the service open its short transaction for the row.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from meetcoord.core import filetypes
from meetcoord.core.filetypes import Kind
from meetcoord.core.offload import off_hub

FOLDER = "materials"
CHUNK = 1024 * 1024
KINDS = filetypes.KINDS  # PDF, PNG, JPEG, XLSX, DOCX, PPTX
_KEY = re.compile(r"[0-9a-f]{48}")


class TooLarge(Exception):
    """The stream held more than the limit (a body without a length can still be long)."""


@dataclass(frozen=True)
class Received:
    """An upload on disk under a temporary name, not yet a material."""

    temp: Path
    size: int
    sha256: str
    kind: Kind | None


def folder(instance_path: str | Path) -> Path:
    return Path(instance_path) / FOLDER


def new_key() -> str:
    return secrets.token_hex(24)


def path_for(instance_path: str | Path, key: str) -> Path:
    """Where the file of ``key`` lives; keys are ours (hex), never a path from outside."""
    if not _KEY.fullmatch(key):
        raise ValueError("not a material key")
    return folder(instance_path) / key


def _copy(stream: BinaryIO, target_dir: Path, limit: int) -> Received:
    target_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=target_dir)
    temp = Path(name)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge
                digest.update(chunk)
                out.write(chunk)
        kind = filetypes.sniff_file(temp, KINDS) if size else None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Received(temp, size, digest.hexdigest(), kind)


def receive(instance_path: str | Path, stream: BinaryIO, limit: int) -> Received:
    """Copy ``stream`` (at most ``limit`` bytes) to a temporary file and type it, off the
    green-thread hub. The caller keeps or discards it (:func:`keep`, :func:`discard`)."""
    return off_hub(_copy, stream, folder(instance_path), limit)


def keep(instance_path: str | Path, received: Received) -> str:
    """Move a received file to its final name; its new key."""
    key = new_key()
    received.temp.replace(path_for(instance_path, key))
    return key


def discard(received: Received) -> None:
    received.temp.unlink(missing_ok=True)


def remove(instance_path: str | Path, key: str) -> None:
    path_for(instance_path, key).unlink(missing_ok=True)
