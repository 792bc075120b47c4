"""Request and response shapes of the check-in API (documented in OpenAPI)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.api.schemas import (
    COMMON_MESSAGES,
    ApiSchema,
    Bool,
    IndonesianMessages,
    QueryInt,
    Text,
)

STATUSES = ["checked_in", "already", "refused", "checked_out"]


class Moment(IndonesianMessages, fields.AwareDateTime):
    """An ISO 8601 instant that must carry its offset (a desk's clock, in its zone)."""

    default_error_messages = {
        **COMMON_MESSAGES,
        "invalid": _l(
            "Waktu tidak valid; gunakan ISO 8601 dengan zona, mis. 2024-03-15T09:05+08:00."
        ),
        "invalid_awareness": _l("Waktu harus menyertakan zona (offset)."),
        "format": _l("Waktu tidak bisa diformat."),
    }


# --- requests ---------------------------------------------------------------------------


class RedeemSchema(ApiSchema):
    credential = Text(
        required=True, metadata={"description": "Isi QR pribadi dari surat undangan."}
    )
    nonce = Text(
        required=True,
        validate=validate.Length(min=1, max=64, error=_l("Antara 1 dan 64 karakter.")),
        metadata={"description": "Dari klien; permintaan ulang dengan nonce sama → jawaban sama."},
    )
    scanned_at = Moment(
        load_default=None,
        allow_none=True,
        metadata={"description": "Waktu pindai di meja (opsional), dengan zona."},
    )


class OfflineScanSchema(ApiSchema):
    credential = Text(required=True)
    nonce = Text(
        required=True,
        validate=validate.Length(min=1, max=64, error=_l("Antara 1 dan 64 karakter.")),
    )
    scanned_at = Moment(required=True, metadata={"description": "Waktu pindai saat luring."})


class OfflineUploadSchema(ApiSchema):
    scans = fields.List(
        fields.Nested(OfflineScanSchema),
        required=True,
        validate=validate.Length(max=1000, error=_l("Paling banyak 1000 pindaian.")),
    )


class CheckoutSchema(ApiSchema):
    credential = Text(required=True)
    nonce = Text(
        required=True,
        validate=validate.Length(min=1, max=64, error=_l("Antara 1 dan 64 karakter.")),
    )


class AttendanceArgs(ApiSchema):
    site_id = QueryInt(
        load_default=None,
        metadata={"description": "Satu lokasi rapat; tanpa ini: gabungan semua lokasi."},
    )
    online = Bool(
        load_default=False,
        truthy={True, "true", "1"},
        falsy={False, "false", "0"},
        metadata={"description": "Hanya peserta daring."},
    )


# --- responses --------------------------------------------------------------------------


class ExportArgs(ApiSchema):
    format = Text(
        load_default="csv",
        validate=validate.OneOf(["csv", "xlsx"], error=_l("Pilih csv atau xlsx.")),
        metadata={"enum": ["csv", "xlsx"], "description": "csv (UTF-8, `;`) atau xlsx."},
    )


class PersonCardSchema(ApiSchema):
    name = fields.String()
    organization = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    invitation_id = fields.Integer(allow_none=True)


class CheckinResultSchema(ApiSchema):
    """An answer to a scan: a refusal is an answer too (status ``refused`` with a reason)."""

    status = fields.String(required=True, metadata={"enum": STATUSES})
    reason = fields.String(
        allow_none=True,
        metadata={
            "description": "Kode mesin: already_checked_in, malformed, bad_signature, "
            "wrong_meeting, withdrawn, not_invited, meeting_not_open, not_open_yet, "
            "checkin_closed, scan_in_future, not_checked_in, other_site, "
            "already_checked_out."
        },
    )
    message = fields.String(required=True, metadata={"description": "Untuk layar petugas."})
    person = fields.Nested(PersonCardSchema, allow_none=True)
    site = fields.String(allow_none=True)
    at = fields.String(allow_none=True, metadata={"format": "date-time"})
    attendance_id = fields.Integer(allow_none=True)
    extra = fields.Dict(metadata={"description": 'Mis. {"walk_in": true}.'})


class OfflineResultSchema(CheckinResultSchema):
    nonce = fields.String(metadata={"description": "Nonce pindaian yang dijawab."})


class OfflineResultsSchema(ApiSchema):
    results = fields.List(fields.Nested(OfflineResultSchema), required=True)


class AttendanceRowSchema(ApiSchema):
    number = fields.Integer()
    attendance_id = fields.Integer()
    person_id = fields.Integer()
    invitation_id = fields.Integer(allow_none=True)
    name = fields.String()
    organization = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    category = fields.String()
    category_label = fields.String()
    gender = fields.String(allow_none=True, metadata={"enum": ["male", "female", None]})
    gender_short = fields.String(metadata={"description": "L, P atau kosong."})
    has_disability = fields.Boolean()
    site_id = fields.Integer(allow_none=True)
    site_name = fields.String()
    zone = fields.String()
    checked_in_at = fields.String(metadata={"format": "date-time"})
    checked_out_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    time_in = fields.String(metadata={"example": "09.05 WITA"})
    time_out = fields.String(allow_none=True)
    method = fields.String()
    method_label = fields.String()
    is_walk_in = fields.Boolean()
    stand_in_name = fields.String(allow_none=True)
    stand_in_position = fields.String(allow_none=True)
    stand_in = fields.String(allow_none=True, metadata={"example": "diwakili oleh Drs. Umbu"})


class TotalsSchema(ApiSchema):
    total = fields.Integer()
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_gender = fields.Dict(keys=fields.String(), values=fields.Integer())
    disability = fields.Integer()
    walk_ins = fields.Integer()
    stand_ins = fields.Integer()
    checked_out = fields.Integer()


class AttendanceListSchema(ApiSchema):
    meeting_id = fields.Integer()
    meeting_title = fields.String()
    site_id = fields.Integer(allow_none=True)
    site_key = fields.String(metadata={"description": "id lokasi, online atau all."})
    site_name = fields.String()
    zone = fields.String()
    zone_label = fields.String()
    day = fields.String(metadata={"example": "Jumat, 15 Maret 2024"})
    time = fields.String(metadata={"example": "09.00–12.00 WITA"})
    rows = fields.List(fields.Nested(AttendanceRowSchema))
    totals = fields.Nested(TotalsSchema)


QUORUM_STATES = ["none", "met", "not_met"]


class StandingSchema(ApiSchema):
    """One quorum rule against real counts: invited members present now."""

    state = fields.String(
        metadata={"enum": QUORUM_STATES, "description": "none: tidak ada aturan kuorum."}
    )
    kind = fields.String(allow_none=True, metadata={"enum": ["people", "at_least", "more_than"]})
    value = fields.Integer(allow_none=True)
    rule_text = fields.String(metadata={"example": "lebih dari 50% undangan"})
    required = fields.Integer(allow_none=True, metadata={"description": "Orang yang diperlukan."})
    present = fields.Integer(metadata={"description": "Undangan yang hadir (tanpa walk-in)."})
    base = fields.Integer(metadata={"description": "Undangan (yang tidak ditarik)."})


class QuorumSchema(StandingSchema):
    """The meeting's rule; ``state`` and ``met`` also weigh every site's own rule."""

    rule = fields.Boolean(metadata={"description": "Ada aturan kuorum (rapat atau lokasi)."})
    met = fields.Boolean(allow_none=True, metadata={"description": "null: tanpa aturan."})


class SitePresenceSchema(ApiSchema):
    site_id = fields.Integer(allow_none=True, metadata={"description": "null: daring."})
    name = fields.String()
    present = fields.Integer()
    invited = fields.Integer()
    minimum = fields.Integer(allow_none=True, metadata={"description": "= quorum.required."})
    meets_minimum = fields.Boolean(allow_none=True)
    quorum = fields.Nested(StandingSchema)


class PresenceSchema(ApiSchema):
    total = fields.Integer()
    quorum = fields.Nested(QuorumSchema)
    sites = fields.List(fields.Nested(SitePresenceSchema))


class CheckinConflictSchema(ApiSchema):
    """The same person scanned at two sites: the earliest scan won."""

    id = fields.Integer()
    person_id = fields.Integer()
    person_name = fields.Function(lambda c: c.person.name, metadata={"type": "string"})
    attendance_id = fields.Integer()
    site_id = fields.Function(
        lambda c: c.attendance.site_id, metadata={"type": "integer", "nullable": True}
    )
    site_name = fields.Function(
        lambda c: _site_name(c.attendance.site), metadata={"type": "string"}
    )
    checked_in_at = fields.Function(
        lambda c: c.attendance.checked_in_at.isoformat(),
        metadata={"type": "string", "format": "date-time"},
    )
    other_site_id = fields.Integer(allow_none=True)
    other_site_name = fields.Function(
        lambda c: _site_name(c.other_site), metadata={"type": "string"}
    )
    other_scanned_at = fields.DateTime()
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)


def _site_name(site: Any) -> str:
    return site.venue.name if site is not None else "Daring"
