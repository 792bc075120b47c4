"""The rules every document shares: who may read and edit, the step log, versions, freezing.

``workflow`` (minutes and addenda), ``agreements`` and ``invitation_letters`` each run their
own document's steps with these; a page or the API asks :func:`may_read` and
:func:`may_edit` to decide what to offer.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.access.institutions import letterhead_for
from meetcoord.core.cleaning import clean_line, clean_text
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from meetcoord.core.errors import field_errors as fe
from meetcoord.documents.models import (
    Document,
    DocumentKind,
    DocumentSignatory,
    DocumentStatus,
    DocumentStep,
    RenderState,
)
from meetcoord.documents.snapshot import content_hash
from meetcoord.documents.sources import refresh_matrix
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, InviteeRole, Meeting

NOTES_MAX = 20_000
FROZEN_REFUSAL = _l("Dokumen ini sudah final dan tidak dapat diubah. Untuk koreksi, buat adendum.")


def holds_role(actor: Actor, meeting_id: int, roles: set[InviteeRole]) -> bool:
    inv = actor.invitation
    return (
        inv is not None
        and inv.meeting_id == meeting_id
        and inv.withdrawn_at is None
        and inv.role in roles
    )


def may_edit(actor: Actor, document: Document) -> bool:
    """The secretariat, and the minute-taker of the meeting (for its minutes and addenda)."""
    if actor.is_staff:
        return True
    if document.kind not in (DocumentKind.MINUTES, DocumentKind.ADDENDUM):
        return False
    return holds_role(actor, document.meeting_id, {InviteeRole.MINUTE_TAKER})


def may_read(actor: Actor, document: Document) -> bool:
    """Accounts, and current invitees of the meeting once the draft is circulated.

    Before circulation the draft is the minute-taker's work in progress: only its editors
    see it (document ids are sequential, so a participant could otherwise guess one).
    """
    if actor.user is not None:
        return True  # every account may read; viewers are read-only
    inv = actor.invitation
    if inv is None or inv.meeting_id != document.meeting_id or inv.withdrawn_at is not None:
        return False
    return document.status is not DocumentStatus.DRAFT or may_edit(actor, document)


def require_edit(actor: Actor, document: Document) -> None:
    if not may_edit(actor, document):
        raise PermissionDenied(_l("Hanya notulis dan sekretariat yang boleh mengubah notulen."))


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_l("Hanya sekretariat yang boleh membuat dokumen ini."))


def require_not_frozen(document: Document) -> None:
    if document.is_frozen:
        raise Conflict(FROZEN_REFUSAL)


def log_step(
    document: Document, step: str, actor: Actor | None, detail: dict[str, Any] | None = None
) -> DocumentStep:
    """Add a step to the document's log, in the caller's transaction."""
    user_id, invitation_id = actor.ids if actor is not None else (None, None)
    row = DocumentStep(
        step=step,
        actor=(actor.label if actor is not None else "sistem")[:200],
        user_id=user_id,
        invitation_id=invitation_id,
        detail=detail,
    )
    document.steps.append(row)
    return row


def get_document(document_id: int, *, lock: bool = False) -> Document:
    stmt = select(Document).where(Document.id == document_id)
    if lock:
        stmt = stmt.with_for_update()
    document = db.session.scalars(stmt).first()
    if document is None:
        raise NotFound(_l("Dokumen tidak ditemukan."))
    return document


def meeting_documents(meeting: Meeting) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document).where(Document.meeting_id == meeting.id).order_by(Document.id)
        )
    )


def check_version(document: Document, version: Any) -> None:
    if version is None:
        return
    try:
        given = int(version)
    except (TypeError, ValueError):
        raise ValidationError(
            _l("Versi tidak valid."), errors=fe(version=_l("Versi tidak valid."))
        ) from None
    if given != document.version:
        raise Conflict(
            _l(
                "Dokumen sudah diubah orang lain (versi %(current)s). Muat ulang halaman; "
                "teks Anda tetap di formulir.",
                current=document.version,
            )
        )


def freeze(
    document: Document, signatories: list[DocumentSignatory], actor: Actor | None
) -> Document:
    """Name the content by its hash, fix who signs in which order, queue the rendering.

    The minutes and the berita acara take the synchronisation matrix once more here:
    freezing is what locks it, so what is frozen is the matrix the signatories sign."""
    if document.kind in (DocumentKind.MINUTES, DocumentKind.AGREEMENT):
        document.content = refresh_matrix(document.content, document.meeting)
    now = utcnow()
    document.status = DocumentStatus.FINAL
    document.finalised_at = now
    document.verify_code = content_hash(
        document.kind.value, document.meeting_id, document.id, document.content
    )
    document.signatories = signatories
    document.render_state = RenderState.PENDING
    document.render_error = None
    log_step(
        document,
        "finalised",
        actor,
        {"verify_code": document.verify_code, "signatories": [s.name for s in signatories]},
    )
    return document


def paragraphs(value: Any, field: str = "corrections") -> list[str]:
    text = value if isinstance(value, str) else "\n".join(value or [])
    lines = [clean_line(line) for line in clean_text(text).split("\n")]
    lines = [line for line in lines if line]
    if not lines or len(text) > NOTES_MAX:
        raise ValidationError(
            _l("Isi paling sedikit satu butir (satu per baris)."),
            errors={field: [_l("Isi paling sedikit satu butir (satu per baris).")]},
        )
    return lines


def today_in(zone: str) -> date:

    return utcnow().astimezone(ZoneInfo(zone)).date()


def institution(meeting: Meeting) -> dict[str, Any]:
    """The letterhead values of the meeting's institution (``institution``, ``address``,
    ``logo``), as every document of the meeting prints them."""
    return letterhead_for(meeting).header()


def documents_for(invitation: Invitation) -> list[Document]:
    """What a personal page lists: everything past the draft, drafts for their editor."""
    actor = Actor(invitation=invitation)
    return [d for d in meeting_documents(invitation.meeting) if may_read(actor, d)]
