"""A meeting's synchronisation matrix as JSON under ``/api/v1/meetings/<id>/matrix``.

The rows with their totals (filtered, paginated); putting proposals on the matrix; and
the REST twins of the live commands ``proposal.mark`` and ``proposal.confirm``. The twins
call the very services the socket calls (``live.matrix``, through ``live.log.run``), with
the ``Idempotency-Key`` header as the command's nonce: a repeated key answers with the
first result, the change appears at every site as a socket command's does, and the body
is loaded by the socket's own schema, so both refuse the same input in the same words.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import permissions, resolve
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, Int, QueryInt, Text, problems
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.extensions import db
from meetcoord.live import matrix as live_matrix
from meetcoord.live import schemas as live_schemas
from meetcoord.meetings.models import Meeting
from meetcoord.planning import matrix
from meetcoord.planning import totals as sums
from meetcoord.planning.models import FundSource, ProposalField, SyncMark

blp = ApiBlueprint(
    "matrix_api",
    __name__,
    url_prefix="/meetings",
    description="Matriks sinkronisasi usulan sebuah rapat: baris, jumlah, penandaan, konfirmasi.",
)
READ = (401, 404, 422)
WRITE = (401, 403, 404, 409, 422)
KEY_HEADER = "Idempotency-Key"
NO_KEY = _l("Kirim header Idempotency-Key (1–64 karakter) agar pengiriman ulang aman.")
STATUSES = ["discussed", "accommodated", "carried", "merged", "not_accommodated", "disputed"]


class MatrixArgs(ApiSchema):
    organization_id = QueryInt(load_default=None)
    village_id = QueryInt(load_default=None)
    field = Text(load_default=None, validate=validate.OneOf([f.value for f in ProposalField]))
    fund_source = Text(load_default=None, validate=validate.OneOf([f.value for f in FundSource]))
    status = Text(load_default=None, validate=validate.OneOf(STATUSES))
    order = Text(load_default="added", validate=validate.OneOf(["added", "score"]))
    page = QueryInt(load_default=1, validate=validate.Range(min=1))
    per_page = QueryInt(load_default=100, validate=validate.Range(min=1, max=500))


class RowSchema(ApiSchema):
    id = fields.Integer()
    proposal_id = fields.Integer()
    title = fields.String()
    proposer = fields.String()
    village_id = fields.Integer(allow_none=True)
    village = fields.String(allow_none=True)
    field = fields.String()
    sector = fields.String(allow_none=True)
    fund_source = fields.String()
    budget = fields.Integer(allow_none=True)
    score = fields.Float(allow_none=True)
    proposal_year = fields.Integer()
    outcome = fields.String(allow_none=True)
    organization_id = fields.Integer(allow_none=True)
    organization = fields.String(allow_none=True)
    programme = fields.String(allow_none=True)
    activity = fields.String(allow_none=True)
    plan_document = fields.String(allow_none=True)
    plan_year = fields.Integer(allow_none=True)
    amount = fields.Integer(allow_none=True)
    carried_to = fields.String(allow_none=True)
    merged_with_id = fields.Integer(allow_none=True)
    merged_with = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    confirmation = fields.String()
    confirmation_note = fields.String(allow_none=True)
    confirmed_by = fields.String(allow_none=True)
    marked_by = fields.String(allow_none=True)
    version = fields.Integer()


class MatrixPageSchema(ApiSchema):
    items = fields.List(fields.Nested(RowSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()
    totals = fields.Dict(
        metadata={"description": "Jumlah seluruh matriks: per instansi dan per desa."}
    )
    filtered_totals = fields.Dict(metadata={"description": "Jumlah baris yang tersaring."})
    locked = fields.Boolean()


class AddSchema(ApiSchema):
    village_ids = fields.List(Int(), load_default=list)
    plan_year = Int(load_default=None, allow_none=True)
    field = Text(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf([f.value for f in ProposalField]),
    )
    proposal_ids = fields.List(Int(), load_default=list)


class CommandAckSchema(ApiSchema):
    seq = fields.Integer()
    added = fields.Integer(allow_none=True)
    mark = fields.Nested(RowSchema, allow_none=True)


def _meeting(id: int, permission: Permission) -> tuple[Meeting, Actor]:
    """The meeting (404 outside the account's reach) and the account bound to it."""
    user = resolve.account()
    meeting = db.session.get(Meeting, id)
    if meeting is None:
        raise NotFound(_l("Rapat tidak ditemukan."))
    permissions.visible(user, meeting)
    permissions.require(user, permission, meeting)
    return meeting, resolve.staff(user, meeting)


def _key(required: bool = True) -> str | None:
    key = request.headers.get(KEY_HEADER)
    if required and not key:
        raise ValidationError(NO_KEY, errors={KEY_HEADER: [NO_KEY]})
    return key


def _mark_row(meeting_id: int, mark_id: int) -> dict[str, Any]:
    mark = db.session.get(SyncMark, mark_id)
    if mark is None or mark.meeting_id != meeting_id:
        raise NotFound(matrix.NOT_ON_MATRIX)
    db.session.refresh(mark)
    return matrix.mark_dict(mark)


@blp.route("/<int:id>/matrix")
class Matrix(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Matriks sinkronisasi rapat",
        description="Baris matriks (urut masuk atau skor) dengan saringan instansi, desa, "
        "bidang, sumber dana dan status, serta jumlah per instansi dan per desa.",
    )
    @blp.arguments(MatrixArgs, location="query")
    @blp.response(200, MatrixPageSchema)
    @problems(blp, *READ)
    def get(self, args: dict[str, Any], id: int) -> dict[str, Any]:
        meeting, _actor = _meeting(id, Permission.MEETING_VIEW)
        rows = matrix.matrix_rows(meeting.id)
        chosen = sums.MatrixFilter(
            **{k: args[k] for k in ("organization_id", "village_id", "field", "fund_source")},
            status=args["status"],
        )
        picked = [r for r in rows if chosen(r)]
        if args["order"] == "score":
            picked = sums.by_score(picked)
        per_page, total = args["per_page"], len(picked)
        pages = max(1, -(-total // per_page))
        page = min(args["page"], pages)
        return {
            "items": picked[(page - 1) * per_page : page * per_page],
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": pages,
            "totals": sums.totals(rows),
            "filtered_totals": sums.totals(picked),
            "locked": matrix.matrix_locked(meeting.id),
        }

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Masukkan usulan ke matriks",
        description="Usulan lembaga rapat yang cocok (desa, tahun rencana, bidang, atau id) "
        f"dan belum ada di matriks; paling banyak {matrix.MATRIX_MAX} baris. Header "
        f"{KEY_HEADER} (opsional) membuat pengiriman ulang aman.",
    )
    @blp.arguments(AddSchema)
    @blp.response(201, CommandAckSchema)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> dict[str, Any]:
        meeting, actor = _meeting(id, Permission.MEETING_ARRANGE)
        chosen = matrix.Selection(**data)
        seq, added = live_matrix.add_proposals(actor, meeting.id, chosen, _key(required=False))
        return {"seq": seq, "added": added, "mark": None}


MarkBody = live_schemas.ProposalMark(exclude=("nonce", "mark_id"))
ConfirmBody = live_schemas.ProposalConfirm(exclude=("nonce", "mark_id"))


@blp.route("/<int:id>/matrix/<int:mark_id>/mark")
class Mark(MethodView):
    @requires(Permission.LIVE_RECORD)
    @blp.doc(
        summary="Tandai satu baris matriks",
        description="Sama dengan perintah langsung proposal.mark; header "
        f"{KEY_HEADER} wajib dan berlaku sebagai nonce perintah.",
    )
    @blp.arguments(MarkBody)
    @blp.response(200, CommandAckSchema)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int, mark_id: int) -> dict[str, Any]:
        meeting, actor = _meeting(id, Permission.LIVE_RECORD)
        key = _key()
        seq, _none = live_matrix.mark_proposal(actor, meeting.id, {**data, "mark_id": mark_id}, key)
        return {"seq": seq, "added": None, "mark": _mark_row(meeting.id, mark_id)}


@blp.route("/<int:id>/matrix/<int:mark_id>/confirm")
class Confirm(MethodView):
    @requires(Permission.LIVE_WATCH)
    @blp.doc(
        summary="Konfirmasi atau sanggah satu baris",
        description="Sama dengan perintah langsung proposal.confirm; header "
        f"{KEY_HEADER} wajib dan berlaku sebagai nonce perintah.",
    )
    @blp.arguments(ConfirmBody)
    @blp.response(200, CommandAckSchema)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int, mark_id: int) -> dict[str, Any]:
        meeting, actor = _meeting(id, Permission.LIVE_WATCH)
        key = _key()
        body = {**data, "mark_id": mark_id}
        seq, _none = live_matrix.confirm_proposal(actor, meeting.id, body, key)
        return {"seq": seq, "added": None, "mark": _mark_row(meeting.id, mark_id)}


blueprints = [blp]
