"""The villages' API bodies: list arguments, a village with its IDM history, an IDM entry,
an import's report, guidance assignments and the evaluation dashboard.

Types only: the rules (year range, score 0–1, status aliases, overlapping periods) are the
services', so the pages and the API refuse the same input with the same messages.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.actions.schemas import QueryBool
from meetcoord.api.schemas import ApiSchema, Bool, Day, File, Int, ListArgsSchema, QueryInt, Text
from meetcoord.planning import idm
from meetcoord.planning.models import IdmStatus

STATUSES = [s.value for s in IdmStatus]


class VillageListArgs(ListArgsSchema):
    region = Text(load_default="", metadata={"description": "Wilayah (sebagian nama)."})
    status = Text(
        validate=validate.OneOf(STATUSES, error=_l("Status IDM tidak dikenal.")),
        metadata={"enum": STATUSES, "description": "Status IDM tahun terakhir."},
    )
    guided = QueryBool(metadata={"description": "true: sedang dibina; false: belum dibina."})
    organization_id = QueryInt(
        validate=validate.Range(min=1, error=_l("Paling kecil 1.")),
        metadata={"description": "OPD pembina saat ini."},
    )


class VillageSchema(ApiSchema):
    id = fields.Integer()
    name = fields.String()
    region = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True, metadata={"description": "Tahun IDM terakhir."})
    score = fields.Decimal(as_string=True, allow_none=True)
    status = fields.String(allow_none=True, metadata={"enum": STATUSES})
    agency_id = fields.Integer(allow_none=True, metadata={"description": "OPD pembina kini."})
    agency = fields.String(allow_none=True)


class IdmSchema(ApiSchema):
    id = fields.Integer()
    year = fields.Integer()
    score = fields.Decimal(as_string=True)
    status = fields.Function(lambda row: row.status.value, metadata={"enum": STATUSES})
    status_matches_score = fields.Function(
        lambda row: not idm.contradicts(row.status, row.score),
        metadata={"description": "false: status yang diisi berbeda dari kelas skornya."},
    )
    source = fields.String(allow_none=True)
    recorded_at = fields.DateTime()


class GuidanceAssignmentSchema(ApiSchema):
    id = fields.Integer()
    institution_id = fields.Integer()
    organization_id = fields.Integer()
    organization = fields.Function(lambda row: row.organization.name)
    village_id = fields.Integer()
    village = fields.Function(lambda row: row.village.name)
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    decree_number = fields.String()
    decree_date = fields.Date()


class VillageDetailSchema(ApiSchema):
    id = fields.Function(lambda page: page["village"].id)
    name = fields.Function(lambda page: page["village"].name)
    region = fields.Function(lambda page: page["village"].region)
    movement = fields.Function(lambda page: page["movement"].value)
    idm = fields.Function(lambda page: IdmSchema(many=True).dump(page["history"]))
    assignments = fields.Function(
        lambda page: GuidanceAssignmentSchema(many=True).dump(page["assignments"])
    )
    proposal_ids = fields.Function(lambda page: [p.id for p in page["proposals"]])
    action_ids = fields.Function(lambda page: [a.id for a in page["actions"]])
    meeting_ids = fields.Function(lambda page: [m.id for m in page["meetings"]])


class IdmEntrySchema(ApiSchema):
    year = Int(required=True)
    score = fields.Raw(
        required=True,
        metadata={"type": "number", "description": "0–1, empat angka desimal (teks juga boleh)."},
    )
    status = Text(
        allow_none=True,
        metadata={"enum": STATUSES, "description": "Kosong: dihitung dari skor."},
    )
    source = Text(allow_none=True)
    replace = Bool(
        load_default=False,
        metadata={
            "description": "true: ganti nilai yang sudah ada untuk tahun itu (409 tanpa ini)."
        },
    )


class IdmImportFormSchema(ApiSchema):
    replace = Text(metadata={"description": "'1' atau 'true': ganti nilai yang sudah ada."})


class IdmImportFilesSchema(ApiSchema):
    file = File(required=True, metadata={"description": "CSV UTF-8; pemisah , ; atau tab."})


class IdmImportMultipartSchema(IdmImportFormSchema, IdmImportFilesSchema):
    """For the document; the text part is parsed on its own in the handler."""


class IdmRowMessagesSchema(ApiSchema):
    line = fields.Integer()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class IdmImportResultSchema(ApiSchema):
    created = fields.Integer()
    replaced = fields.Integer()
    rows = fields.Integer()
    flagged = fields.List(
        fields.Nested(IdmRowMessagesSchema), metadata={"description": "Status ≠ skor."}
    )
    existing = fields.List(fields.Nested(IdmRowMessagesSchema))


class GuidanceListArgs(ApiSchema):
    village_id = QueryInt(validate=validate.Range(min=1))
    organization_id = QueryInt(validate=validate.Range(min=1))
    institution_id = QueryInt(validate=validate.Range(min=1))
    active_on = Day(metadata={"description": "Hanya yang berjalan pada tanggal ini."})
    page = QueryInt(load_default=1, validate=validate.Range(min=1))
    per_page = QueryInt(load_default=25, validate=validate.Range(min=1, max=200))


class GuidanceNewSchema(ApiSchema):
    institution_id = Int(
        metadata={"description": "Wajib bila staf bekerja di beberapa penyelenggara."}
    )
    organization_id = Int(required=True)
    village_ids = fields.List(Int(), required=True)
    starts_on = Day(required=True)
    ends_on = Day(allow_none=True)
    decree_number = Text(required=True)
    decree_date = Day(required=True)


class GuidancePatchSchema(ApiSchema):
    organization_id = Int()
    village_id = Int()
    starts_on = Day()
    ends_on = Day(allow_none=True)
    decree_number = Text()
    decree_date = Day()


class GuidanceEndSchema(ApiSchema):
    ends_on = Day(required=True)


class VillageDashboardArgs(ApiSchema):
    institution_id = QueryInt(validate=validate.Range(min=1))


def _pair(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"year": value[0], "score": str(value[1]), "status": value[2].value}


class VillageDashboardLineSchema(ApiSchema):
    village_id = fields.Integer()
    village = fields.String()
    region = fields.String(allow_none=True)
    agency_id = fields.Integer()
    agency = fields.String()
    open_actions = fields.Integer()
    done_actions = fields.Integer()
    accommodated = fields.Integer()
    amount = fields.Integer(metadata={"description": "Rupiah."})
    movement = fields.Function(lambda line: line.movement.value)
    previous = fields.Function(lambda line: _pair(line.previous))
    latest = fields.Function(lambda line: _pair(line.latest))


class GuidanceAgencyRankSchema(ApiSchema):
    rank = fields.Integer()
    tied = fields.Boolean()
    agency_id = fields.Integer()
    agency = fields.String()
    villages = fields.Integer()
    score = fields.Decimal(as_string=True)
    idm_points = fields.Decimal(as_string=True)
    action_points = fields.Decimal(as_string=True)
    proposal_points = fields.Decimal(as_string=True)
    compared = fields.Integer()
    done = fields.Integer()
    counted = fields.Integer()
    accommodated = fields.Integer()


class VillageDashboardSchema(ApiSchema):
    villages = fields.List(fields.Nested(VillageDashboardLineSchema))
    ranking = fields.List(fields.Nested(GuidanceAgencyRankSchema))
    truncated = fields.Boolean()
