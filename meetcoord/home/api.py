"""The home page as JSON: ``GET /api/v1/dashboard``, the page's figures and lists;
``GET /api/v1/home/upcoming`` and ``GET /api/v1/home/checklist``, its first screen.

The home page's script polls this every few seconds with ``If-None-Match``; an unchanged
answer is a bodiless 304, so an open dashboard on a projector costs the server one set of
aggregate queries and no rendering.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from marshmallow import fields, validate

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission, allowed
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, QueryInt, page_schema, problems
from meetcoord.home import queries
from meetcoord.home.checklist import STEP_KEYS, checklist
from meetcoord.home.upcoming import GAP_KEYS, PER_PAGE, upcoming

blp = ApiBlueprint(
    "dashboard_api",
    __name__,
    url_prefix="/dashboard",
    description="Beranda staf: rapat mendatang, dokumen, tindak lanjut, surat gagal.",
)


class MeetingRowSchema(ApiSchema):
    id = fields.Integer()
    title = fields.String()
    start_at = fields.AwareDateTime(metadata={"description": "UTC."})
    status = fields.String()
    missing = fields.List(
        fields.String(),
        metadata={"description": "chair, minute_taker, invitations (belum dikirim), quorum."},
    )


class DocumentRowSchema(ApiSchema):
    id = fields.Integer()
    meeting_id = fields.Integer()
    title = fields.String()
    status = fields.String(metadata={"description": "circulated (ditinjau) atau final."})
    meeting_title = fields.String()
    comment_deadline_at = fields.AwareDateTime(allow_none=True)
    next_signatory = fields.String(allow_none=True)
    my_signature = fields.Boolean(metadata={"description": "Menunggu tanda tangan Anda."})


class MailRowSchema(ApiSchema):
    id = fields.Integer()
    recipient = fields.String()
    subject = fields.String()
    created_at = fields.AwareDateTime()


class HomeDashboardSchema(ApiSchema):
    meetings_total = fields.Integer(metadata={"description": "Rapat dalam 30 hari ke depan."})
    meetings_incomplete = fields.Integer(metadata={"description": "Yang masih kurang sesuatu."})
    meetings = fields.List(fields.Nested(MeetingRowSchema))
    documents_total = fields.Integer()
    documents = fields.List(fields.Nested(DocumentRowSchema))
    actions_overdue = fields.Integer()
    actions_done = fields.Integer(metadata={"description": "Selesai, menunggu verifikasi."})
    actions_open = fields.Integer()
    mail_failed = fields.Integer(
        allow_none=True, metadata={"description": "null: akun ini tidak membuka surat keluar."}
    )
    mail = fields.List(fields.Nested(MailRowSchema))
    has_meetings = fields.Boolean()


def etag_of(board: queries.Dashboard) -> tuple[str, bool]:
    """``(etag, unchanged)`` of what the answer would say: unchanged when the client
    already holds this ETag (the figures and lists as the schema writes them)."""
    tag = queries.fingerprint(HomeDashboardSchema().dump(board))
    return tag, tag in request.if_none_match


@blp.route("")
class Dashboard(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Angka beranda",
        description="Angka dan daftar pendek beranda staf, dalam lingkup lembaga akun ini. "
        "Jawaban membawa ETag; kirim `If-None-Match` untuk 304 bila tidak berubah.",
    )
    @blp.response(200, HomeDashboardSchema)
    @blp.alt_response(304, description="Tidak berubah sejak ETag yang dikirim.")
    @problems(blp, 401)
    def get(self) -> Any:
        board = queries.dashboard(resolve.account())
        tag, unchanged = etag_of(board)
        headers = {"Cache-Control": "private, no-cache"}
        if unchanged:
            response = Response(status=304, headers=headers)
            response.set_etag(tag)
            return response
        return board, 200, {**headers, "ETag": f'"{tag}"'}


home_blp = ApiBlueprint(
    "home_api",
    __name__,
    url_prefix="/home",
    description="Beranda staf: rapat mendatang dengan kekurangannya, langkah pertama.",
)


class HomeGapSchema(ApiSchema):
    key = fields.String(metadata={"description": "Salah satu dari: " + ", ".join(GAP_KEYS)})
    count = fields.Integer(allow_none=True, metadata={"description": "Berapa, bila terhitung."})
    url = fields.String(metadata={"description": "Halaman untuk melengkapinya (path)."})


class HomeUpcomingMeetingSchema(ApiSchema):
    id = fields.Integer()
    title = fields.String()
    start_at = fields.AwareDateTime(metadata={"description": "UTC."})
    end_at = fields.AwareDateTime(metadata={"description": "UTC."})
    status = fields.String(metadata={"description": "draft, scheduled atau live."})
    url = fields.String()
    can_arrange = fields.Boolean(metadata={"description": "Akun ini boleh mengaturnya."})
    missing = fields.List(fields.Nested(HomeGapSchema))


class HomeUpcomingArgsSchema(ApiSchema):
    page = QueryInt(load_default=1, validate=validate.Range(min=1))
    per_page = QueryInt(load_default=PER_PAGE, validate=validate.Range(min=1, max=100))


class HomeChecklistStepSchema(ApiSchema):
    key = fields.String(metadata={"description": "Salah satu dari: " + ", ".join(STEP_KEYS)})
    done = fields.Boolean()
    url = fields.String(
        allow_none=True, metadata={"description": "null: akun ini tidak dapat melakukannya."}
    )


class HomeChecklistSchema(ApiSchema):
    applies = fields.Boolean(metadata={"description": "false: akun baca-saja, tanpa langkah."})
    complete = fields.Boolean()
    steps = fields.List(fields.Nested(HomeChecklistStepSchema))


@home_blp.route("/upcoming")
class Upcoming(MethodView):
    @requires(Permission.MEETING_VIEW)
    @home_blp.doc(
        summary="Rapat mendatang",
        description="Rapat yang belum selesai dari lembaga akun ini, yang terdekat dulu, "
        "masing-masing dengan yang masih kurang dan tautan untuk melengkapinya.",
    )
    @home_blp.arguments(HomeUpcomingArgsSchema, location="query")
    @home_blp.response(200, page_schema(HomeUpcomingMeetingSchema))
    @problems(home_blp, 401, 422)
    def get(self, args: dict[str, Any]) -> Any:
        user = resolve.account()
        mail = allowed(user, Permission.MEETING_ARRANGE)  # as the dashboard's mail panel
        return upcoming(user, args["page"], args["per_page"], can_see_mail=mail)


@home_blp.route("/checklist")
class FirstRun(MethodView):
    @requires(Permission.MEETING_VIEW)
    @home_blp.doc(
        summary="Langkah pertama",
        description="Daftar periksa instalasi baru: kop surat, tempat, orang, rapat pertama; "
        "tiap langkah dicentang dari data yang ada.",
    )
    @home_blp.response(200, HomeChecklistSchema)
    @problems(home_blp, 401)
    def get(self) -> Any:
        found = checklist(resolve.account())
        if found is None:
            return {"applies": False, "complete": True, "steps": []}
        return {"applies": True, "complete": found.complete, "steps": found.steps}


blueprints = [blp, home_blp]
