"""The event report as JSON under ``/api/v1``: read it, start it, save it, and its files.

``GET /meetings/<id>/report`` answers the report with its version as ``ETag``; ``PUT``
takes the sections with the version they were read at, as ``If-Match`` (a stale one: 412)
or as the body's ``version`` (a stale one: 409, as the page says it). Both carry the stored
version in the problem (``version``) so a client can fetch, merge and try again. The PDF,
the DOCX and a series' book are the same files the pages give.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, Bool, Int, Text, choice_of, problems
from meetcoord.core.errors import ValidationError
from meetcoord.eventreports import services, views
from meetcoord.eventreports.models import SECTION_MAX, EventReport

blp = ApiBlueprint(
    "eventreports_api",
    __name__,
    url_prefix="",
    description="Laporan kegiatan rapat: teks per bagian, data rapat, PDF, DOCX, buku seri.",
)
FILE = {"type": "string", "format": "binary"}
NO_VERSION = _l("Sebutkan versi yang dibaca: header If-Match atau kolom version.")
ETAG_HEADER = {"ETag": {"description": 'Versi laporan, mis. "3".', "schema": {"type": "string"}}}

_actor = resolve.account


def _section() -> Text:
    return Text(allow_none=True, metadata={"maxLength": SECTION_MAX})


class EventReportSections(ApiSchema):
    background = _section()
    purpose = _section()
    proceedings = _section()
    sessions = fields.Dict(
        keys=fields.String(),
        values=Text(),
        metadata={"description": "Ringkasan per agenda: {id agenda: teks}."},
    )
    conclusions = _section()
    recommendations = _section()
    closing = _section()


class EventReportOut(ApiSchema):
    id = fields.Integer()
    meeting_id = fields.Integer()
    status = fields.String(metadata={"enum": ["draft", "final"]})
    version = fields.Integer()
    sections = fields.Nested(EventReportSections)
    facts = fields.Dict(metadata={"description": "Data rapat (eventreports.facts), hanya baca."})
    facts_at = fields.AwareDateTime(allow_none=True)
    finalized_at = fields.AwareDateTime(allow_none=True)
    updated_at = fields.AwareDateTime()


class EventReportIn(ApiSchema):
    sections = fields.Nested(EventReportSections, required=True)
    version = Int(metadata={"description": "Versi yang dibaca (bila tanpa If-Match)."})
    refresh_facts = Bool(load_default=False)
    status = choice_of(["draft", "final"], load_default="draft")


def _if_match() -> int | None:
    raw = request.headers.get("If-Match")
    if not raw:
        return None
    return services.parse_version(raw.strip().removeprefix("W/").strip('"'))


def _answer(report: EventReport, status: int = 200) -> tuple[EventReport, int, dict[str, str]]:
    return report, status, {"ETag": report.etag}


@blp.route("/meetings/<int:id>/report")
class EventReportResource(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Laporan kegiatan rapat")
    @blp.response(200, EventReportOut, headers=ETAG_HEADER)
    @problems(blp, 401, 404)
    def get(self, id: int) -> Any:
        meeting = services.get_meeting(_actor(), id)
        return _answer(services.require_report(meeting))

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Buat draf laporan", description="Dari data rapat yang sudah berlangsung.")
    @blp.response(201, EventReportOut, headers=ETAG_HEADER)
    @problems(blp, 401, 403, 404, 409)
    def post(self, id: int) -> Any:
        meeting = services.get_meeting(_actor(), id)
        return _answer(services.start_draft(_actor(), meeting), 201)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Simpan laporan",
        description="Semua bagian sekaligus, dengan versi yang dibaca (If-Match atau "
        "`version`). `refresh_facts`: ambil ulang data rapat; `status: final`: finalkan.",
    )
    @blp.arguments(EventReportIn)
    @blp.response(200, EventReportOut, headers=ETAG_HEADER)
    @problems(blp, 401, 403, 404, 409, 412, 422)
    def put(self, data: dict[str, Any], id: int) -> Any:
        meeting = services.get_meeting(_actor(), id)
        report = services.require_report(meeting)
        matched = _if_match()
        version = matched if matched is not None else data.get("version")
        if version is None:
            raise ValidationError(NO_VERSION, errors={"version": [NO_VERSION]})
        saved = services.save(
            _actor(),
            report,
            data["sections"],
            version,
            refresh=data["refresh_facts"],
            finalize=data["status"] == "final",
            if_match=matched is not None,
        )
        return _answer(saved)


@blp.route("/meetings/<int:id>/report/pdf")
class EventReportPdf(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Laporan kegiatan (PDF)")
    @blp.response(200, FILE, content_type="application/pdf")
    @problems(blp, 401, 404)
    def get(self, id: int) -> Any:
        return views.pdf_of(_actor(), id)


@blp.route("/meetings/<int:id>/report/docx")
class EventReportDocx(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Laporan kegiatan (DOCX)")
    @blp.response(200, FILE, content_type=views.DOCX)
    @problems(blp, 401, 404)
    def get(self, id: int) -> Any:
        return views.docx_of(_actor(), id)


@blp.route("/series/<int:id>/reports/pdf")
class SeriesReportBook(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Buku success stories seri (PDF)",
        description="Sampul, daftar isi, lalu setiap laporan final rapat seri ini.",
    )
    @blp.response(200, FILE, content_type="application/pdf")
    @problems(blp, 401, 404)
    def get(self, id: int) -> Any:
        return views.series_pdf_of(_actor(), id)


blueprints = [blp]
