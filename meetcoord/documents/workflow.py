"""The minutes' life: draft → circulated → final, and the addendum that corrects them.

Services take the actor explicitly (a staff account, or a person acting through the
personal link of their invitation: ``access.actors.Actor``) and own the commit. The
minute-taker and the secretariat edit and move the document; every attendee may comment
while it circulates; nobody changes it once it is final: the first signature certifies
that exact content, so a correction is an addendum that names the original.

Signing and distribution are in ``documents.signing.signatures``; rendering in ``documents.jobs``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.core.cleaning import clean_line, clean_text
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.core.errors import field_errors as fe
from meetcoord.documents import review
from meetcoord.documents.models import (
    Document,
    DocumentComment,
    DocumentKind,
    DocumentSignatory,
    DocumentStatus,
    RenderState,
)
from meetcoord.documents.rules import (
    NOTES_MAX,
    check_version,
    freeze,
    holds_role,
    log_step,
    paragraphs,
    require_edit,
    require_not_frozen,
    require_staff,
    today_in,
)
from meetcoord.documents.snapshot import to_json
from meetcoord.documents.sources import minutes_data
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, InviteeRole, Meeting, MeetingStatus

COMMENT_MAX = 4_000

ROLE_LABELS = {
    "chair": "Pimpinan rapat",
    "minute_taker": "Notulis",
}


# --- who may do what ----------------------------------------------------------------------


# --- the log -----------------------------------------------------------------------------


# --- loading -----------------------------------------------------------------------------


# --- minutes -----------------------------------------------------------------------------


def start_minutes(actor: Actor, meeting: Meeting) -> Document:
    """The draft minutes of a closed meeting, from what the live room recorded."""
    if not (actor.is_staff or holds_role(actor, meeting.id, {InviteeRole.MINUTE_TAKER})):
        raise PermissionDenied(_l("Hanya notulis dan sekretariat yang boleh menyusun notulen."))
    if meeting.status is not MeetingStatus.CLOSED:
        raise Conflict(_l("Notulen disusun setelah rapat ditutup."))
    existing = db.session.scalars(
        select(Document).where(
            Document.meeting_id == meeting.id, Document.kind == DocumentKind.MINUTES
        )
    ).first()
    if existing is not None:
        raise Conflict(_l("Rapat ini sudah punya notulen."))
    document = Document(
        meeting_id=meeting.id,
        institution_id=meeting.institution_id,
        kind=DocumentKind.MINUTES,
        title=f"Notulen {meeting.title}"[:300],
        content=to_json(minutes_data(meeting)),
        created_by_id=actor.user.id if actor.user is not None else None,
    )
    db.session.add(document)
    log_step(document, "created", actor)
    db.session.commit()
    return document


def edit_minutes(actor: Actor, document: Document, data: dict[str, Any]) -> Document:
    """Change the discussion notes per agenda item; ``data["version"]`` guards lost edits.

    ``data["notes"]`` maps the agenda number to its text. Decisions and actions are what
    the live room recorded; ``refresh`` takes them (and attendance) again from the meeting.
    """
    require_edit(actor, document)
    require_not_frozen(document)
    if document.kind is not DocumentKind.MINUTES:
        raise Conflict(_l("Hanya notulen yang punya catatan per agenda."))
    check_version(document, data.get("version"))
    notes = data.get("notes") or {}
    if not isinstance(notes, dict):
        raise ValidationError(_l("Catatan tidak valid."), errors=fe(notes=_l("Harus berupa peta.")))
    content = dict(document.content)
    if data.get("refresh"):
        fresh = to_json(minutes_data(document.meeting))
        kept = {a["number"]: a["notes"] for a in content["agenda"]}
        for item in fresh["agenda"]:
            item["notes"] = kept.get(item["number"], item["notes"])
        content = fresh
    agenda = [dict(a) for a in content["agenda"]]
    numbers = {str(a["number"]) for a in agenda}
    errors: dict[str, list[Any]] = {}
    for key, text in notes.items():
        if str(key) not in numbers:
            errors[f"notes.{key}"] = [_l("Tidak ada agenda bernomor ini.")]
        elif not isinstance(text, str) or len(text) > NOTES_MAX:
            errors[f"notes.{key}"] = [
                _l("Catatan paling panjang %(n)s karakter.", n=f"{NOTES_MAX:,}".replace(",", "."))
            ]
    if errors:
        raise ValidationError(_l("Periksa catatan yang ditandai."), errors=errors)
    changed = []
    for item in agenda:
        text = notes.get(str(item["number"]), notes.get(item["number"]))
        if text is not None and clean_text(text) != item["notes"]:
            item["notes"] = clean_text(text)
            changed.append(item["number"])
    content["agenda"] = agenda
    document.content = content
    document.version += 1
    log_step(document, "edited", actor, {"agenda": changed, "refresh": bool(data.get("refresh"))})
    db.session.commit()
    return document


DEADLINE_MAX = timedelta(days=90)  # the longest comment period a circulation may set


def _parse_deadline(value: Any, now: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(
            _l("Batas waktu komentar wajib diisi."),
            errors=fe(deadline=_l("Isi tanggal dan jam batas komentar.")),
        )
    if value.tzinfo is None:
        raise ValueError("the deadline must be aware (the form converts from the zone shown)")
    if value <= now:
        raise ValidationError(
            _l("Batas waktu komentar harus di masa depan."),
            errors=fe(deadline=_l("Harus setelah saat ini.")),
        )
    if value > now + DEADLINE_MAX:
        # A typo ("2062" for "2026") would hold the minutes open, unsignable, for decades.
        raise ValidationError(
            _l("Batas waktu komentar paling lama %(n)d hari dari sekarang.", n=DEADLINE_MAX.days),
            errors=fe(deadline=_l("Paling lama %(n)d hari dari sekarang.", n=DEADLINE_MAX.days)),
        )
    return value


def circulate(actor: Actor, document: Document, deadline: Any) -> int:
    """Open the draft to every attendee's comments until ``deadline``; mail them the link.

    Returns how many mails were queued. Circulating again moves the deadline (and mails
    nobody twice: only the first circulation mails).
    """
    from meetcoord.documents.mailing import queue_circulation

    require_edit(actor, document)
    require_not_frozen(document)
    now = utcnow()
    deadline = _parse_deadline(deadline, now)
    first = document.status is DocumentStatus.DRAFT
    document.status = DocumentStatus.CIRCULATED
    document.comment_deadline_at = deadline
    document.circulated_at = document.circulated_at or now
    queued = queue_circulation(document) if first else 0
    log_step(
        document,
        "circulated" if first else "deadline_moved",
        actor,
        {"deadline": deadline.isoformat(), "mails": queued},
    )
    db.session.commit()
    return queued


def add_comment(actor: Actor, document: Document, body: Any, section: Any = None) -> None:
    """An invitee's comment on circulated minutes, until the deadline."""
    inv = review.require_answering(actor, document)
    # Cleaned as every text is at input: a NUL would be refused by PostgreSQL (a 500).
    text = clean_text(body) if isinstance(body, str) else ""
    if not text or len(text) > COMMENT_MAX:
        raise ValidationError(
            _l("Komentar wajib diisi, paling panjang %(n)s karakter.", n="4.000"),
            errors=fe(body=_l("Isi komentar Anda (paling panjang 4.000 karakter).")),
        )
    place = clean_line(section)[:200] if isinstance(section, str) else ""
    comment = DocumentComment(
        invitation_id=inv.id, author=actor.label[:200], section=place or None, body=text
    )
    document.comments.append(comment)
    log_step(document, "commented", actor, {"section": place or None})
    db.session.commit()


