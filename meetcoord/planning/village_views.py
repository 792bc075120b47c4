"""Pages of the villages under guidance: the list, one village, IDM by hand and from a CSV
file, guidance assignments, and the quarterly evaluation's dashboard.

Handlers parse, call one service and render; a refusal re-renders the page with the
message (and the service's status), nothing changed. Reading is ``MEETING_VIEW``; IDM
values are shared directory figures (``DIRECTORY_EDIT``); assignments are the owning
institution's (``MEETING_ARRANGE``), another institution's answers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from meetcoord.access.declare import requires
from meetcoord.access.institutions import institution_choices
from meetcoord.access.permissions import Permission, allowed
from meetcoord.actions import labels as action_labels
from meetcoord.core.errors import Conflict, ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.uploads import body_limit
from meetcoord.core.validation import parse_int
from meetcoord.directory.csvimport import CsvImportError
from meetcoord.directory.models import Organization, OrgLevel
from meetcoord.extensions import db
from meetcoord.planning import guidance, idm, labels, village_dashboard, village_import, villages
from meetcoord.planning.models import IdmStatus
from meetcoord.reports import charts

bp = Blueprint("villages", __name__, url_prefix="/villages")


def csv_limit(_view_args: dict[str, Any]) -> int:
    """The upload's body: the CSV limit and room for the form around it."""
    return int(current_app.config["CSV_MAX_BYTES"]) + 64 * 1024


def _int(name: str) -> int | None:
    return parse_int(request.args.get(name), minimum=1)


def _ids(raw: list[str]) -> list[int]:
    """The ids a form sent, each within an INTEGER column's range (others are dropped)."""
    return [value for value in (parse_int(v, minimum=1) for v in raw) if value is not None]


def query_from_args() -> villages.VillageQuery:
    guided = request.args.get("guided", "")
    status = request.args.get("status", "")
    return villages.VillageQuery(
        q=request.args.get("q", "")[:200],
        region=request.args.get("region", "")[:120],
        status=IdmStatus(status) if status in {s.value for s in IdmStatus} else None,
        guided={"1": True, "0": False}.get(guided),
        organization_id=_int("organization_id"),
        page=_int("page") or 1,
        per_page=int(current_app.config["PAGE_SIZE"]),
    )


@bp.get("")
@requires(Permission.MEETING_VIEW)
def index() -> Any:
    user = current_actor()
    page = villages.list_villages(user, query_from_args())
    args = {k: v for k, v in request.args.items() if k != "page" and v != ""}
    return render_template(
        "planning/villages.html",
        page=page,
        args=args,
        statuses=labels.IDM_LABELS,
        regions=[(r, r) for r in villages.region_choices()],
        agencies=villages.agency_choices(user),
        can_edit=allowed(user, Permission.DIRECTORY_EDIT),
        can_arrange=allowed(user, Permission.MEETING_ARRANGE, somewhere=True),
    )


def trend_chart(history: list[Any]) -> Markup:
    """IDM per year as bars on the 0–1 scale (the table beside it holds the same numbers)."""
    return Markup(  # noqa: S704 - charts.bars escapes every label
        charts.bars(
            _("IDM per tahun"),
            _("Nilai IDM desa ini per tahun, skala 0 sampai 1."),
            [(str(row.year), float(row.score)) for row in history],
            chart_id="idm-trend",
            scale_max=1.0,
        )
    )


def _render_village(
    village: Organization, *, errors: Any = None, message: Any = None, status: int = 200
) -> Any:
    user = current_actor()
    page = villages.village_page(user, village)
    return render_template(
        "planning/village_detail.html",
        **page,
        chart=trend_chart(page["history"]) if page["history"] else None,
        statuses=labels.IDM_LABELS,
        movements=labels.MOVEMENT_LABELS,
        proposal_statuses=labels.STATUS_LABELS,
        contradicts=idm.contradicts,
        action_statuses=action_labels.STATUS_LABELS,
        can_edit=allowed(user, Permission.DIRECTORY_EDIT),
        can_arrange=allowed(user, Permission.MEETING_ARRANGE, somewhere=True),
        errors=errors or {},
        message=message,
        form=request.form if request.method == "POST" else {},
        running=villages.is_running,
        zone=current_app.config["HOME_TIMEZONE"],
    ), status


@bp.get("/<int:village_id>")
@requires(Permission.MEETING_VIEW)
def detail(village_id: int) -> Any:
    return _render_village(villages.get_village(village_id))


