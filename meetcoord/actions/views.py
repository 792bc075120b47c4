"""The tracker's pages for staff: every action across meetings, and one action's page
with its history, progress form, due-date change, and the secretariat's verify/drop.

Views parse, call one service, and render; a refusal re-renders the action's page with
the message beside the field it belongs to (and the service's status code), nothing
changed. Evidence files are served as attachments with private headers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission, allowed
from meetcoord.access.scope import NOT_FOUND
from meetcoord.actions import agency, evidence, exports, filters, labels, queries, services
from meetcoord.actions.models import Action, ActionEvidence
from meetcoord.core.errors import Conflict, NotFound, ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.uploads import body_limit
from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from meetcoord.meetings import links

bp = Blueprint("actions", __name__, url_prefix="/actions")

DETAIL = "actions/detail.html"
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def upload_limit(_view_args: dict[str, Any]) -> int:
    """A progress update's body: its files (up to the evidence limit each) and the form."""
    return int(current_app.config["EVIDENCE_MAX_BYTES"]) * services.MAX_FILES + 64 * 1024


@bp.get("")
@requires(Permission.MEETING_VIEW)
def index() -> Any:
    """Every action of the meetings the reader may see, filtered, sorted and paged."""
    user = current_actor()
    query = filters.from_args(request.args, current_app.config["PAGE_SIZE"])
    page = queries.list_actions(user, query)
    args = {key: value for key, value in request.args.items() if key != "page" and value != ""}
    return render_template(
        "actions/list.html",
        page=page,
        query=query,
        args=args,
        choices=filters.choices(user),
        statuses=labels.STATUS_LABELS,
        sorts=labels.SORT_LABELS,
        today=queries.today(),
        is_overdue=queries.is_overdue,
        zone=current_app.config["HOME_TIMEZONE"],
    )


@bp.get("/export.<fmt>")
@requires(Permission.MEETING_VIEW)
def export(fmt: str) -> Response:
    """The tracker's rows for the same query string (filters and sort), as CSV or XLSX."""
    if fmt not in exports.FORMATS:
        raise NotFound(NOT_FOUND)
    query = filters.from_args(request.args, current_app.config["PAGE_SIZE"])
    return exports.download(current_actor(), query, fmt)


def _render(action: Action, *, message: Any = None, errors: Any = None, status: int = 200) -> Any:
    user = current_actor()
    return render_template(
        DETAIL,
        action=action,
        history=queries.history(action),
        statuses=labels.STATUS_LABELS,
        kinds=labels.KIND_LABELS,
        field_labels=labels.FIELD_LABELS,
        id_fields=labels.ID_FIELDS,
        overdue=queries.is_overdue(action),
        can_update=allowed(user, Permission.ACTION_UPDATE, action),
        can_arrange=allowed(user, Permission.MEETING_ARRANGE, action),
        message=message,
        errors=errors or {},
        form=request.form if request.method == "POST" else {},
        zone=current_app.config["HOME_TIMEZONE"],
        max_mb=round(current_app.config["EVIDENCE_MAX_BYTES"] / (1024 * 1024), 1),
    ), status


@bp.get("/<int:action_id>")
@requires(Permission.MEETING_VIEW)
def detail(action_id: int) -> Any:
    return _render(queries.get_action(current_actor(), action_id))


def _attempt(action_id: int, run: Any, done: str) -> Any:
    """Run one service on the action; flash and go back, or show the refusal in place."""
    action = queries.get_action(current_actor(), action_id)
    try:
        run(current_actor(), action)
    except (ValidationError, Conflict) as exc:
        return _render(action, message=exc.message, errors=exc.errors, status=exc.status)
    flash(done, "success")
    return redirect(url_for("actions.detail", action_id=action.id))