# --- freezing ----------------------------------------------------------------------------


def _signatory(position: int, role: str, label: str, invitation: Invitation) -> DocumentSignatory:
    """A signatory is an invitation: they sign through their personal link."""
    person = invitation.person
    return DocumentSignatory(
        position=position,
        role=role,
        role_label=label[:200],
        invitation_id=invitation.id,
        name=(invitation.stand_in_name or person.name)[:200],
        organization=person.organization.name if person.organization else None,
        email=person.email,
    )


def _role_invitation(meeting: Meeting, role: InviteeRole) -> Invitation | None:
    return next((i for i in meeting.invitations if i.role is role and i.withdrawn_at is None), None)


def _minutes_signatories(meeting: Meeting) -> list[DocumentSignatory]:
    chair = _role_invitation(meeting, InviteeRole.CHAIR)
    taker = _role_invitation(meeting, InviteeRole.MINUTE_TAKER)
    missing = [
        label
        for label, inv in ((_l("pimpinan rapat"), chair), (_l("notulis"), taker))
        if inv is None
    ]
    if missing:
        raise Conflict(
            _l(
                "Tetapkan %(who)s di daftar undangan sebelum notulen difinalkan.",
                who=", ".join(str(m) for m in missing),
            )
        )
    return [
        _signatory(1, "chair", ROLE_LABELS["chair"], chair),
        _signatory(2, "minute_taker", ROLE_LABELS["minute_taker"], taker),
    ]


