"""Reading materials: per meeting for the minutes and the event report, per item for pages.

Plain values out (dicts, dataclass-free), so the documents and the report depend on no
model of this package.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.permissions import visible
from meetcoord.core.errors import NotFound
from meetcoord.extensions import db
from meetcoord.materials.models import Material
from meetcoord.meetings.models import AgendaItem


def _rows(meeting_id: int) -> list[tuple[Material, AgendaItem]]:
    return [
        (material, item)
        for material, item in db.session.execute(
            select(Material, AgendaItem)
            .join(AgendaItem, Material.agenda_item_id == AgendaItem.id)
            .where(Material.meeting_id == meeting_id)
            .order_by(AgendaItem.position, Material.uploaded_at, Material.id)
        )
    ]


def for_meeting(meeting_id: int) -> list[dict[str, Any]]:
    """Every material of a meeting in agenda order, for the event report and the minutes:
    ``agenda_item_id, item_title, item_position, presenter, filename, kind, size,
    uploaded_at`` (aware UTC). No access check: the caller has loaded the meeting for
    its reader."""
    return [
        {
            "agenda_item_id": item.id,
            "item_title": item.title,
            "item_position": item.position,
            "presenter": item.presenter,
            "filename": material.filename,
            "kind": material.kind,
            "size": material.size,
            "uploaded_at": material.uploaded_at,
        }
        for material, item in _rows(meeting_id)
    ]


def has_any(meeting_id: int) -> bool:
    """Whether the meeting has any material (the pages link to the list only then)."""
    found = db.session.scalar(select(Material.id).where(Material.meeting_id == meeting_id).limit(1))
    return found is not None


def by_item(meeting_id: int) -> dict[int, list[Material]]:
    """The meeting's materials grouped by agenda item id, in upload order."""
    grouped: dict[int, list[Material]] = {}
    for material, _item in _rows(meeting_id):
        grouped.setdefault(material.agenda_item_id, []).append(material)
    return grouped


def get_material(who: Any, meeting_id: int, material_id: int) -> Material:
    """A material of meeting ``meeting_id`` that ``who`` may see (another institution's,
    or another meeting's id: not found)."""
    found = db.session.get(Material, material_id)
    if found is None or found.meeting_id != meeting_id:
        raise NotFound(_not_found())
    return visible(who, found, _not_found())


def _not_found() -> Any:
    return _l("Bahan tidak ditemukan.")


def human_size(size: int) -> str:
    """1,2 MB / 340 KB: sizes as people read them (Indonesian decimal comma)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size} B"
