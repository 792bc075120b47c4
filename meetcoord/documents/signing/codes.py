"""One-time signing codes: the second factor a signatory holds in their own mailbox.

A personal link can be forwarded, and the secretariat once saw every link, so the link
alone never signs (issue 11, DESIGN §6). Whoever holds the link may *ask* for a code, but
the code goes only to the signatory's own e-mail address, through the outbox, and is
shown nowhere else: not on the page, not in the API, not in the outbox page (which lists
subjects and recipients, never bodies).

A code is six digits, valid for :data:`CODE_TTL`, for one signature, and dies after
:data:`MAX_TRIES` wrong tries; asking again replaces it. The database keeps only an HMAC
of it under the server key (bound to the signatory), so a copy of the database does not
sign either. Asking is paced per signatory (:data:`RESEND_AFTER`, :data:`PER_HOUR`) so
that nobody can flood a mailbox or collect guesses.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, TooManyRequests, ValidationError, field_errors
from meetcoord.documents.mailing import queue_signing_code
from meetcoord.documents.models import Document, DocumentSignatory, SigningCode
from meetcoord.documents.rules import log_step
from meetcoord.extensions import db

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=10)
MAX_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)
PER_HOUR = 5

NO_EMAIL = _l(
    "Alamat surel Anda tidak tercatat, jadi kode tidak dapat dikirim. Tandatangani dengan "
    "sertifikat elektronik Anda sendiri (PKCS#12), atau minta sekretariat mencatat alamat "
    "surel Anda."
)
CODE_REQUIRED = _l("Masukkan kode 6 angka yang dikirim ke surel Anda, atau minta kode dulu.")
NO_CODE = _l("Belum ada kode yang berlaku. Minta kode baru; kode dikirim ke surel Anda.")
EXPIRED = _l("Kode sudah kedaluwarsa (berlaku 10 menit). Minta kode baru.")
DEAD = _l("Kode salah 5 kali dan tidak berlaku lagi. Minta kode baru.")
USED = _l("Kode ini sudah dipakai. Minta kode baru.")


@dataclass(frozen=True)
class CodeSent:
    to: str  # the address, masked
    expires_at: datetime


def mask_email(address: str) -> str:
    """ "peserta12@example.go.id" → "p*******2@example.go.id": enough to recognise it."""
    local, _, domain = address.partition("@")
    if len(local) <= 2:
        hidden = local[:1] + "*" * (len(local) - 1)
    else:
        hidden = local[0] + "*" * (len(local) - 2) + local[-1]
    return f"{hidden}@{domain}" if domain else hidden


def signatory_email(signatory: DocumentSignatory) -> str | None:
    """Where the codes go: the invitee's address as it was when the document was
    finalised (a stand-in signs with the invitee's), never what the directory says now.

    The secretariat edits the directory: if codes followed the person's current address, a
    staff login could change the chair's address to its own and sign as the chair.
    """
    return signatory.email or None


def _digest(signatory_id: int, code: str) -> str:
    key = hashlib.sha256(f"meetcoord:signing-code:{current_app.config['SECRET_KEY']}".encode())
    return hmac.new(key.digest(), f"{signatory_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _recent(signatory_id: int, since: datetime) -> list[SigningCode]:
    return list(
        db.session.scalars(
            select(SigningCode)
            .where(SigningCode.signatory_id == signatory_id, SigningCode.created_at >= since)
            .order_by(SigningCode.id)
        )
    )


def _pace(signatory_id: int, now: datetime) -> None:
    recent = _recent(signatory_id, now - timedelta(hours=1))
    if len(recent) >= PER_HOUR:
        raise TooManyRequests(
            _l("Sudah %(n)d kode diminta dalam satu jam terakhir. Coba lagi nanti.", n=PER_HOUR)
        )
    if recent and now - recent[-1].created_at < RESEND_AFTER:
        wait = int((RESEND_AFTER - (now - recent[-1].created_at)).total_seconds()) + 1
        raise TooManyRequests(
            _l("Kode baru dapat diminta lagi dalam %(n)d detik; periksa surel Anda.", n=wait)
        )


def issue(actor: Actor, document: Document, mine: DocumentSignatory) -> CodeSent:
    """Mail ``mine`` a fresh code (earlier ones stop working); the caller checked the turn."""
    address = signatory_email(mine)
    if address is None or mine.invitation is None:
        raise ValidationError(NO_EMAIL, errors=field_errors(code=NO_EMAIL))
    now = utcnow()
    _pace(mine.id, now)
    for old in db.session.scalars(
        select(SigningCode).where(
            SigningCode.signatory_id == mine.id, SigningCode.used_at.is_(None)
        )
    ):
        old.used_at = now  # replaced: only the newest code signs
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    expires_at = now + CODE_TTL
    db.session.add(
        SigningCode(signatory_id=mine.id, code_hash=_digest(mine.id, code), expires_at=expires_at)
    )
    queue_signing_code(
        document, mine.role_label, address, mine.invitation.person.name, code, expires_at
    )
    masked = mask_email(address)
    log_step(document, "code_sent", actor, {"role": mine.role, "to": masked})
    db.session.commit()
    return CodeSent(masked, expires_at)


def _refuse(message: object) -> ValidationError:
    return ValidationError(message, errors=field_errors(code=message))


def check_code(signatory: DocumentSignatory, code: str | None) -> int:
    """The id of the signatory's live code that ``code`` matches; else a refusal.

    A wrong code counts against the code and the count is committed before the refusal is
    raised, so five wrong tries kill it whatever the caller does next. Input that is not
    six digits at all is refused without counting (a typo, not a guess).
    """
    typed = "".join((code or "").split())
    if len(typed) != CODE_DIGITS or not (typed.isascii() and typed.isdigit()):
        raise _refuse(CODE_REQUIRED)
    live = db.session.scalars(
        select(SigningCode)
        .where(SigningCode.signatory_id == signatory.id, SigningCode.used_at.is_(None))
        .order_by(SigningCode.id.desc())
    ).first()
    if live is None:
        raise _refuse(NO_CODE)
    if live.attempts >= MAX_TRIES:
        raise _refuse(DEAD)
    if utcnow() >= live.expires_at:
        raise _refuse(EXPIRED)
    if hmac.compare_digest(live.code_hash, _digest(signatory.id, typed)):
        return live.id
    # Counted in the database (attempts = attempts + 1), so two guesses sent at the same
    # moment both count; committed, so the try counts although the signature is refused.
    live.attempts = SigningCode.attempts + 1
    db.session.commit()
    left = MAX_TRIES - live.attempts  # read back after the commit
    if left <= 0:
        raise _refuse(DEAD)
    raise _refuse(_l("Kode salah. Sisa %(n)d kali percobaan untuk kode ini.", n=left))


def consume(code_id: int) -> None:
    """Spend the code, in the signature's own transaction (the document row is locked)."""
    row = db.session.get(SigningCode, code_id, with_for_update=True)
    if row is None or row.used_at is not None:
        raise Conflict(USED)
    row.used_at = utcnow()