@bp.post("/<int:action_id>/updates")
@requires(Permission.ACTION_UPDATE)
@body_limit(upload_limit)
def update(action_id: int) -> Any:
    """A progress update: note, percentage or milestone, status, evidence files."""
    uploads = [
        services.read_upload(f.stream, f.filename)
        for f in request.files.getlist("evidence")
        if f.filename
    ]
    data = request.form.to_dict()
    return _attempt(
        action_id,
        lambda who, action: services.add_update(who, action, data, uploads),
        _("Pembaruan tersimpan."),
    )


@bp.post("/<int:action_id>/due")
@requires(Permission.MEETING_ARRANGE)
def due(action_id: int) -> Any:
    data = request.form.to_dict()
    return _attempt(
        action_id,
        lambda who, action: services.change_due(who, action, data),
        _("Tenggat diubah."),
    )


@bp.post("/<int:action_id>/verify")
@requires(Permission.MEETING_ARRANGE)
def verify(action_id: int) -> Any:
    data = {"status": "verified", "note": request.form.get("note")}
    return _attempt(
        action_id,
        lambda who, action: services.change_status(who, action, data),
        _("Tindak lanjut diverifikasi."),
    )


@bp.post("/<int:action_id>/drop")
@requires(Permission.MEETING_ARRANGE)
def drop(action_id: int) -> Any:
    data = {"status": "dropped", "reason": request.form.get("reason")}
    return _attempt(
        action_id,
        lambda who, action: services.change_status(who, action, data),
        _("Tindak lanjut dihentikan."),
    )


def file_response(found: ActionEvidence) -> Response:
    """An evidence file as a download, never rendered by the browser."""
    path = evidence.path_for(current_app.instance_path, found.storage_key)
    try:
        data = path.read_bytes()  # bounded by the evidence limit
    except FileNotFoundError:
        raise NotFound(NOT_FOUND) from None
    response = Response(data, mimetype=found.content_type)
    response.headers["Content-Disposition"] = content_disposition(found.filename)
    response.headers.update(FILE_HEADERS)
    return response


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@bp.get("/<int:action_id>/evidence/<int:evidence_id>")
@requires(Permission.MEETING_VIEW)
def evidence_file(action_id: int, evidence_id: int) -> Response:
    return file_response(queries.get_evidence(current_actor(), action_id, evidence_id))


# --- standing agency links (issued from the organization's directory page) --------------


@bp.post("/agency-links/<int:org_id>")
@requires(Permission.MEETING_ARRANGE)
def issue_agency_link(org_id: int) -> Any:
    """Issue a standing link and show it once: it is never stored, so never shown again."""
    organization = db.session.get(Organization, org_id)
    if organization is None:
        raise NotFound(NOT_FOUND)
    try:
        link, token = agency.issue(current_actor(), organization, request.form.get("label"))
    except ValidationError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("directory.organization_detail", org_id=org_id))
    response = make_response(
        render_template(
            "actions/agency_link_issued.html",
            organization=organization,
            link=link,
            url=links.absolute(url_for("portal.agency_page", agency_token=token)),
        )
    )
    response.headers.update({"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
    return response


@bp.post("/agency-links/<int:org_id>/<int:link_id>/revoke")
@requires(Permission.MEETING_ARRANGE)
def revoke_agency_link(org_id: int, link_id: int) -> Any:
    agency.revoke(current_actor(), agency.get_link(org_id, link_id))
    flash(_("Tautan tetap dicabut; tautan itu tidak berlaku lagi."), "success")
    return redirect(url_for("directory.organization_detail", org_id=org_id))


def agency_links_helper() -> dict[str, Any]:
    """``agency_links_for(organization)`` for the organization's page: its standing links
    (labels and dates, never a token) for staff who may issue them, else None."""

    def agency_links_for(organization: Organization) -> list[Any] | None:
        user = resolve.account()
        if not allowed(user, Permission.MEETING_ARRANGE, somewhere=True):
            return None
        return agency.links_of(user, organization.id)

    return {"agency_links_for": agency_links_for}


bp.app_context_processor(agency_links_helper)
