"""The dashboards' figures as JSON: ``/api/v1/forums/<id>/dashboard`` and
``/api/v1/series/<id>/dashboard`` — the same numbers the pages show (one builder,
``reports.figures``), with stored values (status, category, gender) as keys, not labels."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, QueryInt, problems
from meetcoord.reports import queries
from meetcoord.reports.figures import CATEGORIES, GENDERS, STATUSES

blp = ApiBlueprint(
    "reports_api",
    __name__,
    url_prefix="",
    description="Dasbor forum dan seri: tindak lanjut dan kehadiran.",
)


def _counts() -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(STATUSES)), values=fields.Integer()
    )


class ReportDashboardArgs(ApiSchema):
    meeting_id = QueryInt(
        validate=validate.Range(min=1, error=_l("Paling kecil 1.")),
        metadata={"description": "Rapat yang dirinci (bawaan: yang terakhir berlangsung)."},
    )


class ActionCountsSchema(ApiSchema):
    key = fields.Raw(
        allow_none=True, metadata={"description": "organization_id atau lokus; null: semua."}
    )
    name = fields.String()
    total = fields.Integer()
    overdue = fields.Integer()
    by_status = _counts()


class AgencyAttendanceSchema(ApiSchema):
    organization_id = fields.Integer(allow_none=True)
    name = fields.String()
    invited = fields.Integer(metadata={"description": "Rapat yang mengundang instansi ini."})
    attended = fields.Integer()
    stand_in = fields.Integer(metadata={"description": "Hadir hanya melalui wakil."})
    absent = fields.Integer()
    rate = fields.Float(allow_none=True, metadata={"description": "Persen hadir."})


class SiteAttendanceSchema(ApiSchema):
    site_id = fields.Integer(allow_none=True, metadata={"description": "null: daring."})
    name = fields.String()
    invited = fields.Integer()
    attended = fields.Integer()


class MeetingRefSchema(ApiSchema):
    id = fields.Integer()
    title = fields.String()
    start_at = fields.AwareDateTime()
    invited = fields.Integer()
    attended = fields.Integer()


class ReportProvinceSchema(ApiSchema):
    province = fields.String(allow_none=True, metadata={"description": "null: tidak diketahui."})
    name = fields.String()
    count = fields.Integer()


class MeetingAttendanceSchema(ApiSchema):
    meeting_id = fields.Integer()
    title = fields.String()
    start_at = fields.AwareDateTime()
    invited = fields.Integer()
    attended = fields.Integer()
    by_site = fields.List(fields.Nested(SiteAttendanceSchema))
    by_category = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CATEGORIES)), values=fields.Integer()
    )
    by_gender = fields.Dict(
        keys=fields.String(validate=validate.OneOf(GENDERS)), values=fields.Integer()
    )
    cross = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        metadata={"description": "Kategori × jenis kelamin: cross[category][gender]."},
    )
    by_mode = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["site", "online"])),
        values=fields.Integer(),
        metadata={"description": "Hadir di lokasi dan daring."},
    )
    by_province = fields.List(
        fields.Nested(ReportProvinceSchema),
        metadata={"description": "Hadir per provinsi (asal peserta); terbanyak dahulu."},
    )


class ReportDashboardSchema(ApiSchema):
    kind = fields.String(validate=validate.OneOf(["forum", "series"]))
    id = fields.Integer()
    title = fields.String()
    institution_id = fields.Integer()
    meetings = fields.Integer()
    held = fields.Integer(metadata={"description": "Sudah berlangsung dan tidak dibatalkan."})
    first_at = fields.AwareDateTime(allow_none=True)
    last_at = fields.AwareDateTime(allow_none=True)
    actions = fields.Nested(ActionCountsSchema)
    by_agency = fields.List(fields.Nested(ActionCountsSchema))
    by_locus = fields.List(fields.Nested(ActionCountsSchema))
    attendance = fields.List(fields.Nested(AgencyAttendanceSchema))
    recent = fields.List(fields.Nested(MeetingRefSchema))
    meeting = fields.Nested(MeetingAttendanceSchema, allow_none=True)


@blp.route("/forums/<int:id>/dashboard")
class ForumDashboard(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Dasbor forum",
        description="Tindak lanjut per status, instansi dan lokus; kehadiran per instansi; "
        "rincian kehadiran satu rapat. Rapat forum: yang ber-forum ini dan rapat serinya.",
    )
    @blp.arguments(ReportDashboardArgs, location="query")
    @blp.response(200, ReportDashboardSchema)
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> dict[str, Any]:
        _forum, board = queries.forum_dashboard(resolve.account(), id, args.get("meeting_id"))
        return board.as_dict()


@blp.route("/series/<int:id>/dashboard")
class SeriesDashboard(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Dasbor seri rapat", description="Angka yang sama dengan dasbor forum.")
    @blp.arguments(ReportDashboardArgs, location="query")
    @blp.response(200, ReportDashboardSchema)
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> dict[str, Any]:
        _series, board = queries.series_dashboard(resolve.account(), id, args.get("meeting_id"))
        return board.as_dict()


blueprints = [blp]
