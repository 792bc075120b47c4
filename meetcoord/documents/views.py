"""The secretariat's document pages: a meeting's documents, one document, its PDF.

Handlers load, check access (every account may read; the services check each write),
call one service and redirect; a refusal re-renders the page with the reason.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from meetcoord.access import permissions
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import ServiceError
from meetcoord.core.forms import current_actor
from meetcoord.core.uploads import body_limit
from meetcoord.core.validation import parse_int
from meetcoord.documents import agreements, invitation_letters, rules, workflow
from meetcoord.documents.models import Document, DocumentFile, DocumentKind
from meetcoord.documents.signing.signatures import filename
from meetcoord.documents.views_support import (
    KIND_LABELS,
    STATUS_LABELS,
    attempt,
    render_page,
    sign_body_limit,
)
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting

bp = Blueprint("documents", __name__)

STEPS = ("edit", "circulate", "finalise", "sign", "addendum", "render")


def _actor() -> Actor:
    return Actor(user=current_actor())


def _meeting(meeting_id: int) -> Meeting:
    return permissions.for_request(current_actor(), db.session.get(Meeting, meeting_id))


def _document(document_id: int) -> Document:
    return permissions.for_request(current_actor(), db.session.get(Document, document_id))


def _url(document: Document) -> Any:
    def url(step: str | None = None, **args: Any) -> str:
        if step is None:
            return url_for("documents.detail", document_id=document.id)
        if step == "pdf":
            return url_for("documents.pdf", document_id=document.id, **args)
        return url_for("documents.step", document_id=document.id, step=step)

    return url


@bp.get("/meetings/<int:meeting_id>/documents")
@requires(Permission.MEETING_VIEW)
def index(meeting_id: int) -> Any:
    meeting = _meeting(meeting_id)
    return _index_page(meeting)


def _index_page(
    meeting: Meeting, message: Any = None, errors: Any = None, status: int = 200
) -> Any:
    actor = _actor()
    return (
        render_template(
            "documents/index.html",
            meeting=meeting,
            documents=rules.meeting_documents(meeting),
            kind_labels=KIND_LABELS,
            status_labels=STATUS_LABELS,
            is_staff=actor.is_staff,
            candidates=agreements.party_candidates(meeting) if actor.is_staff else [],
            default_points="\n".join(agreements.default_points(meeting)),
            message=message,
            errors=errors or {},
            submitted=request.form if request.method == "POST" else {},
        ),
        status,
    )


@bp.post("/meetings/<int:meeting_id>/documents/<kind>")
@requires(Permission.MEETING_ARRANGE)
def create(meeting_id: int, kind: str) -> Any:
    meeting = _meeting(meeting_id)
    actor = _actor()
    try:
        if kind == DocumentKind.MINUTES.value:
            document = workflow.start_minutes(actor, meeting)
        elif kind == DocumentKind.AGREEMENT.value:
            document = agreements.create_agreement(
                actor, meeting, request.form.getlist("parties"), request.form.get("points")
            )
        elif kind == "invitation-letter":
            document = invitation_letters.issue_invitation_letter(actor, meeting)
        else:
            abort(404)
    except ServiceError as exc:
        db.session.rollback()
        return _index_page(meeting, exc.message, exc.errors, exc.status)
    flash(_("Dokumen dibuat: %(title)s", title=document.title), "success")
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.get("/documents/<int:document_id>")
@requires(Permission.MEETING_VIEW)
def detail(document_id: int) -> Any:
    document = _document(document_id)
    return render_page(_actor(), document, _url(document))


@bp.post("/documents/<int:document_id>/<step>")
@requires(Permission.MEETING_ARRANGE)
@body_limit(sign_body_limit)
def step(document_id: int, step: str) -> Any:
    if step not in STEPS:
        abort(404)
    document = _document(document_id)
    actor = _actor()
    done, refused = attempt(actor, document, step)
    if refused is not None:
        document = _document(document_id)
        return render_page(
            actor,
            document,
            _url(document),
            message=refused.message,
            errors=refused.errors,
            status=refused.status,
        )
    assert done is not None
    flash(done[0], "success")
    return redirect(url_for("documents.detail", document_id=done[1]))


def pdf_response(document: Document, revision: int | None) -> Response:
    """A registered file (default: the newest), named for the reader's download folder."""
    files = document.files
    if not files:
        abort(404)
    chosen: DocumentFile | None = files[-1] if revision is None else None
    if revision is not None:
        chosen = next((f for f in files if f.revision == revision), None)
    if chosen is None:
        abort(404)
    response = Response(chosen.pdf, mimetype="application/pdf")
    name = filename(document)
    if chosen.revision != len(files) - 1:
        name = name.replace(".pdf", f"-revisi-{chosen.revision}.pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/documents/<int:document_id>/pdf")
@requires(Permission.MEETING_VIEW)
def pdf(document_id: int) -> Response:
    revision = parse_int(request.args.get("revision"), minimum=0)
    return pdf_response(_document(document_id), revision)
