"""Actions to follow up, made directly (the live room's recording is tested in live/),
and small files of each evidence kind."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask

from meetcoord.accounts.models import User
from meetcoord.accounts.services import create_token
from meetcoord.actions.models import Action, ActionUpdate
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def ooxml(part: str) -> bytes:
    """A minimal OOXML package: ``xl/workbook.xml`` (XLSX) or ``word/document.xml`` (DOCX)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


XLSX = ooxml("xl/workbook.xml")
DOCX = ooxml("word/document.xml")


def action(meeting: Meeting | None = None, **fields: Any) -> Action:
    """An action of ``meeting`` (a new one of the default institution) owed by a new OPD."""
    meeting = meeting or factories.meeting()
    if "organization_id" not in fields:
        fields["organization_id"] = factories.organization().id
    fields.setdefault("title", "Menyusun data desa binaan")
    fields.setdefault("due_on", date(2030, 6, 30))
    made = Action(meeting_id=meeting.id, **fields)
    db.session.add(made)
    db.session.flush()
    return made


def history(found: Action) -> list[ActionUpdate]:
    db.session.expire_all()
    return list(db.session.get(Action, found.id).updates)


def bearer(user: User) -> dict[str, str]:
    _token, secret = create_token(None, user, "test")
    return {"Authorization": f"Bearer {secret}"}


def stored_files(app: Flask) -> set[str]:
    folder = Path(app.instance_path) / "evidence"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()
