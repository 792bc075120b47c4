"""The planning pages (blueprint ``planning``): proposals listed, read, entered, edited,
merged, and imported from a spreadsheet in three steps (upload, map the columns, import).

Reading needs ``MEETING_VIEW`` (any member of the owning institution, a viewer too);
every change needs ``MEETING_ARRANGE`` on the proposal's institution (its admin or
secretariat), checked by the services through ``access.permissions``. Another
institution's proposal is not found. Refusals re-render the page with the messages
beside the fields or rows, with the service's status, nothing changed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.institutions import institution_choices
from meetcoord.access.permissions import Permission, allowed
from meetcoord.core.errors import ServiceError
from meetcoord.core.forms import current_actor
from meetcoord.core.uploads import body_limit
from meetcoord.planning import imports, labels, proposals
from meetcoord.planning.importing import REQUIRED, TARGET_LABELS, TARGETS
from meetcoord.planning.models import FundSource, ProposalField, ProposalStatus
from meetcoord.planning.proposals import ProposalQuery

bp = Blueprint("planning", __name__, url_prefix="/planning")


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _enum(enum_cls: Any, value: str | None) -> Any:
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def query_from_args(args: Any, per_page: int) -> ProposalQuery:
    """The list's query from a query string; a value that makes no sense is ignored."""
    sort = args.get("sort", "priority_score")
    return ProposalQuery(
        q=args.get("q", "")[:200],
        institution_id=_int(args.get("institution_id")),
        village_id=_int(args.get("village_id")),
        field=_enum(ProposalField, args.get("field")),
        fund_source=_enum(FundSource, args.get("fund_source")),
        plan_year=_int(args.get("plan_year")),
        status=_enum(ProposalStatus, args.get("status")),
        sort=sort if sort in proposals.SORTS else "priority_score",
        descending=args.get("order", "desc" if sort == "priority_score" else "asc") == "desc",
        page=_int(args.get("page")) or 1,
        per_page=per_page,
    )


def _choices() -> dict[str, Any]:
    return {
        "fields": [(m.value, label) for m, label in labels.FIELD_LABELS.items()],
        "sources": [(m.value, label) for m, label in labels.FUND_SOURCE_LABELS.items()],
        "statuses": [(m.value, label) for m, label in labels.STATUS_LABELS.items()],
        "proposers": [(m.value, label) for m, label in labels.PROPOSER_LABELS.items()],
        "villages": proposals.village_choices(),
    }


def _names() -> dict[str, Any]:
    return {
        "field_labels": labels.FIELD_LABELS,
        "source_labels": labels.FUND_SOURCE_LABELS,
        "status_labels": labels.STATUS_LABELS,
        "proposer_labels": labels.PROPOSER_LABELS,
        "outcome_labels": labels.OUTCOME_LABELS,
        "forum_labels": labels.FORUM_LABELS,
        "confirmation_labels": labels.CONFIRMATION_LABELS,
    }


@bp.get("/proposals")
@requires(Permission.MEETING_VIEW)
def proposal_list() -> Any:
    query = query_from_args(request.args, current_app.config["PAGE_SIZE"])
    page = proposals.list_proposals(current_actor(), query)
    args = {k: v for k, v in request.args.items() if k != "page" and v != ""}
    return render_template(
        "planning/proposals_list.html",
        page=page,
        query=query,
        args=args,
        can_change=allowed(current_actor(), Permission.MEETING_ARRANGE, somewhere=True),
        **_choices(),
        **_names(),
    )


@bp.get("/proposals/<int:proposal_id>")
@requires(Permission.MEETING_VIEW)
def proposal_detail(proposal_id: int) -> Any:
    return _detail(proposals.get_proposal(current_actor(), proposal_id))


def _detail(proposal: Any, *, message: Any = None, errors: Any = None, status: int = 200) -> Any:
    return render_template(
        "planning/proposals_detail.html",
        proposal=proposal,
        marks=proposals.marks_of(proposal),
        twins=proposals.likely_twins(proposal),
        can_change=allowed(current_actor(), Permission.MEETING_ARRANGE, proposal),
        message=message,
        errors=errors or {},
        zone=current_app.config["HOME_TIMEZONE"],
        **_names(),
    ), status


def _form(proposal: Any, *, errors: Any = None, message: Any = None, status: int = 200) -> Any:
    form = request.form if request.method == "POST" else {}
    return render_template(
        "planning/proposals_form.html",
        proposal=proposal,
        form=form,
        errors=errors or {},
        message=message,
        institutions=institution_choices(current_actor()) if proposal is None else [],
        **_choices(),
    ), status


def _form_data() -> dict[str, Any]:
    names = ("title", "village_id", "field", "fund_source", "plan_year", "budget")
    names += ("priority_score", "sector", "proposer_kind", "proposer_name", "source_document")
    return {name: request.form.get(name, "") for name in (*names, "external_ref")}


