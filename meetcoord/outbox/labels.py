"""The outbox in words: what kind of mail a row is, and the zone its times are read in.

``OutboxMessage.kind`` is a code the sending feature chose ("invitation",
"reminder_meeting_morning"); a secretariat reads "Undangan" or "Pengingat pagi hari rapat".
Times are the institution's: a message about a meeting or a document is read in its
institution's zone (Bappeda Sumba Barat Daya reads WITA, not the server's WIB).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access import scope
from meetcoord.access.models import Institution
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.directory.models import Organization
from meetcoord.documents.models import Document
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting

KIND_LABELS: dict[str, Any] = {
    "invitation": _l("Undangan rapat"),
    "update": _l("Perubahan undangan"),
    "cancellation": _l("Pembatalan"),
    "personal_link": _l("Tautan pribadi"),
    "speaker_link": _l("Tautan unggah pembicara"),
    "address_changed": _l("Alamat surel diubah"),
    "circulation": _l("Edaran notulen"),
    "distribution": _l("Distribusi dokumen"),
    "signing_code": _l("Kode tanda tangan"),
    "reminder_meeting_day_before": _l("Pengingat H-1 rapat"),
    "reminder_meeting_morning": _l("Pengingat pagi hari rapat"),
    "reminder_action_digest": _l("Ringkasan tindak lanjut"),
    "reminder_forum_overdue": _l("Ringkasan tunggakan forum"),
}
OTHER_KIND = _l("Surel lain")
STATUS_LABELS: dict[OutboxStatus, Any] = {
    OutboxStatus.PENDING: _l("menunggu"),
    OutboxStatus.SENT: _l("terkirim"),
    OutboxStatus.FAILED: _l("gagal"),
}


def kind_label(kind: str) -> str:
    """The kind in words; a kind no one named yet reads as "other mail", never as a code."""
    return str(KIND_LABELS.get(kind, OTHER_KIND))


def institution_zone(institution_id: int | None) -> str:
    """The zone of the institution's body in the directory, else the installation's."""
    home = str(current_app.config["HOME_TIMEZONE"])
    institution = db.session.get(Institution, institution_id) if institution_id else None
    if institution is None or institution.organization_id is None:
        return home
    organization = db.session.get(Organization, institution.organization_id)
    return (organization.zone if organization is not None else None) or home


def reader_institution(actor: Any) -> int | None:
    """The institution a secretariat works for (the first, when several)."""
    reach = scope.reach_of(actor)
    return min(reach.worked or reach.seen, default=None)


def message_zones(actor: Any, messages: Iterable[OutboxMessage]) -> dict[int, str]:
    """Each message's zone: its meeting's or document's institution, else the reader's."""
    rows = list(messages)
    invitation_ids = {m.ref_id for m in rows if m.ref_type == "invitation" and m.ref_id}
    document_ids = {m.ref_id for m in rows if m.ref_type == "document" and m.ref_id}
    owner: dict[tuple[str, int], int] = {}
    if invitation_ids:
        stmt = (
            select(Invitation.id, Meeting.institution_id)
            .join(Meeting, Invitation.meeting_id == Meeting.id)
            .where(Invitation.id.in_(invitation_ids))
        )
        owner.update({("invitation", i): inst for i, inst in db.session.execute(stmt)})
    if document_ids:
        stmt = select(Document.id, Document.institution_id).where(Document.id.in_(document_ids))
        owner.update({("document", i): inst for i, inst in db.session.execute(stmt)})
    fallback = reader_institution(actor)
    zones: dict[int | None, str] = {}
    found: dict[int, str] = {}
    for message in rows:
        institution = owner.get((message.ref_type or "", message.ref_id or 0), fallback)
        if institution not in zones:
            zones[institution] = institution_zone(institution)
        found[message.id] = zones[institution]
    return found
