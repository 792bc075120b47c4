"""Documents through a personal link: read and comment, edit (minute-taker), sign.

The link is the credential (DESIGN §6), so these pages carry the participant pages'
private headers and rate limit; a document of another meeting is the same plain 404 as
a forged link.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, url_for

from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.uploads import body_limit
from meetcoord.core.validation import parse_int
from meetcoord.documents import rules
from meetcoord.documents.models import Document
from meetcoord.documents.views import pdf_response
from meetcoord.documents.views_support import attempt, render_page, sign_body_limit
from meetcoord.extensions import db
from meetcoord.meetings import invitations
from meetcoord.meetings.personal_pages import PRIVATE_HEADERS, personal_limit

bp = Blueprint("personal_documents", __name__)

STEPS = ("edit", "circulate", "finalise", "comment", "no_comment", "code", "sign", "addendum")


@bp.after_request
def private_headers(response: Response) -> Response:
    for name, value in PRIVATE_HEADERS.items():
        response.headers[name] = value
    return response


def _load(token: str, document_id: int) -> tuple[Actor, Document]:
    invitation = invitations.invitation_by_token(token)
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
            return url_for("personal_documents.detail", token=token, document_id=document.id)
        if step == "pdf":
            return url_for("personal_documents.pdf", token=token, document_id=document.id, **args)
        return url_for("personal_documents.step", token=token, document_id=document.id, step=step)

    return url


@bp.get("/i/<token>/documents/<int:document_id>")
@requires(Permission.LINK)
@personal_limit
def detail(token: str, document_id: int) -> Any:
    actor, document = _load(token, document_id)
    return render_page(actor, document, _url(token, document), personal=True)


@bp.post("/i/<token>/documents/<int:document_id>/<step>")
@requires(Permission.LINK)
@body_limit(sign_body_limit)
@personal_limit
def step(token: str, document_id: int, step: str) -> Any:
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
    return redirect(url_for("personal_documents.detail", token=token, document_id=done[1]))


@bp.get("/i/<token>/documents/<int:document_id>/pdf")
@requires(Permission.LINK)
@personal_limit
def pdf(token: str, document_id: int) -> Response:
    from flask import request

    _actor, document = _load(token, document_id)
    return pdf_response(document, parse_int(request.args.get("revision"), minimum=0))
