"""Rendering frozen documents in the background worker.

Finalising only marks a document ``render_state = pending``; the worker (in-process under
``make run``, or ``meetcoord worker``) renders it here and registers the unsigned file as
revision 0. So a request never waits for reportlab, a socket handler never renders, and a
process killed mid-render leaves the document pending for the next pass: nothing is lost
and nothing is half-written (the file and the state change commit together).

The rendering itself is a pure function of the frozen snapshot (:func:`render_document`)
and runs off the green-thread hub (``core.offload``).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import select

from meetcoord.core.offload import off_hub
from meetcoord.documents.models import Document, DocumentFile, DocumentKind, RenderState
from meetcoord.documents.pdf.layout import RenderedDocument
from meetcoord.documents.rules import log_step
from meetcoord.documents.snapshot import from_json
from meetcoord.extensions import db
from meetcoord.meetings.links import absolute

log = logging.getLogger("meetcoord.documents")

# Documents per worker pass (``create_app`` registers :func:`render_due` with the worker):
# mail waits at most this many renderings (~0.3 s each).
RENDER_BATCH = 5


def verify_url(code: str) -> str:
    return absolute(f"/verify/{code}")


def render_document(kind: DocumentKind, content: dict[str, Any], url: str) -> RenderedDocument:
    """The PDF of a snapshot; pure, so it may run in another thread."""
    if kind is DocumentKind.MINUTES:
        from meetcoord.documents.pdf.compose import MinutesData, compose_minutes
        from meetcoord.documents.pdf.render import render_minutes

        return render_minutes(compose_minutes(from_json(MinutesData, content)), verify_url=url)
    if kind is DocumentKind.ADDENDUM:
        from meetcoord.documents.pdf.addendum import AddendumData, render_addendum

        return render_addendum(from_json(AddendumData, content), verify_url=url)
    if kind is DocumentKind.AGREEMENT:
        from meetcoord.documents.pdf.agreement_record import AgreementData, render_agreement

        return render_agreement(from_json(AgreementData, content), verify_url=url)
    from meetcoord.documents.pdf.letter import InvitationLetterData, render_invitation_letter

    return render_invitation_letter(from_json(InvitationLetterData, content), verify_url=url)


def register_file(document: Document, pdf: bytes, pages: int) -> DocumentFile:
    """Keep ``pdf`` as the document's next revision; its hash finds it on /verify."""
    digest = hashlib.sha256(pdf).hexdigest()
    row = DocumentFile(
        revision=len(document.files), sha256=digest, size=len(pdf), pages=pages, pdf=pdf
    )
    document.files.append(row)
    document.sha256 = digest
    return row


def _claim() -> Document | None:
    return db.session.scalars(
        select(Document)
        .where(Document.render_state == RenderState.PENDING)
        .order_by(Document.updated_at, Document.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def render_one(document: Document) -> bool:
    """Render ``document`` (pending) and commit; False when it failed (and says why)."""
    kind, content, code, doc_id = document.kind, document.content, document.verify_code, document.id
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.commit()  # hold no SQLite write turn while reportlab works
    try:
        rendered = off_hub(render_document, kind, content, verify_url(code or ""))
    except Exception as exc:  # a bad snapshot must not stop the worker for other documents
        log.exception("document %s: rendering failed", doc_id)
        document = db.session.get(Document, doc_id)
        if document is not None and document.render_state is RenderState.PENDING:
            document.render_state = RenderState.FAILED
            document.render_error = f"{type(exc).__name__}: {exc}"[:2000]
            log_step(document, "render_failed", None, {"error": document.render_error})
        db.session.commit()
        return False
    document = db.session.scalars(
        select(Document).where(Document.id == doc_id).with_for_update()
    ).one()
    if document.render_state is not RenderState.PENDING or document.files:
        db.session.commit()  # someone else finished it meanwhile
        return True
    boxes = {b.role: b for b in rendered.signature_boxes}
    for signatory in document.signatories:
        box = boxes.get(signatory.role)
        if box is not None:
            signatory.page, signatory.box = box.page, list(box.box)
    register_file(document, rendered.pdf, rendered.pages)
    document.render_state = RenderState.READY
    document.render_error = None
    log_step(document, "rendered", None, {"pages": rendered.pages, "sha256": document.sha256})
    db.session.commit()
    return True


def render_due(limit: int = RENDER_BATCH) -> int:
    """One worker pass: render up to ``limit`` pending documents; returns how many."""
    done = 0
    for _ in range(limit):
        document = _claim()
        if document is None:
            db.session.commit()
            break
        render_one(document)
        done += 1
    return done