@bp.route("/proposals/new", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def proposal_new() -> Any:
    if request.method == "GET":
        return _form(None)
    try:
        made = proposals.save_proposal(
            current_actor(), None, _form_data(), _int(request.form.get("institution_id"))
        )
    except ServiceError as exc:
        return _form(None, errors=exc.errors, message=exc.message, status=exc.status)
    flash(_("Usulan tersimpan."), "success")
    return redirect(url_for("planning.proposal_detail", proposal_id=made.id))


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def proposal_edit(proposal_id: int) -> Any:
    proposal = proposals.get_proposal(current_actor(), proposal_id)
    if request.method == "GET":
        return _form(proposal)
    try:
        proposals.save_proposal(current_actor(), proposal, _form_data())
    except ServiceError as exc:
        return _form(proposal, errors=exc.errors, message=exc.message, status=exc.status)
    flash(_("Usulan tersimpan."), "success")
    return redirect(url_for("planning.proposal_detail", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/merge")
@requires(Permission.MEETING_ARRANGE)
def proposal_merge(proposal_id: int) -> Any:
    proposal = proposals.get_proposal(current_actor(), proposal_id)
    try:
        proposals.merge(current_actor(), proposal, _int(request.form.get("into_id")))
    except ServiceError as exc:
        return _detail(proposal, message=exc.message, errors=exc.errors, status=exc.status)
    flash(_("Usulan digabung."), "success")
    return redirect(url_for("planning.proposal_detail", proposal_id=proposal.id))


# --- import ---------------------------------------------------------------------------


def upload_limit(_view_args: dict[str, Any]) -> int:
    return imports.limits()["max_bytes"] + 64 * 1024


def _upload_page(*, message: Any = None, errors: Any = None, status: int = 200) -> Any:
    bounds = imports.limits()
    return render_template(
        "planning/proposals_import.html",
        message=message,
        errors=errors or {},
        institutions=institution_choices(current_actor()),
        form=request.form,
        max_kb=bounds["max_bytes"] // 1024,
        max_rows=bounds["max_rows"],
        targets=[(t, TARGET_LABELS[t], t in REQUIRED) for t in TARGETS],
    ), status


@bp.route("/proposals/import", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
@body_limit(upload_limit)
def proposal_import() -> Any:
    """Step 1: the file, bounded and read in the sandbox, kept for the mapping step."""
    if request.method == "GET":
        return _upload_page()
    upload = request.files.get("file")
    try:
        token = imports.start(
            current_actor(),
            upload.read() if upload else b"",
            _int(request.form.get("institution_id")),
        )
    except ServiceError as exc:
        return _upload_page(message=exc.message, errors=exc.errors, status=exc.status)
    return redirect(url_for("planning.proposal_import_map", token=token))


def _mapping_from_form(width: int) -> dict[str, int | None]:
    mapping: dict[str, int | None] = {}
    for target in TARGETS:
        value = _int(request.form.get(f"map_{target}"))
        mapping[target] = value if value is not None and value < width else None
    return mapping


def _decisions_from_form() -> dict[int, str]:
    found: dict[int, str] = {}
    for key, value in request.form.items():
        if key.startswith("dup_") and key[4:].isdigit() and value in (imports.SKIP, imports.IMPORT):
            found[int(key[4:])] = value
    return found


@bp.route("/proposals/import/<token>", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def proposal_import_map(token: str) -> Any:
    """Step 2 and 3: the columns mapped (pre-filled), checked, then imported."""
    user = current_actor()
    institution_id, table = imports.kept(user, token)
    if request.method == "GET":
        mapping, checked, status = imports.prefill(table), None, 200
    else:
        mapping = _mapping_from_form(len(table.headers))
        region = request.form.get("region", "")[:120]
        try:
            if request.form.get("step") == "import":
                decisions = _decisions_from_form()
                created, skipped = imports.run(
                    user, institution_id, table, mapping, decisions, region, token=token
                )
                imports.forget(token)
                flash(_("%(n)d usulan diimpor, %(s)d dilewati.", n=created, s=skipped), "success")
                return redirect(url_for("planning.proposal_list"))
            checked, status = (
                imports.preview(user, institution_id, table, mapping, region, token),
                200,
            )
            if checked.problems:
                status = 422
        except ServiceError as exc:
            checked = imports.preview(user, institution_id, table, mapping, region, token)
            status = exc.status
    return render_template(
        "planning/proposals_import_map.html",
        token=token,
        table=table,
        sample=table.rows[:3],
        mapping=mapping,
        checked=checked,
        decisions=_decisions_from_form() if request.method == "POST" else {},
        region=request.form.get("region", ""),
        targets=[(t, TARGET_LABELS[t], t in REQUIRED) for t in TARGETS],
    ), status
