"""The home dashboard as JSON: ``GET /api/v1/dashboard``, the page's figures and lists.

The home page's script polls this every few seconds with ``If-None-Match``; an unchanged
answer is a bodiless 304, so an open dashboard on a projector costs the server one set of
aggregate queries and no rendering.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from marshmallow import fields

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, problems
from meetcoord.home import queries

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


blueprints = [blp]
