"""The secretariat's materials page of a meeting: upload per agenda item, speakers' links,
downloads, and removal behind a confirmation.

Views load, check access (the services check again) and render. Files go out with
:func:`file_response`: ``send_file`` from disk (conditional requests, byte ranges), as an
attachment that the browser never renders, with no database session held while the file
streams.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission, allowed
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound, ServiceError
from meetcoord.core.filetypes import accepted_labels
from meetcoord.core.forms import current_actor
from meetcoord.core.offload import PacedOutput, large_file_wrapper
from meetcoord.core.uploads import body_limit
from meetcoord.extensions import db
from meetcoord.materials import queries, services, storage
from meetcoord.materials.models import Material, SpeakerLink
from meetcoord.meetings import services as meetings
from meetcoord.meetings.forms import ConfirmForm
from meetcoord.meetings.models import AgendaItem, Meeting
from meetcoord.meetings.zones import host_zone

bp = Blueprint("materials", __name__, url_prefix="/meetings")

FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-cache",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
ACCEPT = ".pdf,.pptx,.xlsx,.docx,.png,.jpg,.jpeg"


def file_response(material: Material) -> Response:
    """A material as a download, streamed from disk; the database is let go first."""
    path = storage.path_for(current_app.instance_path, material.storage_key)
    name, mimetype = material.filename, material.content_type
    # Nothing below needs the database: release the connection (and the SQLite read
    # lock) before a phone on a slow line spends a minute reading 20 MB.
    db.session.close()
    if not path.is_file():
        raise NotFound(_("Berkas tidak ditemukan."))
    request.environ["wsgi.file_wrapper"] = large_file_wrapper
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=True,
        max_age=0,
    )
    response.headers.update(FILE_HEADERS)
    # 20 MB to a phone on the LAN never makes the socket wait: slice it for the others.
    response.response = PacedOutput(response.response)
    return response


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound(_("Butir agenda tidak ditemukan."))
    return item


def _back(meeting: Meeting, anchor: str | None = None) -> Any:
    return redirect(url_for("materials.index", meeting_id=meeting.id, _anchor=anchor))


def render_page(meeting: Meeting, status: int = 200, **bound: Any) -> Any:
    """The page; ``bound``: what a refusal or a new link adds (message, errors, issued)."""
    shown: dict[str, Any] = {"issued": None, "message": None, "errors": {}} | bound
    return (
        render_template(
            "materials/index.html",
            meeting=meeting,
            grouped=queries.by_item(meeting.id),
            links=services.links_of(meeting),
            can_arrange=allowed(current_actor(), Permission.MEETING_ARRANGE, meeting),
            zone=host_zone(meeting),
            max_mb=services.max_mb(),
            accept=ACCEPT,
            kinds=accepted_labels(storage.KINDS),
            human_size=queries.human_size,
            kind_label=services.kind_label,
            now=utcnow(),
            **shown,
        ),
        status,
    )


@bp.get("/<int:meeting_id>/materials")
@requires(Permission.MEETING_VIEW)
def index(meeting_id: int) -> Any:
    return render_page(meetings.get_meeting(meeting_id, current_actor()))


@bp.post("/<int:meeting_id>/materials/items/<int:item_id>")
@requires(Permission.MEETING_ARRANGE)
@body_limit(services.body_limit_for)
def upload(meeting_id: int, item_id: int) -> Any:
    meeting = meetings.get_meeting(meeting_id, current_actor())
    item = _item(meeting, item_id)
    sent = request.files.get("file")
    try:
        material = services.upload(
            current_actor(),
            item,
            sent.stream if sent is not None and sent.filename else None,
            sent.filename if sent is not None else None,
            after_start=request.form.get("after_start") == "1",
        )
    except ServiceError as exc:
        db.session.rollback()
        return render_page(
            meeting, exc.status, message=exc.message, errors={item.id: exc.errors.get("file", [])}
        )
    flash(_("Bahan %(name)s diunggah.", name=material.filename), "success")
    return _back(meeting, f"item-{item.id}")


@bp.get("/<int:meeting_id>/materials/<int:material_id>")
@requires(Permission.MEETING_VIEW)
def download(meeting_id: int, material_id: int) -> Response:
    return file_response(queries.get_material(current_actor(), meeting_id, material_id))


@bp.route("/<int:meeting_id>/materials/<int:material_id>/delete", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def delete(meeting_id: int, material_id: int) -> Any:
    material = queries.get_material(current_actor(), meeting_id, material_id)
    meeting = material.meeting
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        name = material.filename
        services.delete(current_actor(), material)
        flash(_("Bahan %(name)s dihapus.", name=name), "success")
        return _back(meeting)
    return render_template(
        "meetings/confirm.html",
        form=form,
        title=_("Hapus bahan"),
        question=_(
            "Hapus bahan %(name)s dari mata acara %(item)s? Peserta tidak dapat lagi mengunduhnya.",
            name=material.filename,
            item=material.item.title,
        ),
        button=_("Hapus"),
        cancel_url=url_for("materials.index", meeting_id=meeting.id),
    )


@bp.post("/<int:meeting_id>/materials/items/<int:item_id>/links")
@requires(Permission.MEETING_ARRANGE)
def issue_link(meeting_id: int, item_id: int) -> Any:
    meeting = meetings.get_meeting(meeting_id, current_actor())
    item = _item(meeting, item_id)
    try:
        link, token = services.issue_link(current_actor(), item, request.form.to_dict())
    except ServiceError as exc:
        db.session.rollback()
        return render_page(meeting, exc.status, message=exc.message, link_errors=exc.errors)
    # Shown once: only its hash is kept.
    return render_page(meeting, issued={"link": link, "url": services.link_url(token)})


def _link(meeting: Meeting, link_id: int) -> SpeakerLink:
    found = db.session.get(SpeakerLink, link_id)
    if found is None or found.meeting_id != meeting.id:
        raise NotFound(_("Tautan tidak ditemukan."))
    return found


@bp.post("/<int:meeting_id>/materials/links/<int:link_id>/revoke")
@requires(Permission.MEETING_ARRANGE)
def revoke_link(meeting_id: int, link_id: int) -> Any:
    meeting = meetings.get_meeting(meeting_id, current_actor())
    link = _link(meeting, link_id)
    services.revoke_link(current_actor(), link)
    flash(_("Tautan pembicara %(name)s dicabut.", name=link.name), "success")
    return _back(meeting, "speaker-links")