@bp.post("/<int:village_id>/idm")
@requires(Permission.DIRECTORY_EDIT)
def record_idm(village_id: int) -> Any:
    village = villages.get_village(village_id)
    replace = request.form.get("replace") == "1"
    try:
        row = villages.record_idm(current_actor(), village, dict(request.form), replace=replace)
    except (ValidationError, Conflict) as exc:
        return _render_village(village, errors=exc.errors, message=exc.message, status=exc.status)
    flash(_("Nilai IDM %(year)d tersimpan.", year=row.year), "success")
    if idm.contradicts(row.status, row.score):
        flash(_("Status yang diisi tidak sesuai dengan skornya; periksa kembali."), "warning")
    return redirect(url_for("villages.detail", village_id=village.id))


@bp.route("/idm/import", methods=["GET", "POST"])
@requires(Permission.DIRECTORY_EDIT)
@body_limit(csv_limit)
def idm_import() -> Any:
    limits = {
        "max_bytes": int(current_app.config["CSV_MAX_BYTES"]),
        "max_rows": int(current_app.config["CSV_MAX_ROWS"]),
    }
    report, status = None, 200
    if request.method == "POST":
        upload = request.files.get("file")
        raw = upload.read(limits["max_bytes"] + 1) if upload else b""
        try:
            report = village_import.import_idm(
                current_actor(), raw, replace=request.form.get("replace") == "1", **limits
            )
        except CsvImportError as exc:
            report, status = exc.report, exc.status
        else:
            flash(
                _("%(n)d nilai IDM diimpor, %(m)d diganti.", n=report.created, m=report.replaced),
                "success",
            )
    return render_template(
        "planning/village_import.html",
        report=report,
        header=village_import.TEMPLATE_HEADER,
        max_kb=limits["max_bytes"] // 1024,
        max_rows=limits["max_rows"],
    ), status


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.form.get(name, "").strip())
    except ValueError:
        return None


def _guidance_form(errors: Any = None, message: Any = None, status: int = 200) -> Any:
    user = current_actor()
    village_rows = db.session.execute(
        db.select(Organization.id, Organization.name, Organization.region)
        .where(Organization.level == OrgLevel.VILLAGE)
        .order_by(Organization.name)
        .limit(2000)
    ).all()
    agencies = db.session.execute(
        db.select(Organization.id, Organization.name)
        .where(Organization.level != OrgLevel.VILLAGE)
        .order_by(Organization.name)
        .limit(2000)
    ).all()
    return render_template(
        "planning/village_guidance.html",
        villages=village_rows,
        agencies=agencies,
        institutions=institution_choices(user),
        errors=errors or {},
        message=message,
        form=request.form,
        chosen=set(_ids(request.form.getlist("village_ids"))),
    ), status


@bp.route("/guidance/new", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def guidance_new() -> Any:
    if request.method == "GET":
        return _guidance_form()
    form = request.form
    data = {
        "institution_id": parse_int(form.get("institution_id"), minimum=1),
        "organization_id": parse_int(form.get("organization_id"), minimum=1),
        "village_ids": _ids(form.getlist("village_ids")),
        "starts_on": _date("starts_on"),
        "ends_on": _date("ends_on"),
        "decree_number": form.get("decree_number", ""),
        "decree_date": _date("decree_date"),
    }
    try:
        made = guidance.assign(current_actor(), data)
    except ValidationError as exc:
        return _guidance_form(exc.errors, exc.message, exc.status)
    flash(_("%(n)d desa binaan ditugaskan.", n=len(made)), "success")
    return redirect(url_for("villages.detail", village_id=made[0].village_id))


@bp.post("/guidance/<int:assignment_id>/end")
@requires(Permission.MEETING_ARRANGE)
def guidance_end(assignment_id: int) -> Any:
    row = guidance.get_assignment(current_actor(), assignment_id)
    try:
        guidance.end(current_actor(), row, _date("ends_on"))
    except ValidationError as exc:
        return _render_village(
            row.village, errors=exc.errors, message=exc.message, status=exc.status
        )
    flash(_("Penugasan pembinaan diakhiri."), "success")
    return redirect(url_for("villages.detail", village_id=row.village_id))


@bp.get("/dashboard")
@requires(Permission.MEETING_VIEW)
def dashboard() -> Any:
    user = current_actor()
    board = village_dashboard.dashboard(user, _int("institution_id"))
    return render_template(
        "planning/village_dashboard.html",
        board=board,
        movements=labels.MOVEMENT_LABELS,
        statuses=labels.IDM_LABELS,
        limit=village_dashboard.MAX_VILLAGES,
    )