def finalise(
    actor: Actor, document: Document, version: Any = None, early_close: Any = None
) -> Document:
    """Freeze the minutes (after circulation) or an addendum; rendering follows in the worker.

    Circulated minutes close their comment round first (``review.early_close``): after the
    deadline, when everyone asked has answered, or early with the secretariat's reason.
    """
    require_edit(actor, document)
    require_not_frozen(document)
    check_version(document, version)
    if document.kind is DocumentKind.MINUTES:
        if document.status is not DocumentStatus.CIRCULATED:
            raise Conflict(_l("Edarkan notulen untuk komentar peserta sebelum difinalkan."))
        signatories = _minutes_signatories(document.meeting)
        closed_early = review.early_close(actor, document, early_close)
        if closed_early is not None:
            log_step(document, "early_close", actor, closed_early)
    elif document.kind is DocumentKind.ADDENDUM:
        signatories = _minutes_signatories(document.meeting)
    else:
        raise Conflict(_l("Dokumen ini difinalkan dari halamannya sendiri."))
    freeze(document, signatories, actor)
    db.session.commit()
    return document


# --- addendum ----------------------------------------------------------------------------


def create_addendum(actor: Actor, original: Document, corrections: Any) -> Document:
    """A correction of signed minutes: its own document that names the original."""
    from meetcoord.documents.pdf.addendum import AddendumData

    require_edit(actor, original)
    if original.kind is not DocumentKind.MINUTES or original.status not in (
        DocumentStatus.SIGNED,
        DocumentStatus.DISTRIBUTED,
    ):
        raise Conflict(_l("Adendum dibuat untuk notulen yang sudah ditandatangani."))
    lines = paragraphs(corrections)
    count = db.session.scalars(select(Document.id).where(Document.parent_id == original.id)).all()
    data = original.content
    addendum = AddendumData(
        institution=data["institution"],
        address=data.get("address"),
        logo=data.get("logo"),
        number=len(count) + 1,
        original_title=data["title"],
        original_date=datetime.fromisoformat(data["start_at"]),
        host_zone=data["host_zone"],
        original_reference=original.verify_code or "",
        original_sha256=original.sha256 or "",
        corrections=lines,
        chair=data.get("chair"),
        minute_taker=data.get("minute_taker"),
        issued_on=today_in(data["host_zone"]),
    )
    document = Document(
        meeting_id=original.meeting_id,
        institution_id=original.institution_id,  # the signed original's owner
        kind=DocumentKind.ADDENDUM,
        parent_id=original.id,
        title=f"Adendum {len(count) + 1} {original.title}"[:300],
        content=to_json(addendum),
        created_by_id=actor.user.id if actor.user is not None else None,
    )
    db.session.add(document)
    log_step(document, "created", actor, {"original": original.id})
    log_step(original, "addendum", actor, {"title": document.title})
    db.session.commit()
    return document


def edit_addendum(actor: Actor, document: Document, data: dict[str, Any]) -> Document:
    require_edit(actor, document)
    require_not_frozen(document)
    check_version(document, data.get("version"))
    content = dict(document.content)
    content["corrections"] = paragraphs(data.get("corrections"))
    document.content = content
    document.version += 1
    log_step(document, "edited", actor)
    db.session.commit()
    return document


def request_render(actor: Actor, document: Document) -> Document:
    """Ask the worker to render a frozen document again after a failure."""
    require_staff(actor)
    if document.render_state is not RenderState.FAILED:
        raise Conflict(_l("PDF dokumen ini tidak gagal disusun."))
    document.render_state = RenderState.PENDING
    document.render_error = None
    log_step(document, "render_requested", actor)
    db.session.commit()
    return document
