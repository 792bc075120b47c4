"""The comment round of circulated minutes: who has answered, and when it may close.

Finalising freezes the minutes for good, so it must not cut the invitees' comment time
short by accident (issue 11). The rule:

- after the comment deadline, the minutes may be finalised;
- before it, only when every invitee the circulation mail went to (a current invitation
  with an e-mail address) has *answered*: commented, or pressed "Tidak ada tanggapan" on
  their personal link. The minute-taker wrote the draft and is not waited for;
- otherwise the secretariat (a staff account, not the minute-taker's link) may close the
  round early by confirming it with a reason; the ``early_close`` step in the document's
  history keeps who, why, and how many had answered by then.

Answers are the document's own ``commented`` and ``no_comment`` steps, so nothing new is
stored for them. :func:`missing_answers` is the pure heart of the rule.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.access.actors import Actor
from meetcoord.core.cleaning import clean_text
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.core.errors import field_errors as fe
from meetcoord.core.timezones import format_long_date, format_time_in_zone
from meetcoord.documents.models import Document, DocumentStatus
from meetcoord.documents.rules import log_step, may_read
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, InviteeRole

ANSWERS = frozenset({"commented", "no_comment"})
REASON_MAX = 500


def missing_answers(
    now: datetime,
    deadline: datetime | None,
    awaited: Iterable[int],
    answered: Collection[int],
) -> set[int]:
    """Whose answer the round still waits for: none once the deadline has passed."""
    if deadline is not None and now >= deadline:
        return set()
    return {i for i in awaited if i not in answered}


@dataclass(frozen=True)
class CommentRound:
    awaited: list[Invitation]  # whom the circulation asked
    missing: list[Invitation]  # … who have not answered, while the deadline is ahead
    deadline_passed: bool

    @property
    def answered(self) -> int:
        return len(self.awaited) - len(self.missing)

    @property
    def may_close(self) -> bool:
        return self.deadline_passed or not self.missing


def awaited(document: Document) -> list[Invitation]:
    """Whom the circulation asked (current invitees it could mail), but the minute-taker."""
    return [
        inv
        for inv in document.meeting.invitations
        if inv.withdrawn_at is None
        and inv.person.email
        and inv.role is not InviteeRole.MINUTE_TAKER
    ]


def comment_round(document: Document, now: datetime | None = None) -> CommentRound:
    now = now or utcnow()
    asked = awaited(document)
    answered = {s.invitation_id for s in document.steps if s.step in ANSWERS and s.invitation_id}
    missing = missing_answers(now, document.comment_deadline_at, [i.id for i in asked], answered)
    deadline = document.comment_deadline_at
    return CommentRound(
        awaited=asked,
        missing=[inv for inv in asked if inv.id in missing],
        deadline_passed=deadline is not None and now >= deadline,
    )


def _deadline(document: Document) -> str:
    zone = str(document.content.get("host_zone") or "Asia/Jakarta")
    moment = document.comment_deadline_at
    if moment is None:
        return "-"
    return f"{format_long_date(moment, zone)}, {format_time_in_zone(moment, zone)}"


def early_close(actor: Actor, document: Document, reason: Any) -> dict[str, Any] | None:
    """Before finalising circulated minutes: None when the round is over, else the early
    close to log (staff, with a reason), else a refusal that says whom it waits for."""
    state = comment_round(document)
    if state.may_close:
        return None
    text = clean_text(reason) if isinstance(reason, str) else ""
    if not text:
        names = ", ".join(inv.person.name for inv in state.missing[:5])
        more = len(state.missing) - 5
        message = _l(
            "Batas komentar belum lewat (%(deadline)s) dan %(n)d dari %(total)d peserta belum "
            "menanggapi: %(names)s. Tunggu batas waktu, atau sekretariat menutup masa "
            "komentar lebih awal dengan alasan.",
            deadline=_deadline(document),
            n=len(state.missing),
            total=len(state.awaited),
            names=names + (f" (+{more})" if more > 0 else ""),
        )
        raise Conflict(message, errors=fe(early_close=_l("Tulis alasan menutup lebih awal.")))
    if not actor.is_staff:
        raise PermissionDenied(
            _l("Hanya sekretariat yang dapat menutup masa komentar sebelum batas waktunya.")
        )
    if len(text) > REASON_MAX:
        message = _l("Alasan paling panjang %(n)d karakter.", n=REASON_MAX)
        raise ValidationError(message, errors=fe(early_close=message))
    return {
        "reason": text,
        "answered": state.answered,
        "awaited": len(state.awaited),
        "deadline": document.comment_deadline_at.isoformat()
        if document.comment_deadline_at
        else None,
    }


def require_answering(actor: Actor, document: Document) -> Invitation:
    """The invitee who may answer now (comment or "no comment"): circulated, in time."""
    if actor.invitation is None or not may_read(actor, document):
        raise PermissionDenied(_l("Komentar diberikan oleh peserta rapat lewat tautan pribadi."))
    if document.status is not DocumentStatus.CIRCULATED:
        raise Conflict(_l("Notulen tidak sedang diedarkan untuk komentar."))
    if document.comment_deadline_at and utcnow() > document.comment_deadline_at:
        raise Conflict(_l("Batas waktu komentar sudah lewat."))
    return actor.invitation


def no_comment(actor: Actor, document: Document) -> None:
    """An invitee's explicit "no comment": an answer, so the round need not wait for them."""
    mine = require_answering(actor, document).id
    if any(s.step in ANSWERS and s.invitation_id == mine for s in document.steps):
        raise Conflict(_l("Tanggapan Anda sudah tercatat."))
    log_step(document, "no_comment", actor)
    db.session.commit()
