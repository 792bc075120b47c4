"""Documents through a personal link: read and comment, edit (minute-taker), sign.

The link is the credential (DESIGN §6): ``portal.links`` resolves it and gives these pages
the portal's private headers and rate limit. A document of another meeting, or one the
holder may not read, is the same plain 404 as a forged link. The page and its steps are
the documents feature's (``views_support``); only the door is the portal's.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, request, url_for

from meetcoord.access.actors import Actor
from meetcoord.core.uploads import body_limit
from meetcoord.core.validation import parse_int
from meetcoord.documents import rules
from meetcoord.documents.models import Document
from meetcoord.documents.views import pdf_response
from meetcoord.documents.views_support import attempt, render_page, sign_body_limit
from meetcoord.extensions import db
from meetcoord.portal.links import holder

STEPS = ("edit", "circulate", "finalise", "comment", "no_comment", "code", "sign", "addendum")


def _load(token: str, document_id: int) -> tuple[Actor, Document]:
    invitation = holder(token)
    document = db.session.get(Document, document_id)
    if document is None or document.meeting_id != invitation.meeting_id:
        abort(404)
    actor = Actor(invitation=invitation)
    if not rules.may_read(actor, document):
        abort(404)
    return actor, document


def _url(token: str, document: Document) -> Any:
    def url(step: str | None = None, **args: Any) -> str:
        if step is None:
            return url_for("portal.document_page", token=token, document_id=document.id)
        if step == "pdf":
            return url_for("portal.document_pdf", token=token, document_id=document.id, **args)
        return url_for("portal.document_step", token=token, document_id=document.id, step=step)

    return url


def document_page(token: str, document_id: int) -> Any:
    actor, document = _load(token, document_id)
    return render_page(actor, document, _url(token, document), personal=True)


@body_limit(sign_body_limit)
def document_step(token: str, document_id: int, step: str) -> Any:
    if step not in STEPS:
        abort(404)
    actor, document = _load(token, document_id)
    done, refused = attempt(actor, document, step)
    if refused is not None:
        actor, document = _load(token, document_id)
        return render_page(
            actor,
            document,
            _url(token, document),
            message=refused.message,
            errors=refused.errors,
            status=refused.status,
            personal=True,
        )
    assert done is not None
    flash(done[0], "success")
    return redirect(url_for("portal.document_page", token=token, document_id=done[1]))


def document_pdf(token: str, document_id: int) -> Response:
    _actor, document = _load(token, document_id)
    return pdf_response(document, parse_int(request.args.get("revision"), minimum=0))
