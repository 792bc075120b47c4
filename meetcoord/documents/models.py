"""Formal documents of a meeting: minutes, addenda, agreement records, invitation letters.

A document moves draft → circulated → final → signed → distributed (``DocumentStatus``);
what each step may do is in ``documents.workflow``. Three rules shape the tables:

- The content a document prints is a JSON snapshot (``content``) taken from the meeting
  and edited in the draft; composition is a pure function of it, so the PDF of a frozen
  document can be rendered again, and the same snapshot gives the same words.
- Finalising freezes the snapshot and names it by its hash (``verify_code``, the
  ``/verify/<hash>`` in every page's QR). A file cannot carry its own hash, so the QR
  names the frozen content; every file made from it (unsigned, then after each signature)
  is registered in ``document_files`` by its own SHA-256, and the verification page
  accepts either.
- Every step (edit, circulation, comment, freezing, rendering, each signature,
  distribution) is a ``document_steps`` row written in the step's own transaction.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum, utcnow
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.access.models import Institution
    from meetcoord.accounts.models import User
    from meetcoord.meetings.models import Invitation, Meeting


class DocumentKind(enum.StrEnum):
    MINUTES = "minutes"  # notulen
    ADDENDUM = "addendum"  # adendum notulen: a correction after signing
    AGREEMENT = "agreement"  # berita acara kesepakatan
    INVITATION_LETTER = "invitation_letter"  # surat undangan


class DocumentStatus(enum.StrEnum):
    DRAFT = "draft"  # the minute-taker edits
    CIRCULATED = "circulated"  # attendees comment until the deadline
    FINAL = "final"  # frozen; signatories sign in order
    SIGNED = "signed"  # every required signature is in
    DISTRIBUTED = "distributed"  # mailed to attendees and invitees (through the outbox)


FROZEN = frozenset({DocumentStatus.FINAL, DocumentStatus.SIGNED, DocumentStatus.DISTRIBUTED})


class SignatureFactor(enum.StrEnum):
    """What, besides the personal link, proved that the signatory themselves signed.

    A personal link can be forwarded or read over a shoulder, so it never signs alone
    (DESIGN §6): the signatory also holds a one-time code mailed to their own address, or
    their own certificate (PKCS#12) that chains to a trusted root in their own name.
    """

    EMAIL_CODE = "email_code"  # kode sekali pakai ke surel
    OWN_CERTIFICATE = "own_certificate"  # sertifikat sendiri


class RenderState(enum.StrEnum):
    NONE = "none"  # nothing to render yet (draft)
    PENDING = "pending"  # the worker will render it
    READY = "ready"
    FAILED = "failed"  # see render_error; the secretariat can ask again


class Document(TimestampMixin, db.Model):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, 20))
    status: Mapped[DocumentStatus] = mapped_column(
        str_enum(DocumentStatus, 20), default=DocumentStatus.DRAFT
    )
    # An addendum refers to the signed document it corrects.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True
    )
    # The meeting's institution, copied when the document is made: its letter numbers
    # are unique per institution, and its owner must not change if the meeting's does.
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[str | None] = mapped_column(String(80))  # letter number
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)  # a stale edit is refused
    verify_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    comment_deadline_at: Mapped[datetime | None]
    circulated_at: Mapped[datetime | None]
    finalised_at: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]
    distributed_at: Mapped[datetime | None]
    render_state: Mapped[RenderState] = mapped_column(
        str_enum(RenderState, 10), default=RenderState.NONE
    )
    render_error: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))  # the newest registered file
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    meeting: Mapped[Meeting] = relationship()
    institution: Mapped[Institution] = relationship()
    parent: Mapped[Document | None] = relationship(remote_side=[id])
    created_by: Mapped[User | None] = relationship()
    signatories: Mapped[list[DocumentSignatory]] = relationship(
        back_populates="document",
        order_by="DocumentSignatory.position",
        cascade="all, delete-orphan",
    )
    files: Mapped[list[DocumentFile]] = relationship(
        back_populates="document", order_by="DocumentFile.revision", cascade="all, delete-orphan"
    )
    comments: Mapped[list[DocumentComment]] = relationship(
        back_populates="document",
        order_by="DocumentComment.created_at",
        cascade="all, delete-orphan",
    )
    steps: Mapped[list[DocumentStep]] = relationship(
        back_populates="document", order_by="DocumentStep.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_documents_render_due", "render_state", "updated_at"),
        UniqueConstraint("institution_id", "number"),
    )

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN

    @property
    def next_signatory(self) -> DocumentSignatory | None:
        return next((s for s in self.signatories if s.signed_at is None), None)

    @property
    def current_file(self) -> DocumentFile | None:
        return self.files[-1] if self.files else None


class DocumentSignatory(db.Model):
    """A required signature, in order: chair first (certifying), then the minute-taker."""

    __tablename__ = "document_signatories"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int]  # 1 = first to sign (certifies the document)
    role: Mapped[str] = mapped_column(String(40))  # chair | minute_taker | party-1 | sender
    role_label: Mapped[str] = mapped_column(String(200))  # "Pimpinan rapat", "PIHAK KESATU"
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))  # as printed under the signature
    organization: Mapped[str | None] = mapped_column(String(300))
    # Where this signatory's one-time codes go: their address when the document was
    # finalised. Changing the person's address in the directory afterwards (which the
    # secretariat can do) does not redirect the codes (``documents.signing.codes``).
    email: Mapped[str | None] = mapped_column(String(254))
    page: Mapped[int | None]  # where the renderer left the blank box (0-based)
    box: Mapped[list[float] | None] = mapped_column(JSON)
    signed_at: Mapped[datetime | None]
    key_source: Mapped[str | None] = mapped_column(String(10))  # ca | pkcs12
    # The second factor of this signature; NULL for signatures made before it existed.
    factor: Mapped[SignatureFactor | None] = mapped_column(str_enum(SignatureFactor, 20))
    certificate_subject: Mapped[str | None] = mapped_column(String(300))
    certificate_issuer: Mapped[str | None] = mapped_column(String(300))
    certificate_serial: Mapped[str | None] = mapped_column(String(80))

    document: Mapped[Document] = relationship(back_populates="signatories")
    invitation: Mapped[Invitation | None] = relationship()

    __table_args__ = (
        UniqueConstraint("document_id", "position"),
        UniqueConstraint("document_id", "role"),
    )


class SigningCode(db.Model):
    """A one-time code mailed to a signatory, kept only as a keyed hash (``signing.codes``).

    Valid for ten minutes, for one signature, and dead after five wrong tries; a new
    request replaces the one before. The rows also pace the requests.
    """

    __tablename__ = "signing_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    signatory_id: Mapped[int] = mapped_column(
        ForeignKey("document_signatories.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)  # wrong tries so far
    used_at: Mapped[datetime | None]  # signed with it, or replaced by a newer code
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signatory: Mapped[DocumentSignatory] = relationship()


class DocumentFile(db.Model):
    """One registered PDF: revision 0 unsigned, then one more per signature."""

    __tablename__ = "document_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    revision: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    pages: Mapped[int]
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="files")

    __table_args__ = (UniqueConstraint("document_id", "revision"),)


class DocumentComment(db.Model):
    """An attendee's comment on circulated minutes; the secretariat and minute-taker read it."""

    __tablename__ = "document_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"), index=True
    )
    author: Mapped[str] = mapped_column(String(200))
    section: Mapped[str | None] = mapped_column(String(200))  # e.g. "Agenda 2"
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="comments")


class DocumentStep(db.Model):
    """The document's own log: who did which step, when, with what result."""

    __tablename__ = "document_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    step: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="steps")


class LetterSequence(db.Model):
    """The yearly running number of one institution's outgoing letters (``005/023/…``)."""

    __tablename__ = "letter_sequences"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(40))  # e.g. invitation_letter
    year: Mapped[int]
    last_value: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("institution_id", "scope", "year"),)
